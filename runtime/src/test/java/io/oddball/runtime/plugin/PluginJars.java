package io.oddball.runtime.plugin;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds third-party plugin jars at test time: compiles Java sources against the api and jars them. */
public final class PluginJars {
    private PluginJars() {
    }

    /**
     * Compiles {@code sources} (class name → source) and writes a jar with {@code services} (SPI interface name →
     * provider class names) and an optional manifest api version.
     */
    public static Path build(Path jar, Map<String, String> sources, Map<String, String> services, String apiVersion)
            throws IOException {
        Path work = Files.createTempDirectory("plugin-src");
        Path classes = work.resolve("classes");
        Files.createDirectories(classes);
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path src = work.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(src.getParent());
            Files.writeString(src, e.getValue());
            files.add(src.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), "--release", "17", "-nowarn"));
        args.addAll(files);
        int rc = javac.run(null, null, null, args.toArray(new String[0]));
        if (rc != 0) {
            throw new IllegalStateException("javac failed: " + rc);
        }
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (apiVersion != null) {
            mf.getMainAttributes().putValue(io.oddball.api.Api.MANIFEST_ATTRIBUTE, apiVersion);
        }
        Files.createDirectories(jar.getParent());
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(os, mf)) {
            try (var walk = Files.walk(classes)) {
                for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                    jos.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                    jos.write(Files.readAllBytes(p));
                    jos.closeEntry();
                }
            }
            for (Map.Entry<String, String> s : services.entrySet()) {
                jos.putNextEntry(new JarEntry("META-INF/services/" + s.getKey()));
                jos.write(s.getValue().getBytes(StandardCharsets.UTF_8));
                jos.closeEntry();
            }
        }
        return jar;
    }

    /**
     * Source of a detector provider class {@code pkg.cls} named {@code name} that creates nothing, with extra
     * {@code members} (a throwing constructor, a static field needing a class left out of the jar, ...): for testing
     * how discovery reports broken providers.
     */
    public static String stubProviderSource(String pkg, String cls, String name, String members) {
        return """
                package %1$s;
                public final class %2$s implements io.oddball.api.DetectorProvider {
                    %4$s
                    public String name() { return "%3$s"; }
                    public String version() { return "0"; }
                    public io.oddball.api.ConfigSchema configSchema() { return io.oddball.api.ConfigSchema.of(); }
                    public io.oddball.api.Detector create(io.oddball.api.Params p, io.oddball.api.DetectorContext c) {
                        return null;
                    }
                    public io.oddball.api.Detector load(java.nio.file.Path d, java.util.Map<String, Object> h,
                            io.oddball.api.DetectorContext c) {
                        return null;
                    }
                }
                """.formatted(pkg, cls, name, members);
    }

    /**
     * Source of a small real detector plugin, {@code mean-distance}: fit learns the per-feature mean, the instance
     * score is the euclidean distance to it. Pure Java over the api, as a third-party author would write it.
     */
    public static Map<String, String> meanDistanceSources(String pkg, String typeName) {
        String provider = """
                package %1$s;

                import io.oddball.api.*;
                import io.oddball.api.data.*;
                import io.oddball.api.result.Scores;
                import java.nio.file.*;
                import java.util.*;

                public final class MeanDistanceProvider implements DetectorProvider {
                    public String name() { return "%2$s"; }
                    public String version() { return "1.2.3"; }
                    public ConfigSchema configSchema() {
                        return ConfigSchema.of(new ConfigSchema.Param("power", "double", "2", "distance power"));
                    }
                    public Detector create(Params params, DetectorContext context) {
                        double power = params.getDouble("power", 2.0);
                        if (!(power > 0)) { params.problem("power", "a number > 0", power); }
                        return new MeanDistance(power, null, null);
                    }
                    public Detector load(Path dir, Map<String, Object> hp, DetectorContext context) {
                        try {
                            String[] parts = Files.readString(dir.resolve("mean.txt")).trim().split(",");
                            float[] mean = new float[parts.length];
                            for (int i = 0; i < parts.length; i++) { mean[i] = Float.parseFloat(parts[i]); }
                            List<?> shape = (List<?>) hp.get("shape");
                            int[] dims = shape.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
                            return new MeanDistance(((Number) hp.get("power")).doubleValue(), mean, Shape.of(dims));
                        } catch (java.io.IOException e) {
                            throw new io.oddball.api.error.ModelFormatException(dir + ": " + e);
                        }
                    }

                    static final class MeanDistance implements Detector {
                        private final double power;
                        private float[] mean;
                        private Shape shape;
                        MeanDistance(double power, float[] mean, Shape shape) {
                            this.power = power; this.mean = mean; this.shape = shape;
                        }
                        public String name() { return "%2$s"; }
                        public Shape inputShape() { return shape; }
                        public boolean hasFeatureScores() { return false; }
                        public void fit(Dataset data, FitOptions options) {
                            shape = data.instanceShape();
                            int f = (int) shape.size();
                            double[] sum = new double[f];
                            long n = 0;
                            try (BatchIterator it = data.batches(options.batchSize())) {
                                while (it.hasNext()) {
                                    Batch b = it.next();
                                    for (int i = 0; i < b.size(); i++) {
                                        for (int j = 0; j < f; j++) { sum[j] += b.get(i, j); }
                                    }
                                    n += b.size();
                                }
                            }
                            mean = new float[f];
                            for (int j = 0; j < f; j++) { mean[j] = (float) (sum[j] / n); }
                        }
                        public Scores score(Batch batch) {
                            float[] s = new float[batch.size()];
                            for (int i = 0; i < batch.size(); i++) {
                                double d = 0;
                                for (int j = 0; j < mean.length; j++) {
                                    d += Math.pow(Math.abs(batch.get(i, j) - mean[j]), power);
                                }
                                s[i] = (float) Math.pow(d, 1 / power);
                            }
                            return Scores.ofInstances(s);
                        }
                        public Map<String, Object> hyperParameters() {
                            List<Integer> dims = new ArrayList<>();
                            for (int d : shape.dims()) { dims.add(d); }
                            return Map.of("power", power, "shape", dims);
                        }
                        public void save(Path dir) {
                            StringBuilder b = new StringBuilder();
                            for (int j = 0; j < mean.length; j++) { b.append(j == 0 ? "" : ",").append(mean[j]); }
                            try { Files.writeString(dir.resolve("mean.txt"), b.toString()); }
                            catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); }
                        }
                        public void close() { }
                    }
                }
                """.formatted(pkg, typeName);
        return Map.of(pkg + ".MeanDistanceProvider", provider);
    }
}
