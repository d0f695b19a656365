package io.oddball.tf.layers;

import io.oddball.tf.TfOptions;
import io.oddball.tf.ops.BuiltLibrary;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every test of {@link LayersTest} with the layers built on Oddball's op library (its patches in strided
 * convolutions, its sum into place in transposed ones): the same values as the stock ops and the references.
 */
@ExtendWith(BuiltLibrary.class)
class OpLibraryLayersTest extends LayersTest {
    @Override
    TfOptions options() {
        return BuiltLibrary.ON;
    }
}
