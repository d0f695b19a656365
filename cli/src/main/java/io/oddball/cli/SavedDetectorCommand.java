package io.oddball.cli;

import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/** A sub-command that works on one saved detector, the folder {@code oddball fit} wrote: its first parameter. */
abstract class SavedDetectorCommand extends OddballSubcommand {
    @Parameters(index = "0", paramLabel = "DIR", description = "A saved detector (from 'oddball fit').")
    Path dir;
}
