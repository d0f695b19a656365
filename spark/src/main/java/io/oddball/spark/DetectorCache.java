package io.oddball.spark;

import io.oddball.api.error.DataException;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.pipeline.Pipeline;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The saved detectors of this JVM (an executor's, or the driver's in local mode): each is loaded once, on first use
 * by a task, and shared by every later task of the JVM; all are closed by a shutdown hook. A detector is cached under
 * its location and the modification time and size of its {@code detector.yaml}, so a detector saved again at the
 * same place is loaded anew. A detector on a Hadoop file system other than the local one (HDFS, S3 through the user's
 * connector) is first copied into a temporary folder, once per JVM.
 */
final class DetectorCache {
    private static final Logger LOG = LoggerFactory.getLogger(DetectorCache.class);
    /** {@code detectorPath} prefix for a folder shipped with {@code SparkContext.addFile(dir, true)}. */
    static final String SPARK_FILES = "sparkfiles:";

    private static final Map<String, Pipeline> LOADED = new ConcurrentHashMap<>();
    private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();
    private static volatile Oddball oddball;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(DetectorCache::closeAll, "oddball-detector-cache"));
    }

    private DetectorCache() {
    }

    /** Where a detector is and how to reach it: sent with each task, so small. */
    record Source(String path, byte[] hadoopConf) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** {@code path} as the driver sees it, with the driver's Hadoop settings when the path needs Hadoop. */
        static Source of(String path, Configuration driverConf) {
            if (isLocal(path)) {
                return new Source(path, null);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                driverConf.write(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new Source(path, bytes.toByteArray());
        }

        Configuration conf() {
            if (hadoopConf == null) {
                return new Configuration();
            }
            Configuration c = new Configuration(false);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(hadoopConf))) {
                c.readFields(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return c;
        }
    }

    /** True for a path read without Hadoop: no scheme, {@code file:} or {@code sparkfiles:}. */
    static boolean isLocal(String path) {
        if (path.startsWith(SPARK_FILES) || path.startsWith("file:")) {
            return true;
        }
        try {
            String scheme = new URI(path).getScheme();
            // a Windows drive letter parses as a one-letter scheme
            return scheme == null || scheme.length() == 1;
        } catch (java.net.URISyntaxException e) {
            return true;
        }
    }

    /** The pipeline saved at {@code source}, loaded on first use in this JVM. */
    static Pipeline get(Source source) {
        Path dir = localFolder(source);
        String key = dir.toAbsolutePath().normalize() + "|" + stamp(dir, source.path());
        return LOADED.computeIfAbsent(key, k -> {
            long t = System.nanoTime();
            Pipeline p = oddball().load(dir, new RuntimeContext("cpu", false));
            LOG.info("loaded detector {} ({}) from {} in {} ms", p.detectorName(), p.detectorVersion(), dir,
                    (System.nanoTime() - t) / 1_000_000);
            return p;
        });
    }

    /** This JVM's Oddball runtime (plugins from {@code ODDBALL_PLUGINS}), made on first use. */
    static Oddball oddball() {
        Oddball o = oddball;
        if (o == null) {
            synchronized (DetectorCache.class) {
                if (oddball == null) {
                    oddball = Oddball.create(Oddball.pluginDirsFromEnvironment());
                }
                o = oddball;
            }
        }
        return o;
    }

    /** The local folder holding the detector of {@code source}: itself, its SparkFiles copy, or a copy made here. */
    static Path localFolder(Source source) {
        String path = source.path();
        if (path.startsWith(SPARK_FILES)) {
            return requireDetector(Path.of(org.apache.spark.SparkFiles.get(path.substring(SPARK_FILES.length()))),
                    path);
        }
        if (isLocal(path)) {
            Path p = path.startsWith("file:") ? Path.of(URI.create(path)) : Path.of(path);
            if (!p.isAbsolute() && !Files.exists(p)) {
                // shipped with --files / --archives / addFile under this name
                Path shipped = sparkFile(path);
                if (shipped != null) {
                    return requireDetector(shipped, path);
                }
            }
            return requireDetector(p, path);
        }
        return copyFromHadoop(source);
    }

    private static Path sparkFile(String name) {
        try {
            Path p = Path.of(org.apache.spark.SparkFiles.get(name));
            return Files.exists(p) ? p : null;
        } catch (RuntimeException e) {
            // no SparkEnv (not inside a Spark JVM)
            return null;
        }
    }

    private static Path requireDetector(Path dir, String given) {
        if (!Files.isRegularFile(dir.resolve("detector.yaml"))) {
            throw new DataException("detectorPath '" + given + "': expected a saved detector folder (with "
                    + "detector.yaml), found " + (Files.isDirectory(dir) ? "a folder without detector.yaml"
                    : Files.exists(dir) ? "a file" : "nothing") + " at " + dir.toAbsolutePath());
        }
        return dir;
    }

    private static String stamp(Path dir, String given) {
        try {
            BasicFileAttributes a = Files.readAttributes(dir.resolve("detector.yaml"), BasicFileAttributes.class);
            return a.lastModifiedTime().toMillis() + ":" + a.size();
        } catch (IOException e) {
            throw new DataException("detectorPath '" + given + "': expected a readable detector.yaml, found " + e, e);
        }
    }

    /** Copies a detector folder from a Hadoop file system into a local temporary folder, once per version. */
    static Path copyFromHadoop(Source source) {
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(source.path());
        try {
            FileSystem fs = src.getFileSystem(source.conf());
            FileStatus yaml;
            try {
                yaml = fs.getFileStatus(new org.apache.hadoop.fs.Path(src, "detector.yaml"));
            } catch (java.io.FileNotFoundException e) {
                throw new DataException("detectorPath '" + source.path() + "': expected a saved detector folder "
                        + "(with detector.yaml), found none there");
            }
            String key = fs.makeQualified(src) + "|" + yaml.getModificationTime() + ":" + yaml.getLen();
            return COPIES.computeIfAbsent(key, k -> {
                try {
                    Path tmp = Files.createTempDirectory("oddball-detector-");
                    Path dst = tmp.resolve("detector");
                    long t = System.nanoTime();
                    fs.copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(dst.toUri()), true);
                    LOG.info("copied detector {} to {} in {} ms", src, dst, (System.nanoTime() - t) / 1_000_000);
                    return dst;
                } catch (IOException e) {
                    throw new UncheckedIOException("detectorPath '" + source.path() + "': copying it failed", e);
                }
            });
        } catch (IOException e) {
            throw new DataException("detectorPath '" + source.path() + "': expected a readable saved detector "
                    + "folder, found " + e, e);
        }
    }

    /** Closes every loaded detector and removes the local copies (at JVM exit). */
    static void closeAll() {
        for (Pipeline p : List.copyOf(LOADED.values())) {
            try {
                p.close();
            } catch (RuntimeException e) {
                LOG.warn("closing detector {}: {}", p.detectorName(), e.toString());
            }
        }
        LOADED.clear();
        for (Path copy : List.copyOf(COPIES.values())) {
            try (Stream<Path> s = Files.walk(copy.getParent())) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | RuntimeException e) {
                LOG.warn("removing {}: {}", copy, e.toString());
            }
        }
        COPIES.clear();
    }

    /** How many detectors this JVM holds loaded (tests). */
    static int loadedCount() {
        return LOADED.size();
    }
}
