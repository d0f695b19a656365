package io.oddball.runtime.output;

import io.oddball.api.error.ConfigException;
import io.oddball.api.error.OddballException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where commands may write, and how: the one place that checks an output path given on the command line and that
 * names, tracks and cleans up temporary files.
 *
 * <ul>
 * <li>An output file is a regular file or a path where none exists yet; a folder, a device ({@code /dev/full},
 * {@code /dev/null}), a FIFO, a socket, a symbolic link to one of those or to nothing is refused with a usage error
 * ({@link ConfigException}: exit 2) before any work. A symbolic link to a regular file is written through: the file
 * it points to is replaced, the link stays.</li>
 * <li>No output may be an input or lie inside one: paths are compared after resolving symbolic links (of the part of
 * the path that exists), so {@code --out ./x/../data.csv} or a link to the data is found.</li>
 * <li>Files are written to a temporary file beside the target ({@code .NAME.tmp-PID-UUID}) that is renamed into place;
 * the temporary files of this process are removed at exit (a shutdown hook: Ctrl-C, SIGTERM), and those of a process
 * that no longer runs, older than this one, by the next run that writes to the same folder ({@link #removeStale}).
 * Nothing not matching that name is ever removed.</li>
 * </ul>
 */
public final class OutputFiles {
    /** Temporary names: {@code .} + target name + {@code .tmp-} + writer's pid + {@code -} + a random UUID. */
    static final Pattern TEMP = Pattern.compile("\\..+\\.tmp-(\\d+)-"
            + "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean hookInstalled;

    private OutputFiles() {
    }

    /**
     * An input of a command: the option that names it ({@code --data}; {@code -O labels=} for one given as
     * {@code option=PATH}) or a description ({@code the saved detector}), and its path.
     */
    public record Input(String option, Path path) {
        /** An input, or null when {@code path} is null (an option not given). */
        public static Input of(String option, Path path) {
            return path == null ? null : new Input(option, path);
        }
    }

    /**
     * Checks an output file given with {@code option} and returns the path to write: {@code out} itself, or the regular
     * file a symbolic link points to (made absolute).
     *
     * @param inputs the command's inputs (null entries are skipped)
     * @throws ConfigException when {@code out} is not a regular file or a new path, or is or lies inside an input
     */
    public static Path checkFile(String option, Path out, List<Input> inputs) {
        if (out.toString().equals("-")) {
            throw new ConfigException(option + " -: expected a file name, found '-' (only predict --out - writes to "
                    + "standard output)");
        }
        Path target = out.toAbsolutePath();
        if (Files.isSymbolicLink(out)) {
            Path to = linkTarget(out);
            if (!Files.exists(out)) {
                throw refused(option, out, "a symbolic link to " + to + ", which does not exist");
            }
            if (!Files.isRegularFile(out)) {
                throw refused(option, out, "a symbolic link to " + to + " (" + kind(out) + ")");
            }
            target = real(out);
        } else if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(out,
                LinkOption.NOFOLLOW_LINKS)) {
            throw refused(option, out, kind(out));
        }
        checkNotAnInput(option, out, target, inputs, false);
        return target;
    }

    /**
     * Checks an output folder given with {@code option} (files are written into it, the folder is created if needed):
     * it may not be a file or a special file, nor equal or lie inside an input.
     */
    public static Path checkFolder(String option, Path out, List<Input> inputs) {
        if (out.toString().equals("-")) {
            throw new ConfigException(option + " -: expected a folder, found '-'");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ConfigException(option + " " + out + ": expected a folder to write into, found "
                    + (Files.isSymbolicLink(out) ? "a symbolic link to " + linkTarget(out) + " (" + kind(out) + ")"
                            : kind(out)) + "; choose a folder (nothing was written)");
        }
        if (Files.isSymbolicLink(out) && !Files.exists(out)) {
            throw new ConfigException(option + " " + out + ": expected a folder to write into, found a symbolic link "
                    + "to " + linkTarget(out) + ", which does not exist; choose a folder (nothing was written)");
        }
        checkNotAnInput(option, out, out.toAbsolutePath(), inputs, true);
        return out;
    }

    private static ConfigException refused(String option, Path out, String found) {
        return new ConfigException(option + " " + out + ": expected a regular file to write, found " + found
                + "; choose a file (nothing was written)");
    }

    private static void checkNotAnInput(String option, Path out, Path target, List<Input> inputs, boolean folder) {
        Path o = real(target);
        for (Input in : inputs) {
            if (in == null) {
                continue;
            }
            Path i = real(in.path().toAbsolutePath());
            String what = in.option() + (in.option().endsWith("=") ? "" : " ") + in.path();
            if (o.equals(i) || sameExistingFile(o, i)) {
                throw new ConfigException(option + " " + out + ": expected a path that is not an input, found the "
                        + "same " + (folder || Files.isDirectory(i) ? "folder" : "file") + " as " + what
                        + "; choose another path (nothing was written)");
            }
            if (o.startsWith(i)) {
                throw new ConfigException(option + " " + out + ": expected a path outside the inputs, found it "
                        + "inside " + what + "; choose another path (nothing was written)");
            }
        }
    }

    /** Whether {@code a} and {@code b} are one existing regular file under two names (a hard link). */
    private static boolean sameExistingFile(Path a, Path b) {
        try {
            return Files.isRegularFile(a) && Files.isRegularFile(b) && Files.isSameFile(a, b);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * {@code p} with its symbolic links resolved: the real path of its longest existing prefix, followed by the rest
     * of the names (normalised), so that a file not yet written compares like one that exists.
     */
    public static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        List<String> rest = new ArrayList<>();
        while (existing != null) {
            try {
                Path r = existing.toRealPath();
                for (int k = rest.size() - 1; k >= 0; k--) {
                    r = r.resolve(rest.get(k));
                }
                return r.normalize();
            } catch (IOException e) {
                if (existing.getFileName() == null) {
                    break;
                }
                rest.add(existing.getFileName().toString());
                existing = existing.getParent();
            }
        }
        return abs;
    }

    private static Path linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link);
        } catch (IOException e) {
            return link;
        }
    }

    /** Whether {@code name} is one of Oddball's temporary names ({@code .NAME.tmp-PID-UUID}). */
    public static boolean isTemporary(String name) {
        return TEMP.matcher(name).matches();
    }

    /** What kind of file {@code p} is (following links): "a character device", "a FIFO (named pipe)", "a folder"... */
    public static String kindOf(Path p) {
        return kind(p);
    }

    /** What kind of file {@code p} is (following links): "a character device", "a FIFO", "a folder", ... */
    static String kind(Path p) {
        try {
            Object mode = Files.getAttribute(p, "unix:mode");
            if (mode instanceof Integer m) {
                switch (m & 0170000) {
                    case 0020000:
                        return "a character device";
                    case 0060000:
                        return "a block device";
                    case 0010000:
                        return "a FIFO (named pipe)";
                    case 0140000:
                        return "a socket";
                    case 0040000:
                        return "a folder";
                    case 0100000:
                        return "a regular file";
                    default:
                        break;
                }
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // fall back to the portable attributes
        }
        if (Files.isDirectory(p)) {
            return "a folder";
        }
        return Files.isRegularFile(p) ? "a regular file" : "a special file (not a regular file)";
    }

    /**
     * A new temporary path beside {@code target} ({@code .NAME.tmp-PID-UUID}, not yet created), removed at exit unless
     * {@link #release released}; stale temporary files of earlier runs in the same folder are removed first.
     */
    public static Path temporarySibling(Path target) {
        Path abs = target.toAbsolutePath();
        Path parent = abs.getParent();
        if (parent != null && Files.isDirectory(parent)) {
            removeStale(parent);
        }
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + UUID.randomUUID());
        track(tmp);
        return tmp;
    }

    /** Removes {@code tmp} (file or folder) at exit unless released first. */
    public static void track(Path tmp) {
        installHook();
        LIVE.add(tmp);
    }

    /** {@code tmp} is gone or in place: no longer removed at exit. */
    public static void release(Path tmp) {
        LIVE.remove(tmp);
    }

    private static synchronized void installHook() {
        if (hookInstalled) {
            return;
        }
        hookInstalled = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : List.copyOf(LIVE)) {
                deleteTree(p);
            }
        }, "oddball-temp-files"));
    }

    /**
     * Removes from {@code folder} the temporary files (and folders) of Oddball's own naming ({@code .NAME.tmp-PID-UUID})
     * left by a process that no longer runs and last changed before this process started: what a killed run leaves.
     * Nothing else is touched, nor the temporary files of a run still going.
     *
     * @return how many were removed
     */
    public static int removeStale(Path folder) {
        long started = ManagementFactory.getRuntimeMXBean().getStartTime();
        long self = ProcessHandle.current().pid();
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, ".*.tmp-*")) {
            for (Path p : ds) {
                Matcher m = TEMP.matcher(p.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid == self || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                FileTime t = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
                if (t.toMillis() >= started) {
                    continue;
                }
                if (deleteTree(p)) {
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover hidden temporary file is harmless
        }
        return removed;
    }

    /**
     * Writes {@code bytes} to {@code target} whole or not at all: to a temporary file beside it, then renamed into
     * place.
     */
    public static void write(Path target, byte[] bytes) {
        Path abs = target.toAbsolutePath();
        try {
            Files.createDirectories(abs.getParent());
        } catch (IOException e) {
            throw new OddballException(target + ": expected a folder to write into, found " + e);
        }
        Path tmp = temporarySibling(abs);
        try {
            Files.write(tmp, bytes);
            moveIntoPlace(tmp, abs);
        } catch (IOException e) {
            throw new OddballException(target + ": cannot write: " + e);
        } finally {
            deleteTree(tmp);
            release(tmp);
        }
    }

    /** Renames {@code tmp} to {@code target} (atomically where the file system can), replacing it. */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a file or a folder tree (not following links), ignoring failures; whether {@code p} is gone. */
    public static boolean deleteTree(Path p) {
        try {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(p);
                return true;
            }
            Files.walkFileTree(p, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
