package io.oddball.runtime.output;

import java.io.File;
import java.nio.file.Path;

/**
 * Paths as a person reads them in reports and messages: a data name that starts with the working directory is shown
 * relative to it ({@code data/mnist/...} rather than {@code /home/someone/oddball/data/mnist/...}); any other name,
 * an absolute path elsewhere included, is shown as it is.
 */
public final class DisplayPath {
    private DisplayPath() {
    }

    /** {@code name} relative to the working directory when it starts with it, else {@code name}. */
    public static String of(String name) {
        return of(name, Path.of("").toAbsolutePath());
    }

    /** {@code name} relative to {@code base} (an absolute folder) when it starts with it, else {@code name}. */
    public static String of(String name, Path base) {
        if (name == null) {
            return null;
        }
        String prefix = base.toString().endsWith(File.separator) ? base.toString() : base + File.separator;
        return name.startsWith(prefix) && name.length() > prefix.length() ? name.substring(prefix.length()) : name;
    }
}
