package io.oddball.server;

import io.oddball.runtime.Oddball;
import io.oddball.runtime.RuntimeContext;
import io.oddball.runtime.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The saved detectors a server serves, by name. {@link #loadAll()} loads them one after another; until it has
 * finished the server is not ready. A detector that fails to load is logged and reported (its name answers 503 with
 * the reason) while the others serve.
 */
public final class ModelRepository implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelRepository.class);

    private final Oddball oddball;
    private final RuntimeContext context;
    private final List<ModelSpec> specs;
    private final ServerSettings settings;
    private final ServerMetrics metrics;
    private final Map<String, ServedModel> models = new ConcurrentHashMap<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private volatile boolean loaded;

    public ModelRepository(Oddball oddball, RuntimeContext context, List<ModelSpec> specs, ServerSettings settings,
            ServerMetrics metrics) {
        this.oddball = oddball;
        this.context = context;
        this.specs = List.copyOf(specs);
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Loads every detector; returns the failures (name to one line), empty when all loaded. */
    public Map<String, String> loadAll() {
        for (ModelSpec s : specs) {
            long t0 = System.nanoTime();
            try {
                Pipeline p = oddball.load(s.dir(), context);
                models.put(s.name(), new ServedModel(s.name(), s.dir(), p, new Batcher(s.name(), p, settings,
                        metrics)));
                LOG.info("model '{}' ({} detector from {}) loaded in {} ms", s.name(), p.detectorName(), s.dir(),
                        (System.nanoTime() - t0) / 1_000_000);
            } catch (RuntimeException | LinkageError e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                failures.put(s.name(), why);
                LOG.debug("model '{}' from {} failed to load: {}", s.name(), s.dir(), why);
            }
        }
        loaded = true;
        return failures();
    }

    /** Whether loading has finished and at least one model serves. */
    public boolean ready() {
        return loaded && !models.isEmpty();
    }

    /** The names served, in command-line order (loaded or not). */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (ModelSpec s : specs) {
            out.add(s.name());
        }
        return out;
    }

    public boolean isKnown(String name) {
        return specs.stream().anyMatch(s -> s.name().equals(name));
    }

    /** Whether {@code name} is loaded and serving. */
    public boolean isReady(String name) {
        return models.containsKey(name);
    }

    /** Failures to load: model name to one line. */
    public Map<String, String> failures() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    /**
     * The model {@code name} at {@code version} (null or empty: the one version).
     *
     * @throws InferenceException 404 for an unknown name or version, 503 while loading or when it failed to load
     */
    public ServedModel get(String name, String version) {
        ServedModel m = models.get(name);
        if (m == null) {
            if (!isKnown(name)) {
                throw InferenceException.notFound("model '" + name + "': expected one of " + names()
                        + ", found no model of that name");
            }
            String why = failures.get(name);
            throw InferenceException.unavailable("model '" + name + "' is not ready: " + (why != null
                    ? "it failed to load (" + why + ")" : "still loading"), why != null ? 0 : 1);
        }
        if (version != null && !version.isEmpty() && !version.equals(ServedModel.VERSION)) {
            throw InferenceException.notFound("model '" + name + "': expected version " + ServedModel.VERSION
                    + " (the only one served), found version '" + version + "'");
        }
        return m;
    }

    /** The loaded models. */
    public List<ServedModel> models() {
        return List.copyOf(models.values());
    }

    /** Stops every batcher (queued requests are answered first) and frees the pipelines. */
    @Override
    public void close() {
        for (ServedModel m : models.values()) {
            try {
                m.close();
            } catch (RuntimeException e) {
                LOG.warn("model '{}': closing failed: {}", m.name(), e.toString());
            }
        }
        models.clear();
    }
}
