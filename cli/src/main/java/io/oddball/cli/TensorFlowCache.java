package io.oddball.cli;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Whether TensorFlow's native library is already unpacked in JavaCPP's cache: on first use JavaCPP copies it (about
 * 650 MB) out of the {@code tensorflow-core-native} jar into {@code org.bytedeco.javacpp.cachedir} (default
 * {@code ~/.javacpp/cache}), under a folder named after the jar, and copies it again whenever the cached file's size
 * or modification time differs from the jar entry's. This class repeats that test without unpacking anything, so
 * the CLI can say why its first run takes a while.
 */
final class TensorFlowCache {
    private static final String NATIVE_DIR = "org/tensorflow/internal/c_api/";

    private TensorFlowCache() {
    }

    /**
     * The line to print before TensorFlow first loads when its library is not in the cache yet, else null (also null
     * when the library cannot be found on the class path: nothing useful to say).
     */
    static String firstRunNotice() {
        Path cache = cacheDir();
        Library lib = library();
        if (lib == null || lib.isCachedIn(cache, noSubdir())) {
            return null;
        }
        return "first run: unpacking TensorFlow's native library (about " + lib.aboutMegabytes() + " MB) into "
                + display(cache) + " ...";
    }

    /** JavaCPP's cache folder: {@code org.bytedeco.javacpp.cachedir}, else {@code ~/.javacpp/cache}. */
    static Path cacheDir() {
        String dir = System.getProperty("org.bytedeco.javacpp.cachedir");
        return dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".javacpp", "cache");
    }

    private static boolean noSubdir() {
        String s = System.getProperty("org.bytedeco.javacpp.cachedir.nosubdir", "false").toLowerCase(Locale.ROOT);
        return s.equals("true") || s.equals("t") || s.isEmpty();
    }

    /** {@code ~/...} for a folder under the home folder. */
    static String display(Path dir) {
        Path home = Path.of(System.getProperty("user.home")).toAbsolutePath();
        Path abs = dir.toAbsolutePath().normalize();
        return abs.startsWith(home) && !abs.equals(home) ? "~/" + home.relativize(abs) : abs.toString();
    }

    /**
     * TensorFlow's largest native library on the class path (libtensorflow_cc) with the jar holding it, and the total
     * size of the native files beside it; null when there is none.
     */
    static Library library() {
        Library best = null;
        try {
            Enumeration<URL> urls = TensorFlowCache.class.getClassLoader().getResources(NATIVE_DIR);
            while (urls.hasMoreElements()) {
                URLConnection c = urls.nextElement().openConnection();
                if (!(c instanceof JarURLConnection jc)) {
                    continue;
                }
                c.setUseCaches(false);
                try (JarFile jar = jc.getJarFile()) {
                    Library found = largest(jar);
                    if (found != null && (best == null || found.size() > best.size())) {
                        best = found;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return best;
        }
        return best;
    }

    private static Library largest(JarFile jar) {
        JarEntry top = null;
        long total = 0;
        for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements();) {
            JarEntry e = en.nextElement();
            String name = e.getName();
            String file = name.substring(name.lastIndexOf('/') + 1);
            if (e.isDirectory() || !name.startsWith(NATIVE_DIR) || !isNativeLibrary(file)) {
                continue;
            }
            total += Math.max(0, e.getSize());
            if (top == null || e.getSize() > top.getSize()) {
                top = e;
            }
        }
        return top == null ? null : new Library(Path.of(jar.getName()).getFileName().toString(), top.getName(),
                top.getSize(), top.getTime(), total);
    }

    private static boolean isNativeLibrary(String file) {
        return file.contains("tensorflow") && (file.endsWith(".so") || file.contains(".so.") || file.endsWith(".dylib")
                || file.endsWith(".dll"));
    }

    /**
     * One native library in a jar.
     *
     * @param jar the jar's file name (JavaCPP's cache subfolder)
     * @param entry the entry's path in the jar
     * @param size its size in bytes
     * @param time its modification time (ms), which JavaCPP gives the cached copy
     * @param totalSize the size of every TensorFlow native file of the jar, unpacked together
     */
    record Library(String jar, String entry, long size, long time, long totalSize) {
        /** Where JavaCPP puts this library in {@code cache}. */
        Path cachedFile(Path cache, boolean noSubdir) {
            String file = entry.substring(entry.lastIndexOf('/') + 1);
            if (noSubdir) {
                return cache.resolve(file);
            }
            return cache.resolve(jar).resolve(entry);
        }

        /** Whether JavaCPP would use the cached copy as it is (same size and modification time). */
        boolean isCachedIn(Path cache, boolean noSubdir) {
            Path f = cachedFile(cache, noSubdir);
            try {
                return Files.isRegularFile(f) && Files.size(f) == size
                        && Files.getLastModifiedTime(f).toMillis() == time;
            } catch (IOException e) {
                return false;
            }
        }

        /** The unpacked size in MiB, rounded to tens. */
        long aboutMegabytes() {
            return Math.max(10, Math.round(totalSize / (1024.0 * 1024.0) / 10) * 10);
        }
    }
}
