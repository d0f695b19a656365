package io.oddball.detector.vae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.Params;
import io.oddball.api.error.ConfigException;
import io.oddball.tf.autoencoder.Architecture;
import io.oddball.tf.autoencoder.NetworkSpec;
import io.oddball.tf.layers.Activation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VaeConfigTest {
    @Test
    void defaultsArePinned() {
        VaeConfig c = VaeConfig.from(Params.empty());
        assertThat(c).isEqualTo(new VaeConfig(new NetworkSpec(Architecture.CONV, List.of(32, 64), 64, 4, 2,
                List.of(), Activation.SIGMOID), new CovElbo(CovElbo.Kind.SIM, 0.05), 1.0, 2, 256));
        assertThat(VaeConfig.from(Params.of(Map.of("architecture", "alibi-cifar10"))).toMap()).containsExactly(
                Map.entry("architecture", "alibi-cifar10"), Map.entry("latentDim", 1024),
                Map.entry("covElbo", Map.of("sim", 0.05)), Map.entry("beta", 1.0), Map.entry("samples", 2),
                Map.entry("scoreType", "mse"), Map.entry("inferenceBatchSize", 256));
        assertThat(VaeConfig.schema().params()).extracting(p -> p.name()).containsExactly("architecture",
                "latentDim", "filters", "kernel", "stride", "hidden", "outputActivation", "covElbo", "beta",
                "samples", "scoreType", "inferenceBatchSize");
    }

    @Test
    void everyKeyIsReadAndRoundTripsThroughToMap() {
        for (Map<String, Object> m : List.<Map<String, Object>>of(
                Map.of("architecture", "mlp", "hidden", List.of(8), "latentDim", 3, "outputActivation", "linear",
                        "covElbo", Map.of("diag", "learned"), "beta", 0.5, "samples", 4, "scoreType", "mse",
                        "inferenceBatchSize", 64),
                Map.of("covElbo", Map.of("diag", "data")),
                Map.of("covElbo", Map.of("sim", 0.1)))) {
            Params p = Params.of(m);
            VaeConfig c = VaeConfig.from(p);
            p.finish();
            Params q = Params.of(c.toMap());
            assertThat(VaeConfig.from(q)).isEqualTo(c);
            q.finish();
        }
    }

    @Test
    void badValuesAreReportedTogether() {
        Params p = Params.of(Map.of("architecture", "screen-cifar", "samples", 0, "beta", -1,
                "covElbo", Map.of("sim", -0.1), "scoreType", "nll"));
        VaeConfig.from(p);
        assertThatThrownBy(p::finish).isInstanceOf(ConfigException.class)
                .hasMessageContaining("architecture: expected one of [conv, mlp, alibi-cifar10]")
                .hasMessageContaining("samples: expected an integer >= 1, found 0")
                .hasMessageContaining("beta: expected a number >= 0")
                .hasMessageContaining("sim: expected a number > 0")
                .hasMessageContaining("scoreType");
    }
}
