package io.oddball.runtime.plugin;

/**
 * One provider found by discovery: its kind, name, version and where it came from (a jar path or "class path").
 *
 * @param kind detector, scorer, threshold or reader
 * @param name type name used in YAML
 * @param version the provider's version
 * @param source the jar (or class-path entry) it was loaded from
 * @param provider the provider instance
 */
public record PluginInfo(Kind kind, String name, String version, String source, Object provider) {

    /** Whether it comes from the host class path rather than a plugin folder's jar. */
    public boolean fromClassPath() {
        return source.startsWith("class path");
    }
}
