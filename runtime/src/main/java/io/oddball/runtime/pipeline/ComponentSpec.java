package io.oddball.runtime.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pluggable component chosen by {@code type} with its parameters, as written in YAML and in {@code detector.yaml}
 * ({@code {type: top-percent, outlierPerc: 75}}).
 *
 * @param type the provider name
 * @param params the other keys, plain values
 */
public record ComponentSpec(String type, Map<String, Object> params) {
    public ComponentSpec {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** {@code type} first, then the parameters: the YAML form. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.putAll(params);
        return m;
    }

    /** Reads {@code {type: ..., ...}}. */
    public static ComponentSpec fromMap(Map<String, Object> m) {
        Map<String, Object> p = new LinkedHashMap<>(m);
        Object t = p.remove("type");
        return new ComponentSpec(t == null ? null : String.valueOf(t), p);
    }
}
