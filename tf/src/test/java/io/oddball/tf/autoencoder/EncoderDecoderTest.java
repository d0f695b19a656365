package io.oddball.tf.autoencoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.oddball.api.Params;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.tf.layers.Activation;
import io.oddball.tf.layers.Conv2D;
import io.oddball.tf.layers.Conv2DTranspose;
import io.oddball.tf.layers.Crop2D;
import io.oddball.tf.layers.Dense;
import io.oddball.tf.layers.Padding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EncoderDecoderTest {
    private static NetworkSpec config(Map<String, ?> m) {
        return NetworkSpec.read(Params.of(m), java.util.Arrays.asList(Architecture.values()));
    }

    @Test
    void alibiCifar10HasTheExampleLayersAndParameterCount() {
        EncoderDecoder net = EncoderDecoder.of(config(Map.of("architecture", "alibi-cifar10")), Shape.of(32, 32, 3),
                "ae");
        // Conv 3·64·16+64, 64·128·16+128, 128·512·16+512; Dense 8192·1024+1024; Dense 1024·2048+2048;
        // ConvT 128·256·16+256, 256·64·16+64, 64·3·16+3 (the PyTorch peer's 12 462 083).
        assertThat(net.parameterCount()).isEqualTo(3136 + 131200 + 1049088 + 8389632 + 2099200 + 524544 + 262208
                + 3075).isEqualTo(12_462_083);
        assertThat(net.encoder().outputShape(Shape.of(32, 32, 3))).isEqualTo(Shape.of(1024));
        assertThat(net.encoder().layers().get(4)).isEqualTo(new Dense(1024, io.oddball.tf.layers.Activation.LINEAR));
        // the VAE's heads read the body: the encoder without its code layer, weights named alike
        assertThat(net.encoderBody().outputShape(Shape.of(32, 32, 3))).isEqualTo(Shape.of(8192));
        assertThat(net.encoderBody().weights(Shape.of(32, 32, 3)))
                .isEqualTo(net.encoder().weights(Shape.of(32, 32, 3)).subList(0, 6));
    }

    @Test
    void screenCifarHasThePyTorchExampleParameterCount() {
        EncoderDecoder net = EncoderDecoder.of(config(Map.of("architecture", "screen-cifar")), Shape.of(32, 32, 3),
                "ae");
        long enc = 448 + 2320 + 4640 + 9248 + 18496 + 36928 + 4096L * 1000 + 1000;
        long dec = 1000L * 4096 + 4096 + 18464 + 9248 + 4624 + 2320 + 435;
        assertThat(net.parameterCount()).isEqualTo(enc + dec);
        assertThat(net.encoder().outputShape(Shape.of(32, 32, 3))).isEqualTo(Shape.of(1000));
    }

    @Test
    void convTakesAnyImageSizeAndMlpAnyShape() {
        EncoderDecoder net = EncoderDecoder.of(config(Map.of("filters", List.of(4, 8, 8))), Shape.of(28, 28), "ae");
        assertThat(net.decoder().layers()).anyMatch(l -> l instanceof Crop2D);
        assertThat(net.encoder().layers()).filteredOn(l -> l instanceof Conv2D).hasSize(3);
        EncoderDecoder mlp = EncoderDecoder.of(
                config(Map.of("architecture", "mlp", "hidden", List.of(6), "latentDim", 2)),
                Shape.of(3, 4), "ae");
        assertThat(mlp.parameterCount()).isEqualTo(12 * 6 + 6 + 6 * 2 + 2 + 2 * 6 + 6 + 6 * 12 + 12);
    }

    @Test
    void fixedArchitecturesRejectOtherShapes() {
        assertThatThrownBy(() -> EncoderDecoder.of(config(Map.of("architecture", "alibi-cifar10")),
                Shape.of(28, 28, 1), "ae"))
                .isInstanceOf(DataException.class)
                .hasMessage("ae: alibi-cifar10: expected instances of shape 32x32x3, found 28x28x1; use "
                        + "architecture conv for other image sizes");
        assertThatThrownBy(() -> EncoderDecoder.of(config(Map.of()), Shape.of(10), "ae"))
                .isInstanceOf(DataException.class).hasMessageContaining("expected image instances");
    }

    @Test
    void hyperParametersThatMakeALayerOrTheWeightsTooLargeAreAConfigurationError() {
        Shape mnist = Shape.of(28, 28, 1);
        // stride 1000: the encoder ends at 1x1, the decoder's first transposed convolution is 1000x1000 wide
        assertThatThrownBy(() -> EncoderDecoder.of(config(Map.of("architecture", "conv", "stride", 1000)), mnist, "ae"))
                .isInstanceOf(io.oddball.api.error.ConfigException.class)
                .hasMessageStartingWith("ae: conv: expected layers of at most 4194304 values per instance (64 times "
                        + "the input 28x28x1), found layer ")
                .hasMessageContaining("(Conv2DTranspose) of 1000x1000x")
                .hasMessageEndingWith("; lower detector.stride 1000, detector.kernel 4, detector.filters [32, 64] and "
                        + "detector.latentDim 64");
        // kernel 1000: 1000·1000·32·64 weights in the second convolution
        assertThatThrownBy(() -> EncoderDecoder.of(config(Map.of("architecture", "conv", "kernel", 1000)), mnist, "ae"))
                .isInstanceOf(io.oddball.api.error.ConfigException.class)
                .hasMessageStartingWith("ae: conv: expected at most 134217728 trainable values, found more (weight ")
                .hasMessageEndingWith("; lower detector.stride 2, detector.kernel 1000, detector.filters [32, 64] and "
                        + "detector.latentDim 64");
        assertThatThrownBy(() -> EncoderDecoder.of(config(Map.of("architecture", "mlp", "hidden", List.of(100000,
                100000))), Shape.of(20), "vae")).isInstanceOf(io.oddball.api.error.ConfigException.class)
                .hasMessageContaining("trainable values")
                .hasMessageEndingWith("; lower detector.hidden [100000, 100000] and detector.latentDim 8");
        // kernel 200: 2.6 M weights, but patches of 200x200x16 at 7x7 positions (31 M values per instance) in the
        // second convolution; it took 16 GB to train at batch 32 on 28x28 images
        assertThatThrownBy(() -> EncoderDecoder.of(config(Map.of("architecture", "conv", "filters", List.of(16, 32),
                "kernel", 200)), mnist, "ae"))
                .isInstanceOf(io.oddball.api.error.ConfigException.class)
                .hasMessageStartingWith("ae: conv: expected the convolutions' patches to hold at most 4194304 values "
                        + "per instance (64 times the input 28x28x1), found 7840000 by layer 1 (Conv2D, kernel "
                        + "200x200; ")
                .hasMessageEndingWith("; lower detector.stride 2, detector.kernel 200, detector.filters [16, 32] and "
                        + "detector.latentDim 64");
        // a saved network is loaded to score whatever its patches (the limit bounds training's memory): a detector
        // trained before the limit keeps loading
        assertThat(EncoderDecoder.of(config(Map.of("architecture", "conv", "filters", List.of(16, 32), "kernel", 200)),
                mnist, "ae", false).parameterCount()).isPositive();
        assertThat(EncoderDecoder.patchValues(new Conv2D(32, 200, 2, Padding.same(), Activation.RELU),
                Shape.of(14, 14, 16), Shape.of(7, 7, 32))).isEqualTo(7L * 7 * 200 * 200 * 16);
        assertThat(EncoderDecoder.patchValues(new Conv2DTranspose(16, 200, 2, Padding.same(), Activation.RELU),
                Shape.of(7, 7, 32), Shape.of(14, 14, 16))).isEqualTo(7L * 7 * 200 * 200 * 16);
        // a kernel of 28 (the whole image) still trains: 1.5 M patch values per instance, 0.4 GB at batch 32
        assertThat(EncoderDecoder.of(config(Map.of("architecture", "conv", "filters", List.of(16, 32), "kernel", 28)),
                mnist, "ae").parameterCount()).isPositive();
        // what ships stays well inside: the size check costs nothing to the architectures users run
        assertThat(EncoderDecoder.of(config(Map.of("architecture", "conv")), mnist, "ae").parameterCount())
                .isLessThan(EncoderDecoder.MAX_PARAMETERS);
    }
}
