package io.oddball.detector.llr.pixelcnn;

/**
 * The hyper-parameters of a {@link PixelCnn} (names as Alibi Detect's and TensorFlow Probability's {@code PixelCNN}).
 *
 * @param numResnet gated residual blocks per hierarchy (up pass; the down pass has one more after the first)
 * @param numHierarchies resolutions: 28×28 → 14×14 → … ({@code numHierarchies − 1} stride-2 down-samplings)
 * @param numFilters channels of both streams
 * @param receptiveFieldHeight odd height of the convolutions' receptive field (3: the vertical stream sees 2 rows)
 * @param receptiveFieldWidth odd width of the convolutions' receptive field
 * @param numLogisticMix components of the discretised logistic mixture per pixel and channel
 * @param dropout channel-dropout rate inside the residual blocks while training (whole feature maps, as PyTorch's
 *     {@code Dropout2d}), in [0, 1)
 */
public record PixelCnnSpec(int numResnet, int numHierarchies, int numFilters, int receptiveFieldHeight,
        int receptiveFieldWidth, int numLogisticMix, double dropout) {
    public PixelCnnSpec {
        if (numResnet < 1 || numHierarchies < 1 || numFilters < 1 || numLogisticMix < 1) {
            throw new IllegalArgumentException("pixelcnn: expected numResnet, numHierarchies, numFilters and "
                    + "numLogisticMix >= 1, found " + numResnet + ", " + numHierarchies + ", " + numFilters + ", "
                    + numLogisticMix);
        }
        if (receptiveFieldHeight < 3 || receptiveFieldWidth < 3 || receptiveFieldHeight % 2 == 0
                || receptiveFieldWidth % 2 == 0) {
            throw new IllegalArgumentException("pixelcnn: expected odd receptiveFieldDims >= 3, found ["
                    + receptiveFieldHeight + ", " + receptiveFieldWidth + "]");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("pixelcnn: expected dropout in [0, 1), found " + dropout);
        }
    }

    /** Kernel of the down-shifted (vertical) convolutions: {@code [h/2 + 1, w]}. */
    int[] verticalKernel() {
        return new int[] {receptiveFieldHeight / 2 + 1, receptiveFieldWidth};
    }

    /** Kernel of the down-right-shifted (horizontal) convolutions: {@code [h/2 + 1, w/2 + 1]}. */
    int[] horizontalKernel() {
        return new int[] {receptiveFieldHeight / 2 + 1, receptiveFieldWidth / 2 + 1};
    }
}
