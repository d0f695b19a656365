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

    /** Set just before this class ends the process itself: any other {@code System.exit} is a plugin's. */
    private static volatile boolean exiting;

    public static void main(String[] args) {
        javaStderrTo(System.getProperty("oddball.stderr.fd"));
        StopSignal.installCtrlC();
        Runtime.getRuntime().addShutdownHook(new Thread(Main::foreignExit, "oddball-exit-check"));
        CommandLine cl = commandLine(true);
        PrintWriter err = new PrintWriter(System.err, true);
        cl.setOut(new PrintWriter(System.out, true));
        cl.setErr(err);
        int code = execute(cl, err, args);
        exiting = true;
        System.exit(code);
    }

    /** Runs one command in-process and returns its exit code (0 ok, 1 runtime failure, 2 usage/config error). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return execute(cl, err, args);
    }

    /**
     * Runs {@code args}; the JVM's own errors on hostile input become one line too: out of memory (naming the heap
     * and how to give more) and a stack overflow (input nested too deeply), exit 1, the trace only with {@code -v}.
     */
    static int execute(CommandLine cl, PrintWriter err, String... args) {
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            e = null; // let what the command held go before printing
            long heap = Runtime.getRuntime().maxMemory() >> 20;
            err.println("oddball: out of memory (a Java heap of " + heap + " MiB) running " + describe(args)
                    + "; give Java more with ODDBALL_JAVA_OPTS=-Xmx" + Math.max(2, 2 * heap >> 10) + "g, or lower "
                    + "--batch-size or the data's size");
            return ExitCodes.FAILURE;
        } catch (StackOverflowError e) {
            err.println("oddball: stack overflow running " + describe(args) + ": an input nested too deeply "
                    + "(or one that refers to itself); run with -v for the trace");
            if (java.util.Arrays.asList(args).contains("-v") || java.util.Arrays.asList(args).contains("--verbose")) {
                e.printStackTrace(err);
            }
            return ExitCodes.FAILURE;
        }
    }

    /** {@code 'oddball predict DIR --data X'}, cut to a line. */
    static String describe(String... args) {
        String s = "'oddball " + String.join(" ", args);
        return (s.length() > 200 ? s.substring(0, 197) + "..." : s) + "'";
    }

    /**
     * The shutdown hook's check: when the process ends through {@code System.exit} called by a plugin (a frame of a
     * plugin jar's class loader under {@code Runtime.exit}) rather than by {@link #main}, says so in one line naming
     * the jar and ends with exit 1 instead of the plugin's code. A signal (SIGTERM, Ctrl-C) passes unchanged.
     */
    private static void foreignExit() {
        if (exiting) {
            return;
        }
        for (StackTraceElement[] stack : Thread.getAllStackTraces().values()) {
            String jar = pluginBelowExit(stack);
            if (jar != null) {
                System.err.println("oddball: the plugin " + jar + " called System.exit, which would end Oddball "
                        + "with its own code; stopped with exit 1 (a plugin must throw an exception instead)");
                System.err.flush();
                Runtime.getRuntime().halt(ExitCodes.FAILURE);
            }
        }
    }

    /** The class loader name (a plugin jar's file name) of the first frame under {@code Runtime.exit}, or null. */
    static String pluginBelowExit(StackTraceElement[] stack) {
        boolean belowExit = false;
        for (StackTraceElement f : stack) {
            if (f.getClassName().equals("java.lang.Runtime") && f.getMethodName().equals("exit")) {
                belowExit = true;
                continue;
            }
            if (belowExit && !f.getClassName().equals("java.lang.System")) {
                String loader = f.getClassLoaderName();
                return loader != null && !loader.equals("app") && !loader.equals("platform") ? loader : null;
            }
        }
        return null;
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
        cl.setCaseInsensitiveEnumValuesAllowed(true); // --output-format csv as CSV
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
