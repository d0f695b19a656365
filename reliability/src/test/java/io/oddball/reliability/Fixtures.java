package io.oddball.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * Data and fitted detectors shared by the tests of this module: written once per JVM under {@code target/fixtures},
 * fitted through the CLI like a user would.
 */
final class Fixtures {
    /** Where fixtures live (the module's build folder; surefire runs in the module directory). */
    static final Path ROOT = Path.of("target", "fixtures").toAbsolutePath();
    /** Features per row of the tabular fixtures. */
    static final int FEATURES = 5;

    private static Path knn;

    private Fixtures() {
    }

    /** A CSV of {@code n} rows of {@link #FEATURES} gaussian features around {@code shift}, header a..e. */
    static Path csv(String name, int n, double shift, long seed) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder("a,b,c,d,e\n");
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < FEATURES; j++) {
                s.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", shift + r.nextGaussian()));
            }
            s.append('\n');
        }
        return write(name, s.toString());
    }

    /** Writes {@code text} to {@code ROOT/name}. */
    static Path write(String name, String text) {
        try {
            Files.createDirectories(ROOT);
            return Files.writeString(ROOT.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A KNN detector fitted (with {@code oddball fit}) on 300 rows of {@code train.csv}, saved once per JVM. */
    static synchronized Path knn() {
        if (knn == null) {
            Path train = csv("train.csv", 300, 0, 1);
            Path yaml = write("knn.yaml", """
                    detector: {type: knn, k: 5}
                    data: {train: {path: %s}}
                    threshold: {type: percentile, percent: 95}
                    """.formatted(train));
            Path dir = ROOT.resolve("knn");
            // target/fixtures outlives a run: replace the detector an earlier run fitted here
            Cli.run("fit", yaml, "--out", dir, "--overwrite").ok();
            knn = dir;
        }
        return knn;
    }

    /** A fresh, empty folder under {@link #ROOT} for one test's outputs. */
    static Path folder(String name) {
        try {
            Path p = ROOT.resolve(name);
            if (Files.exists(p)) {
                try (var walk = Files.walk(p)) {
                    for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the saved detector {@code dir} at {@code to} (which must not exist or be empty). */
    static Path copyOf(Path dir, Path to) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(dir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
