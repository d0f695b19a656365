package io.oddball.report;

import io.oddball.api.error.OddballException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes report files whole or not at all: to a temporary file beside the target, then renamed into place. */
final class ReportFiles {
    private ReportFiles() {
    }

    static void write(Path file, byte[] bytes) {
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            // not Files.createTempFile: its owner-only permissions would stay on the renamed report
            Path tmp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid()
                    + "." + Thread.currentThread().getId() + ".tmp");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new OddballException(file + ": expected a writable file, found " + e);
        }
    }
}
