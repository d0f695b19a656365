package io.oddball.runtime.plugin;

import io.oddball.api.error.PluginException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every provider discovery found, by kind and name, with the problems met on the way (a jar that failed to load, two
 * providers claiming one name). A plugin-folder jar claiming a name the host class path (Oddball's own detectors, or
 * the application's) already provides is skipped and reported: the host's stays. A name claimed twice otherwise (two
 * plugin jars, or two class-path jars) stays unusable, with an error naming both sources, while the other names keep
 * working. Immutable once built.
 */
public final class Plugins {
    private final Map<Kind, Map<String, PluginInfo>> byKind;
    private final Map<Kind, Map<String, List<String>>> clashes;
    private final List<String> problems;

    private Plugins(Map<Kind, Map<String, PluginInfo>> byKind, Map<Kind, Map<String, List<String>>> clashes,
            List<String> problems) {
        this.byKind = byKind;
        this.clashes = clashes;
        this.problems = List.copyOf(problems);
    }

    /** Builds the set from providers in discovery order; a second provider of a name is a clash. */
    static Plugins of(List<PluginInfo> found, List<String> problems) {
        Map<Kind, Map<String, PluginInfo>> byKind = new EnumMap<>(Kind.class);
        Map<Kind, Map<String, List<String>>> clashes = new EnumMap<>(Kind.class);
        List<String> allProblems = new ArrayList<>(problems);
        for (Kind k : Kind.values()) {
            byKind.put(k, new TreeMap<>());
            clashes.put(k, new LinkedHashMap<>());
        }
        for (PluginInfo p : found) {
            Map<String, PluginInfo> m = byKind.get(p.kind());
            PluginInfo first = m.get(p.name());
            if (first == null && !clashes.get(p.kind()).containsKey(p.name())) {
                m.put(p.name(), p);
                continue;
            }
            if (first != null && first.fromClassPath() != p.fromClassPath()) {
                PluginInfo host = first.fromClassPath() ? first : p;
                PluginInfo plugin = first.fromClassPath() ? p : first;
                m.put(p.name(), host);
                allProblems.add(plugin.source() + ": " + p.kind().label() + " '" + p.name() + "' is already provided "
                        + "by " + host.source() + ", which stays; skipped (give the plugin's " + p.kind().label()
                        + " another name to use both)");
                continue;
            }
            List<String> sources = clashes.get(p.kind()).computeIfAbsent(p.name(), n -> new ArrayList<>());
            if (first != null) {
                sources.add(first.source());
                m.remove(p.name());
            }
            sources.add(p.source());
            allProblems.add(p.kind().label() + " '" + p.name() + "' is provided twice: by " + String.join(" and by ",
                    sources) + "; remove one of them (the name cannot be used until then)");
        }
        return new Plugins(byKind, clashes, allProblems);
    }

    /** The provider of {@code kind} named {@code name}, or a {@link PluginException} listing the known names. */
    public <T> T get(Kind kind, String name, Class<T> type) {
        Lookup found = lookup(kind, name);
        if (found instanceof Lookup.Failed failed) {
            throw new PluginException(failed.message());
        }
        return ((Lookup.Found) found).provider(type);
    }

    /** Looks up the provider of {@code kind} named {@code name}: found, unknown, or claimed by several sources. */
    public Lookup lookup(Kind kind, String name) {
        PluginInfo p = byKind.get(kind).get(name);
        if (p != null) {
            return new Lookup.Found(p);
        }
        List<String> clash = clashes.get(kind).get(name);
        return clash != null ? new Lookup.Clash(kind, name, clash) : new Lookup.Unknown(kind, name, names(kind));
    }

    /** Whether a usable provider of this kind and name exists. */
    public boolean has(Kind kind, String name) {
        return byKind.get(kind).containsKey(name);
    }

    /** Usable names of one kind, sorted. */
    public List<String> names(Kind kind) {
        return List.copyOf(byKind.get(kind).keySet());
    }

    /** Usable providers of one kind by name (sorted by name). */
    public <T> Map<String, T> providers(Kind kind, Class<T> type) {
        Map<String, T> out = new LinkedHashMap<>();
        byKind.get(kind).forEach((n, p) -> out.put(n, type.cast(p.provider())));
        return Collections.unmodifiableMap(out);
    }

    /** Every usable provider, by kind then name. */
    public List<PluginInfo> all() {
        List<PluginInfo> out = new ArrayList<>();
        for (Kind k : Kind.values()) {
            out.addAll(byKind.get(k).values());
        }
        return out;
    }

    /** What went wrong during discovery, one message each. */
    public List<String> problems() {
        return problems;
    }
}
