package io.oddball.tf.layers;

import io.oddball.tf.TfOptions;
import io.oddball.tf.ops.BuiltLibrary;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every test of {@link SpatialConvTest} with the kernel gradient taken by Oddball's op library. */
@ExtendWith(BuiltLibrary.class)
class OpLibrarySpatialConvTest extends SpatialConvTest {
    @Override
    TfOptions options() {
        return BuiltLibrary.ON;
    }
}
