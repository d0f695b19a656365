package io.oddball.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.DetectorContext;
import io.oddball.api.error.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The TensorFlow options as settings: defaults, every key, the errors, and the way in from the environment. */
class TfOptionsTest {
    @Test
    void noSettingsAreTheDefaults() {
        TfOptions d = TfOptions.from(Map.of());
        assertThat(d).isEqualTo(TfOptions.defaults());
        assertThat(d.precision()).isEqualTo(TfOptions.Precision.FLOAT32);
        assertThat(d.opLibrary()).isEqualTo(TfOptions.OpLibraryUse.AUTO);
        assertThat(d.variants()).isEmpty();
        assertThat(d.settings()).isEmpty();
        assertThat(d).hasToString("defaults");
    }

    @Test
    void everyKeyIsReadAndOtherNamespacesAreLeftAlone() {
        TfOptions o = TfOptions.from(Map.of("tf.precision", "bfloat16", "tf.opLibrary", "off", "tf.conv", "direct",
                "tf.transposedConv", "backprop", "tf.dense", "plain", "tf.spatialConv", "conv2d", "llr.other", "x",
                "tf.dense.unused", ""));
        assertThat(o.precision()).isEqualTo(TfOptions.Precision.BFLOAT16);
        assertThat(o.opLibrary()).isEqualTo(TfOptions.OpLibraryUse.OFF);
        assertThat(o.variants()).containsExactlyInAnyOrder(TfOptions.Variant.DIRECT_CONV,
                TfOptions.Variant.BACKPROP_TRANSPOSED_CONV, TfOptions.Variant.PLAIN_DENSE,
                TfOptions.Variant.CONV2D_SPATIAL_CONV);
        // the settings give the same options back
        assertThat(TfOptions.from(o.settings())).isEqualTo(o);
        // a key with more than one form: each value its own
        TfOptions other = TfOptions.from(Map.of("tf.conv", "patches", "tf.dense", "batched"));
        assertThat(other.variants()).containsExactlyInAnyOrder(TfOptions.Variant.PATCHES_CONV,
                TfOptions.Variant.BATCHED_DENSE);
        assertThat(TfOptions.from(other.settings())).isEqualTo(other);
        assertThat(other.batchedDense()).isTrue();
        assertThat(TfOptions.from(Map.of("tf.dense", "plain")).batchedDense()).isFalse();
        // one value per setting: a variant replaces another value of its key
        assertThat(other.with(TfOptions.Variant.PLAIN_DENSE).variants()).containsExactlyInAnyOrder(
                TfOptions.Variant.PATCHES_CONV, TfOptions.Variant.PLAIN_DENSE);
        assertThatThrownBy(() -> new TfOptions(TfOptions.Precision.FLOAT32, TfOptions.OpLibraryUse.AUTO,
                java.util.Set.of(TfOptions.Variant.DIRECT_CONV, TfOptions.Variant.PATCHES_CONV)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one value per setting");
    }

    @Test
    void aDenseLayerIsBatchedByDefaultOnAvx2ClassCpusOnly() {
        // auto: BatchMatMulV2 where TensorFlow's kernels run at the AVX2 class (oneDNN's inner product is slow there),
        // MatMul on AVX-512 (also when oneDNN is capped below it) and on older CPUs; the settings override either way
        java.util.Set<String> avx512 = java.util.Set.of("avx2", "fma", "avx512f", "avx512vl", "avx512bw", "avx512dq");
        Cpu native512 = new Cpu("x", avx512, null);
        Cpu capped = new Cpu("x", avx512, "AVX2");
        Cpu avx2 = new Cpu("x", java.util.Set.of("avx2", "fma"), null);
        Cpu old = new Cpu("x", java.util.Set.of("sse4_2"), null);
        TfOptions auto = TfOptions.defaults();
        assertThat(auto.batchedDense(native512)).isFalse();
        assertThat(auto.batchedDense(capped)).isTrue();
        assertThat(auto.batchedDense(avx2)).isTrue();
        assertThat(auto.batchedDense(old)).isFalse();
        assertThat(auto.with(TfOptions.Variant.PLAIN_DENSE).batchedDense(avx2)).isFalse();
        assertThat(auto.with(TfOptions.Variant.BATCHED_DENSE).batchedDense(native512)).isTrue();
        // auto is the default form, blank the default value
        assertThat(TfOptions.from(Map.of("tf.conv", "auto", "tf.precision", " "))).isEqualTo(TfOptions.defaults());
        assertThat(TfOptions.defaults().with(TfOptions.Variant.PLAIN_DENSE).withOpLibrary(TfOptions.OpLibraryUse.ON))
                .hasToString("tf.opLibrary=on,tf.dense=plain");
    }

    @Test
    void unknownKeysAndBadValuesAreReportedTogetherNamingWhereUsersSetThem() {
        assertThatThrownBy(() -> TfOptions.from(Map.of("tf.precison", "bfloat16", "tf.opLibrary", "yes",
                "tf.precision", "fp16", "tf.conv", "im2col")))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "tf.conv: expected auto, direct or patches, found 'im2col'",
                        "tf.opLibrary (ODDBALL_OPS): expected auto, on or off, found 'yes'",
                        "tf.precision (--precision or ODDBALL_INFERENCE_PRECISION): expected float32 or bfloat16, "
                                + "found 'fp16'",
                        "tf.precison: expected a TensorFlow setting, one of [tf.precision, tf.opLibrary, tf.conv, "
                                + "tf.transposedConv, tf.dense, tf.spatialConv]; did you mean 'tf.precision'?"));
    }

    @Test
    void theEnvironmentVariablesBecomeSettings() {
        Map<String, String> s = DetectorContext.environmentSettings(Map.of("ODDBALL_INFERENCE_PRECISION", "bfloat16",
                "ODDBALL_OPS", " off ", "ODDBALL_DEVICE", "gpu", "PATH", "/bin"));
        assertThat(s).containsExactlyInAnyOrderEntriesOf(Map.of(DetectorContext.PRECISION, "bfloat16",
                DetectorContext.OP_LIBRARY, "off"));
        assertThat(DetectorContext.environmentSettings(Map.of("ODDBALL_OPS", ""))).isEmpty();
        TfOptions o = TfOptions.of(DetectorContext.simple(s));
        assertThat(o.precision()).isEqualTo(TfOptions.Precision.BFLOAT16);
        assertThat(o.opLibrary()).isEqualTo(TfOptions.OpLibraryUse.OFF);
    }
}
