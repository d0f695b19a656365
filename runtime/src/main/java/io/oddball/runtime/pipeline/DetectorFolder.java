package io.oddball.runtime.pipeline;

import io.oddball.api.error.ModelFormatException;
import io.oddball.api.error.OddballException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * The saved-detector folder, as files ({@link DetectorStore} fills and reads it): {@code detector.yaml}
 * (human-readable: format version, detector name and version, hyper-parameters, input shape, preprocessing, scorer,
 * threshold, training-data fingerprint) beside {@code model/} (the detector's own files). Writes are atomic:
 * everything goes to a temporary sibling directory that is renamed into place, so an interrupted save leaves the
 * previous detector intact. Which folders may be written ({@code fit --out}, {@code --overwrite}) is decided here.
 */
public final class DetectorFolder {
    /** The file describing a saved detector. */
    public static final String DESCRIPTOR = "detector.yaml";
    /** The folder holding the detector's model files. */
    public static final String MODEL_DIR = "model";
    /** Value of the {@code format} key. */
    public static final String FORMAT = "oddball-detector";
    /**
     * The newest format version this code writes and reads: 2 adds the {@code embed} block (and the {@code embed/}
     * folder); a detector without an embedding stage is still written as version 1, which older Oddballs read.
     */
    public static final int FORMAT_VERSION = 2;

    private DetectorFolder() {
    }

    /**
     * Writes a saved detector to {@code dir} atomically: {@code writeModel} fills the model folder of a temporary
     * directory, {@code descriptor} is written beside it, then the directory takes the place of {@code dir} (an old
     * detector there is removed only once the new one is in place). {@code dir} must not exist or be an empty folder,
     * or, with {@code overwrite}, hold a saved detector and nothing else (see {@link #checkTarget}).
     *
     * @throws io.oddball.api.error.ConfigException if {@code dir} may not be written; nothing is written then
     */
    public static void save(Path dir, Map<String, Object> descriptor, boolean overwrite, Consumer<Path> writeModel) {
        Path target = dir.toAbsolutePath().normalize();
        checkTarget(dir, overwrite);
        Path parent = target.getParent();
        String base = target.getFileName().toString();
        Path tmp = parent.resolve("." + base + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(parent);
            Files.createDirectory(tmp);
            Path model = tmp.resolve(MODEL_DIR);
            Files.createDirectory(model);
            writeModel.accept(model);
            Files.writeString(tmp.resolve(DESCRIPTOR), dump(descriptor), StandardCharsets.UTF_8);
            replace(tmp, target);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new OddballException(target + ": cannot save the detector: " + e, e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /** Rewrites only {@code detector.yaml} of a saved detector, atomically (temp file, then rename). */
    public static void rewriteDescriptor(Path dir, Map<String, Object> descriptor) {
        Path file = dir.resolve(DESCRIPTOR);
        Path tmp = dir.resolve("." + DESCRIPTOR + ".tmp-" + UUID.randomUUID());
        try {
            Files.writeString(tmp, dump(descriptor), StandardCharsets.UTF_8);
            move(tmp, file);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new OddballException(file + ": cannot update: " + e, e);
        }
    }

    /** Reads and checks {@code detector.yaml} of {@code dir}. */
    public static Map<String, Object> readDescriptor(Path dir) {
        Path file = dir.resolve(DESCRIPTOR);
        if (!Files.exists(dir)) {
            // a path that does not exist is a usage error (exit 2); one that exists but does not load, a failure
            throw new io.oddball.api.error.ConfigException(dir + ": expected a saved detector directory, found "
                    + "nothing");
        }
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(dir + ": expected a saved detector directory, found a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + ": expected the saved detector's descriptor, found no such file");
        }
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
            // one line: SnakeYAML's own message spans several, with a snippet of the file
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ModelFormatException(file + ":" + line + ": expected a readable YAML descriptor, found: "
                    + e.getProblem(), e);
        } catch (IOException | YAMLException e) {
            throw new ModelFormatException(file + ": expected a readable YAML descriptor, found: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> m)) {
            throw new ModelFormatException(file + ": expected a YAML mapping, found " + root);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) m;
        if (!FORMAT.equals(map.get("format"))) {
            throw new ModelFormatException(file + " format: expected '" + FORMAT + "', found " + map.get("format"));
        }
        Object v = map.get("formatVersion");
        if (!(v instanceof Integer version)) {
            throw new ModelFormatException(file + " formatVersion: expected an integer, found " + v);
        }
        if (version > FORMAT_VERSION) {
            throw new ModelFormatException(file + " formatVersion: expected at most " + FORMAT_VERSION
                    + ", found " + version + "; it was written by a newer Oddball: upgrade to load it");
        }
        if (version < 1) {
            throw new ModelFormatException(file + " formatVersion: expected 1.." + FORMAT_VERSION + ", found "
                    + version);
        }
        if (!Files.isDirectory(dir.resolve(MODEL_DIR))) {
            throw new ModelFormatException(dir.resolve(MODEL_DIR) + ": expected the model folder, found nothing");
        }
        return map;
    }

    static String dump(Map<String, Object> descriptor) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setPrettyFlow(true);
        o.setWidth(120);
        Representer r = new Representer(o);
        return "# Oddball saved detector: human-readable description; the model is in " + MODEL_DIR + "/\n"
                + new Yaml(r, o).dump(new LinkedHashMap<>(descriptor));
    }

    /**
     * Checks that a detector may be saved to {@code dir}: it does not exist, is an empty folder, or, with
     * {@code overwrite}, is a folder holding a saved detector of Oddball's and nothing else. A folder holding anything
     * else is refused even with {@code overwrite}, naming the first such file, and never deleted.
     *
     * @throws io.oddball.api.error.ConfigException naming {@code dir} (as given) when it may not be written
     */
    public static void checkTarget(Path dir, boolean overwrite) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new io.oddball.api.error.ConfigException(dir + ": expected a folder for the detector, found a "
                    + "file; choose another folder");
        }
        String foreign = foreignEntry(dir);
        if (foreign != null) {
            throw new io.oddball.api.error.ConfigException(dir + ": expected a saved Oddball detector to replace, "
                    + "found " + foreign + " (not part of one); choose another folder (nothing was deleted)");
        }
        if (!overwrite && !isEmpty(dir)) {
            throw new io.oddball.api.error.ConfigException(dir + ": exists; pass --overwrite to replace the "
                    + "detector in it");
        }
    }

    /**
     * The first entry (by name) of folder {@code dir} that is not part of a saved detector, or null when it holds
     * only {@code detector.yaml} (of format {@value #FORMAT}), {@code model/}, {@code embed/} and hidden leftovers of
     * an interrupted update of {@code detector.yaml}. A {@code detector.yaml} of another format counts as foreign.
     */
    public static String foreignEntry(Path dir) {
        java.util.List<Path> entries = new java.util.ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(entries::add);
        } catch (IOException e) {
            throw new OddballException(dir + ": cannot list the folder: " + e, e);
        }
        entries.sort(java.util.Comparator.comparing(p -> p.getFileName().toString()));
        for (Path e : entries) {
            String name = e.getFileName().toString();
            boolean ours = switch (name) {
                case DESCRIPTOR -> Files.isRegularFile(e) && isOurDescriptor(e);
                case MODEL_DIR, EmbedStage.DIR -> Files.isDirectory(e);
                default -> name.startsWith("." + DESCRIPTOR + ".tmp-") && Files.isRegularFile(e);
            };
            if (!ours) {
                return name + (Files.isDirectory(e) ? "/" : "");
            }
        }
        return null;
    }

    private static boolean isOurDescriptor(Path file) {
        try {
            Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
            return root instanceof Map<?, ?> m && FORMAT.equals(m.get("format"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            return !ds.iterator().hasNext();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void replace(Path tmp, Path target) throws IOException {
        if (!Files.exists(target)) {
            move(tmp, target);
            return;
        }
        Path old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
        move(target, old);
        try {
            move(tmp, target);
        } catch (IOException e) {
            move(old, target);
            throw e;
        }
        deleteQuietly(old);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a directory tree, ignoring failures. */
    static void deleteQuietly(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try {
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // best effort: a leftover hidden temp folder is harmless
        }
    }
}
