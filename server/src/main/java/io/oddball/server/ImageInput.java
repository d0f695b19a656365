package io.oddball.server;

import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.runtime.data.DataLimits;
import io.oddball.runtime.data.ImagesReaderProvider;
import java.awt.image.BufferedImage;

/**
 * BYTES inputs holding PNG or JPEG files, for detectors of images ({@code H×W×1} or {@code H×W×3}): each decoded with
 * the runtime's image reading (its pixel limit read from the header before decoding, damaged files refused) and
 * resized to the detector's size as the {@code images} reader does.
 */
final class ImageInput {
    private final long maxPixels;

    ImageInput() {
        this(DataLimits.MAX_IMAGE_PIXELS);
    }

    ImageInput(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    Batch decode(String where, Tensor t, int n, Shape expected) {
        if (expected == null || expected.rank() != 3 || (expected.dim(2) != 1 && expected.dim(2) != 3)) {
            throw InferenceException.badRequest(where + ": BYTES (PNG or JPEG files) expected for a detector of "
                    + "images (input HxWx1 or HxWx3), found a detector of input "
                    + (expected == null ? "of any shape" : expected.toString()) + "; send numbers instead");
        }
        long[] shape = t.shape();
        if (t.size() != n || shape.length > 2) {
            throw InferenceException.badRequest(where + ": expected shape [N] or [N, 1] for N image files, found "
                    + java.util.Arrays.toString(shape));
        }
        int h = expected.dim(0);
        int w = expected.dim(1);
        int c = expected.dim(2);
        int f = h * w * c;
        float[] data = new float[n * f];
        byte[][] files = t.byteStrings();
        for (int i = 0; i < n; i++) {
            try {
                BufferedImage image = ImagesReaderProvider.decode(files[i], where + ", image " + i, maxPixels);
                System.arraycopy(ImagesReaderProvider.pixels(image, h, w, c), 0, data, i * f, f);
            } catch (DataException e) {
                throw InferenceException.badRequest(e.getMessage());
            }
        }
        return Batch.wrap(data, expected.prepend(n), null);
    }
}
