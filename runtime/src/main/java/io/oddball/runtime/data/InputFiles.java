package io.oddball.runtime.data;

import io.oddball.api.error.ConfigException;
import io.oddball.api.error.DataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What an input path is, checked before it is opened: opening a FIFO blocks until something writes to it, and a
 * device such as {@code /dev/zero} never ends, so data, labels and images are read only from regular files (and
 * folders where a reader takes one).
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * What {@code path} is, for messages: {@code a regular file}, {@code a directory}, {@code a FIFO},
     * {@code a socket}, {@code a character device}, {@code a block device}; null when nothing is there (links are
     * followed).
     */
    public static String kind(Path path) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return "an unreadable path (" + e.getClass().getSimpleName() + ")";
        }
        if (a.isRegularFile()) {
            return "a regular file";
        }
        if (a.isDirectory()) {
            return "a directory";
        }
        return special(path);
    }

    /** The kind of a path that is neither a regular file nor a directory, from its Unix mode where available. */
    private static String special(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            return switch (mode & 0170000) {
                case 0010000 -> "a FIFO";
                case 0140000 -> "a socket";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                default -> "a special file";
            };
        } catch (IOException | RuntimeException e) {
            return "a FIFO, socket or device";
        }
    }

    /**
     * Whether {@code path} is a regular file or (when {@code directoryAllowed}) a directory: what a reader may open.
     */
    public static boolean readable(Path path, boolean directoryAllowed) {
        return Files.isRegularFile(path) || directoryAllowed && Files.isDirectory(path);
    }

    /**
     * Fails unless {@code path} is a regular file (or a directory when {@code directoryAllowed}), before anything
     * opens it: a path that does not exist is a usage error ({@link ConfigException}, exit 2), a path of another
     * kind a {@link DataException} (exit 1) such as {@code FILE: expected a regular file, found a FIFO}.
     *
     * @param where how the path is named in the message (the path itself, or {@code --data PATH})
     */
    public static void requireReadable(String where, Path path, boolean directoryAllowed) {
        String kind = kind(path);
        if (kind == null) {
            throw new ConfigException(where + ": expected an existing file, found nothing (file not found)");
        }
        if (!readable(path, directoryAllowed)) {
            throw new DataException(where + ": " + expected(directoryAllowed) + ", found " + kind);
        }
    }

    /** {@code expected a regular file} (or {@code a regular file or a directory}). */
    public static String expected(boolean directoryAllowed) {
        return "expected a regular file" + (directoryAllowed ? " or a directory" : "");
    }
}
