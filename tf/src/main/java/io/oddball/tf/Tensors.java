package io.oddball.tf;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Batch;
import java.util.Arrays;
import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Conversions between Java arrays and tensors. Every tensor returned is new native memory owned by the caller: use
 * it in try-with-resources. Readers copy out of a tensor (or out of a {@link Result}) without closing it.
 */
public final class Tensors {
    private Tensors() {
    }

    /** A float tensor of {@code shape} holding {@code data[offset ..]} (copied). */
    public static TFloat32 floatsAt(float[] data, int offset, long... shape) {
        requireNonNull(data, "data is null");
        long n = checkedSize(shape, data.length - (long) offset);
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false).slice(offset, n));
    }

    /** A float tensor of {@code shape} holding all of {@code data} (copied). */
    public static TFloat32 floats(float[] data, long... shape) {
        requireNonNull(data, "data is null");
        checkedSize(shape, data.length);
        if (Shape.of(shape).size() != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs "
                    + Shape.of(shape).size() + " values, found " + data.length);
        }
        return floatsAt(data, 0, shape);
    }

    /** A float tensor of the batch's full shape (instances first). */
    public static TFloat32 floats(Batch batch) {
        requireNonNull(batch, "batch is null");
        int[] d = batch.shape().dims();
        long[] shape = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            shape[i] = d[i];
        }
        float[] data = new float[batch.size() * batch.featuresPerInstance()];
        batch.data().get(data);
        return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
    }

    /** A double tensor of {@code shape} holding {@code data} (copied). */
    public static TFloat64 doubles(double[] data, long... shape) {
        requireNonNull(data, "data is null");
        checkedSize(shape, data.length);
        return TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false).slice(0, Shape.of(shape).size()));
    }

    /** An int tensor of {@code shape} holding {@code data} (copied). */
    public static TInt32 ints(int[] data, long... shape) {
        requireNonNull(data, "data is null");
        checkedSize(shape, data.length);
        return TInt32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false).slice(0, Shape.of(shape).size()));
    }

    /** A long tensor of {@code shape} holding {@code data} (copied). */
    public static TInt64 longs(long[] data, long... shape) {
        requireNonNull(data, "data is null");
        checkedSize(shape, data.length);
        return TInt64.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false).slice(0, Shape.of(shape).size()));
    }

    /** All values of a float tensor, row-major. */
    public static float[] toFloats(TFloat32 t) {
        float[] out = new float[Math.toIntExact(t.size())];
        t.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    /** All values of a double tensor, row-major. */
    public static double[] toDoubles(TFloat64 t) {
        double[] out = new double[Math.toIntExact(t.size())];
        t.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    /** All values of an int tensor, row-major. */
    public static int[] toInts(TInt32 t) {
        int[] out = new int[Math.toIntExact(t.size())];
        t.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    /** Output {@code index} of a session result as a tensor of {@code type}, failing clearly on another type. */
    public static <T extends Tensor> T get(Result result, int index, Class<T> type) {
        requireNonNull(result, "result is null");
        Tensor t = result.get(index);
        if (!type.isInstance(t)) {
            throw new IllegalStateException("session output " + index + ": expected " + type.getSimpleName()
                    + ", found " + t.dataType());
        }
        return type.cast(t);
    }

    private static long checkedSize(long[] shape, long available) {
        long n = Shape.of(shape).size();
        if (n < 0 || n > available) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                    + " values, found " + available);
        }
        return n;
    }
}
