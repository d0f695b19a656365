package io.oddball.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The arguments of the bench mains: {@code --key value ...}, where a key followed by another key or by nothing (such
 * as KnnBench's {@code --memory}) reads {@code "true"}; read by key, with a default for a key not given.
 */
final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();

    private Args() {
    }

    static Args parse(String[] args) {
        Args a = new Args();
        for (int i = 0; i < args.length; i++) {
            String k = args[i].replaceFirst("^--", "");
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                a.values.put(k, args[++i]);
            } else {
                a.values.put(k, "true");
            }
        }
        return a;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    /** The value of {@code key}, or null. */
    String get(String key) {
        return values.get(key);
    }

    String get(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    int getInt(String key, int defaultValue) {
        String v = values.get(key);
        return v == null ? defaultValue : Integer.parseInt(v);
    }

    long getLong(String key, long defaultValue) {
        String v = values.get(key);
        return v == null ? defaultValue : Long.parseLong(v);
    }

    double getDouble(String key, double defaultValue) {
        String v = values.get(key);
        return v == null ? defaultValue : Double.parseDouble(v);
    }
}
