package io.oddball.runtime.pipeline;

import io.oddball.api.error.ModelFormatException;
import io.oddball.api.error.OddballException;
import io.oddball.runtime.config.YamlDocument;
import io.oddball.runtime.output.OutputFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
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
     * Oddball's own entries of a saved-detector folder, in the order an in-place replacement takes them out: the
     * descriptor first (so that a folder caught half-way holds no loadable detector rather than a mixed one), then the
     * model and the embedding model. Everything else in the folder is the user's and is never touched.
     */
    static final List<String> OWN = List.of(DESCRIPTOR, MODEL_DIR, EmbedStage.DIR);

    /**
     * Writes a saved detector to {@code dir}: {@code writeModel} fills the model folder of a temporary sibling directory
     * ({@code .DIR.tmp-PID-UUID}), {@code descriptor} is written beside it, then it takes the place of {@code dir}.
     * {@code dir} must not exist, be an empty folder, or, with {@code overwrite}, hold a saved Oddball detector (see
     * {@link #checkTarget}). A folder holding only a detector is replaced whole by one rename (the old one is removed
     * once the new one is in place); a detector folder that also holds files of the user's has only Oddball's own
     * entries ({@link #OWN}) replaced, one rename each, the descriptor last, and the user's files stay.
     *
     * @throws io.oddball.api.error.ConfigException if {@code dir} may not be written; nothing is written then
     */
    public static void save(Path dir, Map<String, Object> descriptor, boolean overwrite, Consumer<Path> writeModel) {
        Path target = dir.toAbsolutePath().normalize();
        checkTarget(dir, overwrite);
        Path parent = target.getParent();
        Path tmp;
        try {
            Files.createDirectories(parent);
            tmp = OutputFiles.temporarySibling(target);
            Files.createDirectory(tmp);
        } catch (IOException e) {
            throw new OddballException(target + ": cannot save the detector: " + e, e);
        }
        try {
            Path model = tmp.resolve(MODEL_DIR);
            Files.createDirectory(model);
            writeModel.accept(model);
            Files.writeString(tmp.resolve(DESCRIPTOR), dump(descriptor), StandardCharsets.UTF_8);
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) && foreignEntry(target) != null) {
                replaceOwnEntries(tmp, target);
            } else {
                replace(tmp, target);
            }
        } catch (IOException e) {
            throw new OddballException(target + ": cannot save the detector: " + e, e);
        } finally {
            deleteQuietly(tmp);
            OutputFiles.release(tmp);
        }
    }

    /** Rewrites only {@code detector.yaml} of a saved detector, atomically (temp file, then rename). */
    public static void rewriteDescriptor(Path dir, Map<String, Object> descriptor) {
        Path file = dir.resolve(DESCRIPTOR);
        try {
            // a descriptor that is a symbolic link is rewritten where it points: the link stays a link
            file = file.toRealPath();
        } catch (IOException e) {
            throw new OddballException(file + ": cannot update: " + e, e);
        }
        Path tmp = OutputFiles.temporarySibling(file);
        try {
            Files.writeString(tmp, dump(descriptor), StandardCharsets.UTF_8);
            move(tmp, file);
        } catch (IOException e) {
            throw new OddballException(file + ": cannot update: " + e, e);
        } finally {
            deleteQuietly(tmp);
            OutputFiles.release(tmp);
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
            throw new ModelFormatException(file + ": expected the saved detector's descriptor, found " + (Files.exists(
                    file) ? "no regular file (a FIFO, device or folder)" : "no such file"));
        }
        Map<String, Object> map;
        try {
            // read as a pipeline is: a regular file of bounded size, UTF-8, standard tags, no alias containing itself
            map = YamlDocument.parse(file.toString(), new java.io.StringReader(YamlDocument.readText(file,
                    "the saved detector's descriptor"))).values();
        } catch (io.oddball.api.error.ConfigException e) {
            throw new ModelFormatException(e.getMessage(), e);
        }
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
     * {@code overwrite}, is a folder holding a saved detector of Oddball's ({@code detector.yaml} of format
     * {@value #FORMAT}), whose own entries ({@link #OWN}) will be replaced; the user's other files in it stay. A
     * folder holding anything but no Oddball descriptor (another tool's {@code detector.yaml}, say) is refused even with
     * {@code overwrite}, naming the first such entry, and so is a symbolic link (it would be replaced by a folder).
     *
     * @throws io.oddball.api.error.ConfigException naming {@code dir} (as given) when it may not be written
     */
    public static void checkTarget(Path dir, boolean overwrite) {
        if (Files.isSymbolicLink(dir)) {
            Path to;
            try {
                to = Files.readSymbolicLink(dir);
            } catch (IOException e) {
                to = dir;
            }
            throw new io.oddball.api.error.ConfigException(dir + ": expected a folder for the detector, found a "
                    + "symbolic link to " + to + "; give the folder itself (nothing was changed)");
        }
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new io.oddball.api.error.ConfigException(dir + ": expected a folder for the detector, found "
                    + (Files.isRegularFile(dir) ? "a file" : OutputFiles.kindOf(dir)) + "; choose another folder");
        }
        if (isEmpty(dir)) {
            return;
        }
        Path descriptor = dir.resolve(DESCRIPTOR);
        if (!(Files.isRegularFile(descriptor, LinkOption.NOFOLLOW_LINKS) && isOurDescriptor(descriptor))) {
            String foreign = foreignEntry(dir);
            throw new io.oddball.api.error.ConfigException(dir + ": expected an empty folder or a saved Oddball "
                    + "detector, found " + (foreign == null ? "no " + DESCRIPTOR : foreign)
                    + (DESCRIPTOR.equals(foreign) ? " (not of format " + FORMAT + ")" : " (not part of one)")
                    + "; choose another folder (nothing was changed)");
        }
        if (!overwrite) {
            throw new io.oddball.api.error.ConfigException(dir + ": exists; pass --overwrite to replace the "
                    + "detector in it");
        }
    }

    /**
     * The first entry (by name) of folder {@code dir} that is not part of a saved detector, or null when it holds
     * only {@code detector.yaml} (of format {@value #FORMAT}), {@code model/}, {@code embed/} and hidden temporary
     * files of Oddball's naming ({@code .NAME.tmp-PID-UUID}, as an update of {@code detector.yaml} writes). A
     * {@code detector.yaml} of another format counts as foreign.
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
                case DESCRIPTOR -> Files.isRegularFile(e, LinkOption.NOFOLLOW_LINKS) && isOurDescriptor(e);
                case MODEL_DIR, EmbedStage.DIR -> Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS);
                default -> (name.startsWith("." + DESCRIPTOR + ".tmp-") || OutputFiles.isTemporary(name))
                        && Files.isRegularFile(e, LinkOption.NOFOLLOW_LINKS);
            };
            if (!ours) {
                return name + (Files.isDirectory(e) ? "/" : "");
            }
        }
        return null;
    }

    private static boolean isOurDescriptor(Path file) {
        try {
            return FORMAT.equals(YamlDocument.parse(file.toString(), new java.io.StringReader(YamlDocument.readText(
                    file, "a descriptor"))).values().get("format"));
        } catch (RuntimeException e) {
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
        Path old = target.resolveSibling("." + target.getFileName() + ".old-" + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID());
        move(target, old);
        try {
            move(tmp, target);
        } catch (IOException e) {
            move(old, target);
            throw e;
        }
        deleteQuietly(old);
    }

    /**
     * Replaces Oddball's own entries of {@code target} by those of {@code tmp}, leaving every other entry alone: the old
     * entries go to a hidden sibling {@code .NAME.old-PID-UUID} (descriptor first), the new ones come in (descriptor
     * last), then the old ones are deleted. A failure puts the old entries back.
     */
    private static void replaceOwnEntries(Path tmp, Path target) throws IOException {
        Path old = target.resolveSibling("." + target.getFileName() + ".old-" + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID());
        Files.createDirectory(old);
        List<String> out = new ArrayList<>();
        List<String> in = new ArrayList<>();
        try {
            for (String e : OWN) {
                if (Files.exists(target.resolve(e), LinkOption.NOFOLLOW_LINKS)) {
                    move(target.resolve(e), old.resolve(e));
                    out.add(e);
                }
            }
            for (String e : List.of(EmbedStage.DIR, MODEL_DIR, DESCRIPTOR)) {
                if (Files.exists(tmp.resolve(e), LinkOption.NOFOLLOW_LINKS)) {
                    move(tmp.resolve(e), target.resolve(e));
                    in.add(e);
                }
            }
        } catch (IOException | RuntimeException e) {
            for (String n : in) {
                deleteQuietly(target.resolve(n));
            }
            for (String n : out) {
                try {
                    move(old.resolve(n), target.resolve(n));
                } catch (IOException again) {
                    e.addSuppressed(again);
                }
            }
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
        OutputFiles.deleteTree(p);
    }
}
