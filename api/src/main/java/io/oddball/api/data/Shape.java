package io.oddball.api.data;

import java.util.Arrays;

/** An immutable tensor shape, channels last ({@code N×H×W×C} for images, {@code N×F} for rows). */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("shape dimensions must be >= 0, found " + Arrays.toString(dims));
            }
        }
        this.dims = dims;
    }

    /** A shape with the given dimensions (copied). */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** Parses {@code "28x28x1"} or {@code "[28, 28, 1]"}. */
    public static Shape parse(String text) {
        String t = text.replace("[", "").replace("]", "").trim();
        if (t.isEmpty()) {
            return of();
        }
        String[] parts = t.split("\\s*[x×,]\\s*");
        int[] d = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            d[i] = Integer.parseInt(parts[i].trim());
        }
        return new Shape(d);
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i];
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements (product of the dimensions; 1 for a scalar). */
    public long size() {
        long s = 1;
        for (int d : dims) {
            s *= d;
        }
        return s;
    }

    /** The shape with {@code n} put in front (a batch of this shape). */
    public Shape prepend(int n) {
        int[] d = new int[dims.length + 1];
        d[0] = n;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return new Shape(d);
    }

    /** The shape without its first dimension (the instance shape of a batch shape). */
    public Shape tail() {
        if (dims.length == 0) {
            throw new IllegalStateException("a scalar shape has no tail");
        }
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code 28x28x1}; the empty string for a scalar. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                b.append('x');
            }
            b.append(dims[i]);
        }
        return b.toString();
    }
}
