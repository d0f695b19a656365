package io.oddball.report;

import io.oddball.runtime.output.OutputFiles;
import java.nio.file.Path;

/**
 * Writes report files whole or not at all: to a temporary file beside the target, then renamed into place
 * ({@link OutputFiles#write}).
 */
final class ReportFiles {
    private ReportFiles() {
    }

    static void write(Path file, byte[] bytes) {
        OutputFiles.write(file, bytes);
    }
}
