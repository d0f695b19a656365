package io.oddball.detector.ae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.DetectorContext;
import io.oddball.api.Params;
import io.oddball.api.error.ConfigException;
import io.oddball.tf.autoencoder.Architecture;
import io.oddball.tf.layers.Activation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AeConfigTest {
    @Test
    void defaultsArePinned() {
        AeConfig c = AeConfig.from(Params.empty());
        assertThat(c).isEqualTo(new AeConfig(Architecture.CONV, List.of(32, 64), 64, 4, 2, List.of(),
                Activation.SIGMOID, 256));
        assertThat(AeConfig.from(Params.of(Map.of("architecture", "mlp"))).toMap()).containsExactly(
                Map.entry("architecture", "mlp"), Map.entry("latentDim", 8), Map.entry("hidden", List.of(64, 32)),
                Map.entry("outputActivation", "linear"), Map.entry("inferenceBatchSize", 256));
        assertThat(AeConfig.from(Params.of(Map.of("architecture", "alibi-cifar10"))).toMap()).containsExactly(
                Map.entry("architecture", "alibi-cifar10"), Map.entry("latentDim", 1024),
                Map.entry("inferenceBatchSize", 256));
        assertThat(AeConfig.from(Params.of(Map.of("architecture", "screen-cifar"))).latentDim()).isEqualTo(1000);
        assertThat(AeConfig.schema().params()).extracting(p -> p.name()).containsExactly("architecture",
                "latentDim", "filters", "kernel", "stride", "hidden", "outputActivation", "encoder", "decoder", "model",
                "inferenceBatchSize");
    }

    @Test
    void everyKeyIsReadAndRoundTripsThroughToMap() {
        Map<String, Object> m = Map.of("architecture", "conv", "filters", List.of(8, 16, 32), "latentDim", 10,
                "kernel", 3, "stride", 2, "outputActivation", "linear", "inferenceBatchSize", 64);
        Params p = Params.of(m);
        AeConfig c = AeConfig.from(p);
        p.finish();
        assertThat(c).isEqualTo(new AeConfig(Architecture.CONV, List.of(8, 16, 32), 10, 3, 2, List.of(),
                Activation.LINEAR, 64));
        assertThat(AeConfig.from(Params.of(c.toMap()))).isEqualTo(c);
    }

    @Test
    void badValuesAndKeysOfAnotherArchitectureAreReportedTogether() {
        Params p = Params.of(Map.of("architecture", "alibi-cifar10", "filters", List.of(8), "latentDim", 0));
        new AeDetectorProvider().create(p, DetectorContext.simple());
        assertThatThrownBy(p::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("latentDim: expected an integer >= 1, found 0")
                .hasMessageContaining("filters");
        Params q = Params.of(Map.of("filters", List.of(8, 2.5), "architecture", "conv"));
        AeConfig.from(q);
        assertThatThrownBy(q::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("filters: expected a list of integers >= 1");
        Params r = Params.of(Map.of("architecture", "resnet"));
        AeConfig.from(r);
        assertThatThrownBy(r::finish).hasMessageContaining("architecture: expected one of [conv, mlp, "
                + "alibi-cifar10, screen-cifar], found");
    }
}
