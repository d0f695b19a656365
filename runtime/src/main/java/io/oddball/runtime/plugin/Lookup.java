package io.oddball.runtime.plugin;

import java.util.List;

/**
 * What looking up a provider by kind and name found: the provider ({@link Found}), no provider of that name
 * ({@link Unknown}), or several claiming it ({@link Clash}, which leaves the name unusable). Callers branch on the
 * type; a failed lookup carries the one line that says what went wrong.
 */
public sealed interface Lookup permits Lookup.Found, Lookup.Failed {
    /** The usable provider, with where it came from. */
    record Found(PluginInfo plugin) implements Lookup {
        /** The provider, as the kind's SPI type. */
        public <T> T provider(Class<T> type) {
            return type.cast(plugin.provider());
        }
    }

    /** A lookup that found no usable provider. */
    sealed interface Failed extends Lookup permits Unknown, Clash {
        /** One line for the user, e.g. {@code detector type: expected one of [knn], found 'kn'}. */
        String message();
    }

    /**
     * No provider of that name.
     *
     * @param known the usable names of the kind, sorted
     */
    record Unknown(Kind kind, String name, List<String> known) implements Failed {
        public Unknown {
            known = List.copyOf(known);
        }

        @Override
        public String message() {
            return kind.label() + " type: expected one of " + known + ", found '" + name + "'";
        }
    }

    /**
     * Two or more providers claim the name.
     *
     * @param sources where each came from (a jar path or the class path), in discovery order
     */
    record Clash(Kind kind, String name, List<String> sources) implements Failed {
        public Clash {
            sources = List.copyOf(sources);
        }

        @Override
        public String message() {
            return kind.label() + " type '" + name + "': expected one provider, found " + sources.size() + ": "
                    + String.join(", ", sources);
        }
    }
}
