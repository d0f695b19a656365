package io.oddball.api;

import io.oddball.api.error.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Named parameters of a component, consumed as they are read (Lucene-style): a getter marks its key as used, and
 * {@link #finish()} reports every key never read and every value of the wrong type or range, all at once, each as
 * {@code file:line path: expected X, found Y}. Values are plain Java: numbers, strings, booleans, lists and maps.
 */
public interface Params {
    /** Dotted path of this parameter block in its file, e.g. {@code detector} or {@code detector.fit}. */
    String path();

    /** Whether {@code key} is present. Does not consume it. */
    boolean has(String key);

    /** Keys present, in file order. */
    Set<String> keys();

    String getString(String key, String defaultValue);

    /** A string that must be present. */
    String requireString(String key);

    int getInt(String key, int defaultValue);

    long getLong(String key, long defaultValue);

    double getDouble(String key, double defaultValue);

    boolean getBoolean(String key, boolean defaultValue);

    /** A list of numbers; a single number is read as a one-element list. */
    List<Double> getDoubleList(String key, List<Double> defaultValue);

    /** A string that must be one of {@code allowed}. */
    String getChoice(String key, String defaultValue, List<String> allowed);

    /** A nested block ({@code fit: {epochs: 3}}); empty if absent. Its unread keys are reported by this block's finish. */
    Params child(String key);

    /** Nested blocks of a list ({@code preprocess: [{scale: 255}]}); empty if absent. */
    List<Params> children(String key);

    /** The raw value of {@code key}, consumed; null if absent. */
    Object getRaw(String key);

    /** Records a problem with {@code key}'s value (e.g. out of range) to be reported by {@link #finish()}. */
    void problem(String key, String expected, Object found);

    /** All keys and values as plain Java (nothing is consumed). */
    Map<String, Object> asMap();

    /**
     * Reports, at once, every problem recorded and every key never read, here and in the children taken.
     *
     * @throws ConfigException listing every problem
     */
    void finish();

    /** Problems found so far (without unread keys). */
    List<String> problems();

    /** Parameters from a plain map, for use from Java code. */
    static Params of(Map<String, ?> values) {
        return new MapParams(values, "", MapParams.NO_LOCATION);
    }

    /** Parameters from a plain map, with a path prefix and a way to find each path's location in its file. */
    static Params of(Map<String, ?> values, String path, MapParams.Locator locator) {
        return new MapParams(values, path, locator);
    }

    /** No parameters. */
    static Params empty() {
        return of(Map.of());
    }
}
