package io.oddball.cli;

import io.oddball.runtime.progress.StopSignal;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;

/** Entry point of the {@code oddball} launcher. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        javaStderrTo(System.getProperty("oddball.stderr.fd"));
        StopSignal.installCtrlC();
        CommandLine cl = commandLine(true);
        cl.setOut(new PrintWriter(System.out, true));
        cl.setErr(new PrintWriter(System.err, true));
        System.exit(cl.execute(args));
    }

    /** Runs one command in-process and returns its exit code (0 ok, 1 runtime failure, 2 usage/config error). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** The command tree with Oddball's exit codes and one-line error messages. */
    public static CommandLine commandLine() {
        return commandLine(false);
    }

    /**
     * The command tree; with {@code firstRunNotice} (the launcher's runs), a command about to load TensorFlow for the
     * first time on this machine says first that its native library is being unpacked.
     */
    static CommandLine commandLine(boolean firstRunNotice) {
        OddballCommand root = new OddballCommand();
        root.firstRunNotice(firstRunNotice);
        CommandLine cl = new CommandLine(root, new Factory(root));
        cl.setExecutionExceptionHandler(new ErrorHandler(root));
        cl.setParameterExceptionHandler(new ErrorHandler(root));
        cl.setExecutionStrategy(parseResult -> checkedOut(cl, new CommandLine.RunLast().execute(parseResult)));
        return cl;
    }

    /**
     * {@code code}, unless what the command printed on standard output was lost (a full disk, {@code /dev/full}, a
     * closed pipe): then one line saying so and exit 1. {@link PrintWriter} and {@link PrintStream} swallow write
     * errors; {@link PrintWriter#checkError()} flushes and reports them.
     */
    static int checkedOut(CommandLine cl, int code) {
        if (cl.getOut().checkError()) {
            cl.getErr().println("oddball: standard output: expected to write the results, found a write error (a "
                    + "full disk or a closed pipe?); the output is incomplete");
            return code == ExitCodes.OK ? ExitCodes.FAILURE : code;
        }
        return code;
    }

    /**
     * picocli's factory, except that {@code --format}'s candidates come from {@code root}'s runtime: the readers of the
     * class path and of {@code --plugins} and {@code ODDBALL_PLUGINS} folders.
     */
    private static final class Factory implements CommandLine.IFactory {
        private final OddballCommand root;

        Factory(OddballCommand root) {
            this.root = root;
        }

        @Override
        public <K> K create(Class<K> cls) throws Exception {
            if (cls == DataOptions.Formats.class) {
                return cls.cast(new DataOptions.Formats(root::readerNames));
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }

    /**
     * Points {@link System#err} at file descriptor {@code fd} (the launcher passes 3: the terminal's standard error,
     * while descriptor 2 goes through its filter of TensorFlow's native log lines), so Java's messages and progress bar
     * are not held back line by line by the filter. Nothing changes when {@code fd} is null or the descriptor cannot
     * be opened (the launcher adds {@code --add-opens java.base/java.io=ALL-UNNAMED} for this).
     */
    static void javaStderrTo(String fd) {
        if (fd == null || fd.isBlank()) {
            return;
        }
        try {
            FileDescriptor d = new FileDescriptor();
            java.lang.reflect.Field f = FileDescriptor.class.getDeclaredField("fd");
            f.setAccessible(true);
            f.setInt(d, Integer.parseInt(fd.trim()));
            String enc = System.getProperty("stderr.encoding", System.getProperty("sun.stderr.encoding"));
            Charset cs = enc != null && Charset.isSupported(enc) ? Charset.forName(enc) : Charset.defaultCharset();
            System.setErr(new PrintStream(new BufferedOutputStream(new FileOutputStream(d), 128), true, cs));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // keep descriptor 2: Java's lines then pass the launcher's filter unchanged
        }
    }
}
