package io.oddball.runtime.plugin;

import io.oddball.api.Api;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds providers: first on the host class path, then in each {@code .jar} of the plugin folders, each jar in its
 * own {@link PluginClassLoader}. A jar that fails (unreadable, built for a newer api major, a provider that throws, a
 * missing dependency) is reported and skipped; discovery itself never fails.
 */
public final class PluginDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(PluginDiscovery.class);
    /** Jars of the host class path already checked ({@link #classPathMismatch}): "" when they may load. */
    private static final java.util.Map<String, String> CHECKED = new java.util.concurrent.ConcurrentHashMap<>();

    private PluginDiscovery() {
    }

    /** How long the providers of one plugin jar may take to load (their classes' static initialisers, constructors). */
    public static final Duration JAR_LOAD_LIMIT = Duration.ofSeconds(20);

    /** Providers on the host class path and in {@code pluginDirs} (missing folders are reported). */
    public static Plugins discover(ClassLoader host, List<Path> pluginDirs) {
        return discover(host, pluginDirs, JAR_LOAD_LIMIT);
    }

    /**
     * As {@link #discover(ClassLoader, List)}, a plugin jar whose providers take longer than {@code jarLoadLimit} to
     * load being reported and skipped.
     */
    public static Plugins discover(ClassLoader host, List<Path> pluginDirs, Duration jarLoadLimit) {
        List<PluginInfo> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            load(kind, host, null, found, problems);
        }
        for (Path dir : pluginDirs) {
            if (!Files.isDirectory(dir)) {
                problems.add("plugin folder " + dir + ": expected a directory of plugin jars, found "
                        + (Files.exists(dir) ? "a file" : "nothing"));
                continue;
            }
            List<Path> jars = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
                ds.forEach(jars::add);
            } catch (IOException e) {
                problems.add("plugin folder " + dir + ": cannot list: " + e.getMessage());
                continue;
            }
            jars.sort(null);
            for (Path jar : jars) {
                if (!Files.isRegularFile(jar)) {
                    // a FIFO named *.jar would block the open forever; a folder is no jar either
                    problems.add(jar + ": expected a plugin jar (a regular file), found " + (Files.isDirectory(jar)
                            ? "a folder" : "a FIFO, socket or device") + "; skipped");
                    continue;
                }
                loadJarWithin(jar, host, found, problems, jarLoadLimit);
            }
        }
        // logged from the result: it adds the clashes (two jars of one name, a jar claiming a built-in's name)
        Plugins plugins = Plugins.of(found, problems);
        for (String p : plugins.problems()) {
            LOG.warn("plugin problem: {}", p);
        }
        return plugins;
    }

    /**
     * Loads the providers of {@code jar} on a thread of its own, waiting at most {@code limit}: a provider whose
     * constructor or static initialiser blocks (or loops) is reported and skipped instead of hanging every command;
     * its thread is a daemon, left to end with the process.
     */
    private static void loadJarWithin(Path jar, ClassLoader host, List<PluginInfo> found, List<String> problems,
            Duration limit) {
        List<PluginInfo> jarFound = new ArrayList<>();
        List<String> jarProblems = new ArrayList<>();
        Thread t = new Thread(() -> {
            try {
                loadJar(jar, host, jarFound, jarProblems);
            } catch (Throwable e) { // an Error of the plugin's (StackOverflowError, OutOfMemoryError): the plugin's
                jarProblems.add(jar + ": failed to load: " + rootMessage(e) + "; skipped");
            }
        }, "oddball-plugin-" + jar.getFileName());
        t.setDaemon(true);
        t.start();
        try {
            t.join(limit.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            t.interrupt();
            problems.add(jar + ": expected its providers to load within " + limit.toSeconds() + " s, found them "
                    + "still loading (a constructor or static initialiser that blocks?); skipped");
            return;
        }
        synchronized (jarFound) { // happens-before through join; the lock documents the hand-over
            found.addAll(jarFound);
            problems.addAll(jarProblems);
        }
    }

    private static void loadJar(Path jar, ClassLoader host, List<PluginInfo> found, List<String> problems) {
        try (JarFile jf = new JarFile(jar.toFile())) {
            String mismatch = apiMismatch(jf, jar.toString());
            if (mismatch != null) {
                problems.add(mismatch);
                return;
            }
        } catch (IOException | SecurityException e) {
            problems.add(jar + ": expected a readable jar, found: " + e.getMessage() + "; skipped");
            return;
        }
        PluginClassLoader loader;
        try {
            loader = new PluginClassLoader(jar.getFileName().toString(), List.of(jar.toUri().toURL()), host);
        } catch (MalformedURLException e) {
            problems.add(jar + ": " + e.getMessage() + "; skipped");
            return;
        }
        int before = found.size();
        int problemsBefore = problems.size();
        for (Kind kind : Kind.values()) {
            load(kind, loader, jar.toString(), found, problems);
        }
        if (found.size() == before && problems.size() == problemsBefore) {
            problems.add(jar + ": expected META-INF/services entries for Oddball providers, found none; skipped");
        }
        LOG.debug("plugin jar {}: {} providers", jar, found.size() - before);
    }

    private static void load(Kind kind, ClassLoader loader, String source, List<PluginInfo> found,
            List<String> problems) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            Iterator<?> it = ServiceLoader.load(kind.spi(), loader).iterator();
            while (true) {
                Object provider;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    provider = it.next();
                } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
                    problems.add((source == null ? "class path" : source) + ": " + kind.label()
                            + " provider failed to load: " + rootMessage(e) + "; skipped");
                    if (e instanceof ServiceConfigurationError) {
                        continue;
                    }
                    break;
                }
                String mismatch = source == null ? classPathMismatch(provider, CHECKED) : "";
                if (mismatch != null && !mismatch.isEmpty()) {
                    if (!problems.contains(mismatch)) {
                        problems.add(mismatch);
                    }
                    continue;
                }
                try {
                    String[] nv = kind.nameAndVersion().apply(provider);
                    if (nv[0] == null || nv[0].isBlank()) {
                        problems.add(sourceOf(provider, source) + ": " + kind.label() + " provider "
                                + provider.getClass().getName() + " has no name; skipped");
                        continue;
                    }
                    found.add(new PluginInfo(kind, nv[0], nv[1], sourceOf(provider, source), provider));
                } catch (RuntimeException | LinkageError e) {
                    problems.add(sourceOf(provider, source) + ": " + kind.label() + " provider "
                            + provider.getClass().getName() + " failed: " + rootMessage(e) + "; skipped");
                }
            }
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    /**
     * Why a jar must be skipped because of the api version its manifest declares ({@code Oddball-Api-Version}, which
     * the parent pom writes into every jar of this project and a plugin's build should write too): another major, or
     * a value that is not a version; null if it may load. A jar without the attribute loads (plugins built before it
     * existed).
     */
    static String apiMismatch(JarFile jar, String where) throws IOException {
        Manifest mf = jar.getManifest();
        String declared = mf == null ? null : mf.getMainAttributes().getValue(Api.MANIFEST_ATTRIBUTE);
        if (declared == null) {
            return null;
        }
        int major;
        try {
            major = Integer.parseInt(declared.trim().split("\\.")[0]);
        } catch (NumberFormatException e) {
            return where + ": manifest " + Api.MANIFEST_ATTRIBUTE + ": expected a version like " + Api.VERSION
                    + ", found '" + declared + "'; skipped";
        }
        if (major != Api.MAJOR) {
            return where + ": built against Oddball api " + declared + ", expected api " + Api.MAJOR
                    + ".x (this runtime has api " + Api.VERSION + "); skipped";
        }
        return null;
    }

    /**
     * The same check for a provider found on the host class path, by the jar its class came from (a class folder, as
     * in an IDE or a module's own tests, has no manifest and passes); {@code checked} remembers each jar's answer.
     */
    private static String classPathMismatch(Object provider, java.util.Map<String, String> checked) {
        CodeSource cs = provider.getClass().getProtectionDomain().getCodeSource();
        URL url = cs == null ? null : cs.getLocation();
        if (url == null || !"file".equals(url.getProtocol()) || !url.getPath().endsWith(".jar")) {
            return null;
        }
        return checked.computeIfAbsent(url.getPath(), p -> {
            try (JarFile jf = new JarFile(Path.of(url.toURI()).toFile())) {
                String m = apiMismatch(jf, "class path (" + p + ")");
                return m == null ? "" : m;
            } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
                return "";
            }
        });
    }

    private static String sourceOf(Object provider, String source) {
        if (source != null) {
            return source;
        }
        CodeSource cs = provider.getClass().getProtectionDomain().getCodeSource();
        URL url = cs == null ? null : cs.getLocation();
        return "class path" + (url == null ? "" : " (" + url.getPath() + ")");
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            b.append(": ").append(t.getClass().getSimpleName()).append(' ').append(t.getMessage());
        }
        return b.toString();
    }
}
