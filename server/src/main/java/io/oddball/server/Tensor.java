package io.oddball.server;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One tensor of a request or response, as the Open Inference Protocol has it: a name, a shape, a datatype and its
 * elements flat in row-major order. Numbers (BOOL as 0/1) are held as doubles, BYTES elements as byte arrays; the
 * REST and gRPC front doors translate their encodings to and from this one form.
 */
public final class Tensor {
    private final String name;
    private final Datatype datatype;
    private final long[] shape;
    private final double[] numbers;
    private final byte[][] bytes;
    private final Map<String, Object> parameters;

    private Tensor(String name, Datatype datatype, long[] shape, double[] numbers, byte[][] bytes,
            Map<String, Object> parameters) {
        this.name = Objects.requireNonNull(name, "name is null");
        this.datatype = Objects.requireNonNull(datatype, "datatype is null");
        this.shape = shape.clone();
        this.numbers = numbers;
        this.bytes = bytes;
        this.parameters = parameters == null ? Map.of() : parameters;
    }

    /** A numeric (or BOOL) tensor; {@code values} is taken over. */
    public static Tensor numeric(String name, Datatype datatype, long[] shape, double[] values,
            Map<String, Object> parameters) {
        if (datatype == Datatype.BYTES) {
            throw new IllegalArgumentException("BYTES tensors hold byte strings");
        }
        return new Tensor(name, datatype, shape, values, null, parameters);
    }

    /** A BYTES tensor; {@code values} is taken over. */
    public static Tensor bytes(String name, long[] shape, byte[][] values, Map<String, Object> parameters) {
        return new Tensor(name, Datatype.BYTES, shape, null, values, parameters);
    }

    public String name() {
        return name;
    }

    public Datatype datatype() {
        return datatype;
    }

    public long[] shape() {
        return shape.clone();
    }

    /** The numbers, row-major (not copied: do not change them); null for BYTES. */
    public double[] numbers() {
        return numbers;
    }

    /** The byte strings (not copied); null unless BYTES. */
    public byte[][] byteStrings() {
        return bytes;
    }

    public Map<String, Object> parameters() {
        return parameters;
    }

    /** Number of elements: {@code numbers().length} or {@code byteStrings().length}. */
    public int size() {
        return numbers != null ? numbers.length : bytes.length;
    }

    /** Elements the shape calls for, or -1 for a negative dimension or more than fits an int. */
    public static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                return -1;
            }
            n = Math.multiplyExact(n, d);
            if (n > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return n;
    }

    /** A parameter as a boolean: true for {@code true}, {@code "true"} or a non-zero number. */
    public static boolean flag(Map<String, Object> parameters, String key) {
        Object v = parameters == null ? null : parameters.get(key);
        return v instanceof Boolean b ? b : v instanceof Number n ? n.longValue() != 0
                : v instanceof String s && s.equalsIgnoreCase("true");
    }

    @Override
    public String toString() {
        return "Tensor[" + name + ", " + datatype + ", " + Arrays.toString(shape) + "]";
    }
}
