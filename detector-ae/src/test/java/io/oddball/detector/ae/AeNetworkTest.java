package io.oddball.detector.ae;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.Params;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.tf.layers.Conv2D;
import io.oddball.tf.layers.Crop2D;
import io.oddball.tf.layers.Dense;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AeNetworkTest {
    private static AeConfig config(Map<String, ?> m) {
        return AeConfig.from(Params.of(m));
    }

    @Test
    void alibiCifar10HasTheExampleLayersAndParameterCount() {
        AeNetwork net = AeNetwork.of(config(Map.of("architecture", "alibi-cifar10")), Shape.of(32, 32, 3));
        // Conv 3·64·16+64, 64·128·16+128, 128·512·16+512; Dense 8192·1024+1024; Dense 1024·2048+2048;
        // ConvT 128·256·16+256, 256·64·16+64, 64·3·16+3 (the PyTorch peer's 12 462 083).
        assertThat(net.parameterCount()).isEqualTo(3136 + 131200 + 1049088 + 8389632 + 2099200 + 524544 + 262208
                + 3075).isEqualTo(12_462_083);
        assertThat(net.encoder().outputShape(Shape.of(32, 32, 3))).isEqualTo(Shape.of(1024));
        assertThat(net.encoder().layers().get(4)).isEqualTo(new Dense(1024, io.oddball.tf.layers.Activation.LINEAR));
    }

    @Test
    void screenCifarHasThePyTorchExampleParameterCount() {
        AeNetwork net = AeNetwork.of(config(Map.of("architecture", "screen-cifar")), Shape.of(32, 32, 3));
        long enc = 448 + 2320 + 4640 + 9248 + 18496 + 36928 + 4096L * 1000 + 1000;
        long dec = 1000L * 4096 + 4096 + 18464 + 9248 + 4624 + 2320 + 435;
        assertThat(net.parameterCount()).isEqualTo(enc + dec);
        assertThat(net.encoder().outputShape(Shape.of(32, 32, 3))).isEqualTo(Shape.of(1000));
    }

    @Test
    void convTakesAnyImageSizeAndMlpAnyShape() {
        AeNetwork net = AeNetwork.of(config(Map.of("filters", List.of(4, 8, 8))), Shape.of(28, 28));
        assertThat(net.decoder().layers()).anyMatch(l -> l instanceof Crop2D);
        assertThat(net.encoder().layers()).filteredOn(l -> l instanceof Conv2D).hasSize(3);
        AeNetwork mlp = AeNetwork.of(config(Map.of("architecture", "mlp", "hidden", List.of(6), "latentDim", 2)),
                Shape.of(3, 4));
        assertThat(mlp.parameterCount()).isEqualTo(12 * 6 + 6 + 6 * 2 + 2 + 2 * 6 + 6 + 6 * 12 + 12);
    }

    @Test
    void fixedArchitecturesRejectOtherShapes() {
        assertThatThrownBy(() -> AeNetwork.of(config(Map.of("architecture", "alibi-cifar10")), Shape.of(28, 28, 1)))
                .isInstanceOf(DataException.class)
                .hasMessage("ae: alibi-cifar10: expected instances of shape 32x32x3, found 28x28x1; use "
                        + "architecture conv for other image sizes");
        assertThatThrownBy(() -> AeNetwork.of(config(Map.of()), Shape.of(10)))
                .isInstanceOf(DataException.class).hasMessageContaining("expected image instances");
    }
}
