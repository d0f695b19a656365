package io.oddball.runtime.scoring;

/**
 * An interval of allowed parameter values, such as {@code (0, 100]}: one place for the check and its wording, shared
 * by a component's constructor and its provider's parameter reading.
 *
 * @param min lower end
 * @param minIncluded whether {@code min} is allowed
 * @param max upper end
 * @param maxIncluded whether {@code max} is allowed
 */
public record NumberRange(double min, boolean minIncluded, double max, boolean maxIncluded) {
    /** {@code [min, max]}. */
    public static NumberRange closed(double min, double max) {
        return new NumberRange(min, true, max, true);
    }

    /** {@code (min, max)}. */
    public static NumberRange open(double min, double max) {
        return new NumberRange(min, false, max, false);
    }

    /** {@code (min, max]}. */
    public static NumberRange openClosed(double min, double max) {
        return new NumberRange(min, false, max, true);
    }

    /** Whether {@code value} lies in the range (never for NaN). */
    public boolean contains(double value) {
        return (minIncluded ? value >= min : value > min) && (maxIncluded ? value <= max : value < max);
    }

    /** {@code value}, or an {@link IllegalArgumentException} saying {@code key: expected a number in ..., found v}. */
    public double require(String key, double value) {
        if (!contains(value)) {
            throw new IllegalArgumentException(key + ": expected " + expected() + ", found " + value);
        }
        return value;
    }

    /** E.g. {@code a number in (0, 100]}. */
    public String expected() {
        return "a number in " + (minIncluded ? "[" : "(") + format(min) + ", " + format(max)
                + (maxIncluded ? "]" : ")");
    }

    /** {@code v} as a user writes it: {@code 100}, {@code 0.05}. */
    public static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
