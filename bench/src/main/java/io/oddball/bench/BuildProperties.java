package io.oddball.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The system properties of a benchmark variant, set while its graph is built and restored after: a variant is
 * {@code key=value,key2=value2} ({@code key} alone means {@code key=true}), or {@code -} for none.
 */
final class BuildProperties {
    private BuildProperties() {
    }

    /** {@code build} run with the properties of {@code variant} set; the previous values come back afterwards. */
    static <T> T with(String variant, Supplier<T> build) {
        List<String[]> previous = new ArrayList<>();
        try {
            if (!variant.equals("-")) {
                for (String kv : variant.split(",")) {
                    String[] p = kv.split("=", 2);
                    previous.add(new String[] {p[0], System.getProperty(p[0])});
                    System.setProperty(p[0], p.length > 1 ? p[1] : "true");
                }
            }
            return build.get();
        } finally {
            for (String[] p : previous) {
                if (p[1] == null) {
                    System.clearProperty(p[0]);
                } else {
                    System.setProperty(p[0], p[1]);
                }
            }
        }
    }
}
