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
