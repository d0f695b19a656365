package io.oddball.api;

import io.oddball.api.error.ConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** The {@link Params} implementation over a plain map; the runtime gives it a {@link Locator} for YAML lines. */
public final class MapParams implements Params {
    /** Finds where a dotted path is written, e.g. {@code pipeline.yaml:12}; returns null when unknown. */
    @FunctionalInterface
    public interface Locator {
        String locate(String path);
    }

    static final Locator NO_LOCATION = path -> null;

    private final Map<String, Object> values;
    private final String path;
    private final Locator locator;
    private final Set<String> consumed = new LinkedHashSet<>();
    private final List<String> problems;
    private final List<MapParams> children = new ArrayList<>();

    MapParams(Map<String, ?> values, String path, Locator locator) {
        this(values, path, locator, new ArrayList<>());
    }

    private MapParams(Map<String, ?> values, String path, Locator locator, List<String> problems) {
        this.values = new LinkedHashMap<>(values == null ? Map.of() : values);
        this.path = path == null ? "" : path;
        this.locator = locator == null ? NO_LOCATION : locator;
        this.problems = problems;
    }

    @Override
    public String path() {
        return path;
    }

    private String full(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** {@code file:line path} where the location is known, else just the path. */
    public String where(String key) {
        String p = full(key);
        String loc = locator.locate(p);
        if (loc == null) {
            loc = locator.locate(path);
        }
        return loc == null ? p : loc + " " + p;
    }

    @Override
    public boolean has(String key) {
        return values.containsKey(key);
    }

    @Override
    public Set<String> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    @Override
    public Object getRaw(String key) {
        consumed.add(key);
        return values.get(key);
    }

    @Override
    public void problem(String key, String expected, Object found) {
        problems.add(where(key) + ": expected " + expected + ", found " + describe(found));
    }

    static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        return String.valueOf(v);
    }

    @Override
    public String getString(String key, String defaultValue) {
        return read(key, defaultValue, "a string",
                v -> v instanceof String || v instanceof Number || v instanceof Boolean ? String.valueOf(v) : null);
    }

    /**
     * The value of {@code key} converted by {@code convert} (null: it cannot be), {@code defaultValue} when absent or
     * when it cannot be converted, which is recorded as a problem expecting {@code expected}.
     */
    private <T> T read(String key, T defaultValue, String expected, Function<Object, T> convert) {
        Object v = getRaw(key);
        if (v == null) {
            return defaultValue;
        }
        T converted = convert.apply(v);
        if (converted == null) {
            problem(key, expected, v);
            return defaultValue;
        }
        return converted;
    }

    @Override
    public String requireString(String key) {
        if (!has(key)) {
            consumed.add(key);
            problems.add(where(key) + ": expected a value, found nothing (this key is required)");
            return null;
        }
        return getString(key, null);
    }

    @Override
    public int getInt(String key, int defaultValue) {
        return read(key, defaultValue, "an integer", v -> {
            Long n = integer(v);
            return n != null && n == n.intValue() ? n.intValue() : null;
        });
    }

    @Override
    public long getLong(String key, long defaultValue) {
        return read(key, defaultValue, "an integer", MapParams::integer);
    }

    /** {@code v} as a whole number: an Integer, a Long or a String of one; null for anything else. */
    private static Long integer(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return Long.valueOf(((Number) v).longValue());
        }
        return v instanceof String s ? parsed(s, Long::valueOf) : null;
    }

    /** {@code s}, trimmed, read by {@code parse}; null when it is not a number. */
    private static <T> T parsed(String s, Function<String, T> parse) {
        try {
            return parse.apply(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public double getDouble(String key, double defaultValue) {
        return read(key, defaultValue, "a number", v -> v instanceof Number n ? Double.valueOf(n.doubleValue())
                : v instanceof String s ? parsed(s, Double::valueOf) : null);
    }

    @Override
    public boolean getBoolean(String key, boolean defaultValue) {
        return read(key, defaultValue, "true or false", v -> {
            if (v instanceof Boolean b) {
                return b;
            }
            return v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))
                    ? Boolean.valueOf(s) : null;
        });
    }

    @Override
    public List<Double> getDoubleList(String key, List<Double> defaultValue) {
        Object v = getRaw(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n) {
            return List.of(n.doubleValue());
        }
        if (v instanceof List<?> list) {
            List<Double> out = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof Number n)) {
                    problem(key, "a list of numbers", v);
                    return defaultValue;
                }
                out.add(n.doubleValue());
            }
            return List.copyOf(out);
        }
        problem(key, "a number or a list of numbers", v);
        return defaultValue;
    }

    @Override
    public String getChoice(String key, String defaultValue, List<String> allowed) {
        String s = getString(key, defaultValue);
        if (s == null || allowed.contains(s)) {
            return s;
        }
        problem(key, "one of " + allowed, s);
        return defaultValue;
    }

    @Override
    public Params child(String key) {
        Object v = getRaw(key);
        Map<String, Object> m = Map.of();
        if (v instanceof Map<?, ?> map) {
            m = stringKeys(map);
        } else if (v != null) {
            problem(key, "a mapping", v);
        }
        MapParams c = new MapParams(m, full(key), locator, problems);
        children.add(c);
        return c;
    }

    @Override
    public List<Params> children(String key) {
        Object v = getRaw(key);
        List<Params> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof List<?> list)) {
            problem(key, "a list of mappings", v);
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            Object o = list.get(i);
            String p = full(key) + "[" + i + "]";
            if (o instanceof Map<?, ?> map) {
                MapParams c = new MapParams(stringKeys(map), p, locator, problems);
                children.add(c);
                out.add(c);
            } else {
                problems.add(where(key + "[" + i + "]") + ": expected a mapping, found " + describe(o));
            }
        }
        return out;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> m = new LinkedHashMap<>();
        map.forEach((k, val) -> m.put(String.valueOf(k), val));
        return m;
    }

    @Override
    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(values);
    }

    @Override
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Unread keys here and in every child taken, with a did-you-mean hint. */
    private void collectUnknown(List<String> out) {
        for (String k : values.keySet()) {
            if (!consumed.contains(k)) {
                String hint = io.oddball.api.error.DidYouMean.closest(k, consumed);
                out.add(where(k) + ": unknown key" + (hint == null ? "" : "; did you mean '" + hint + "'?"));
            }
        }
        for (MapParams c : children) {
            c.collectUnknown(out);
        }
    }

    @Override
    public void finish() {
        List<String> all = new ArrayList<>(problems);
        collectUnknown(all);
        if (!all.isEmpty()) {
            throw new ConfigException(all);
        }
    }

    @Override
    public String toString() {
        return (path.isEmpty() ? "params" : path) + values;
    }
}
