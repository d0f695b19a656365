package io.oddball.runtime.pipeline;

import static java.util.Objects.requireNonNull;

import io.oddball.api.DetectorProvider;
import io.oddball.api.EmbedderProvider;
import io.oddball.api.FitOptions;
import io.oddball.api.Params;
import io.oddball.api.Scorer;
import io.oddball.api.ScorerProvider;
import io.oddball.api.ThresholdStrategy;
import io.oddball.api.ThresholdStrategyProvider;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DidYouMean;
import io.oddball.runtime.config.YamlDocument;
import io.oddball.runtime.data.Shapes;
import io.oddball.runtime.pipeline.PipelineDefinition.EmbedPlan;
import io.oddball.runtime.plugin.Kind;
import io.oddball.runtime.plugin.Lookup;
import io.oddball.runtime.plugin.Providers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML pipeline and checks everything the runtime itself understands, opening no native resource: the
 * top-level keys, every component type (against the discovered providers), the fit options, the data blocks (opened
 * with {@link DataOpener}), the preprocessing, the scorer and the threshold strategy (both made here: they are plain
 * Java). Problems are recorded, each as {@code file:line path: expected X, found Y}, and kept in the
 * {@link PipelineDefinition}. It makes neither the detector nor the embed stage: their parameters are for their plugin
 * to read, and making them can load models (a saved detector, a SavedModel); {@link PipelineAssembler} does that and
 * reports every problem of the file at once.
 */
public final class PipelineParser {
    /** Default threshold strategy: the 95th percentile of the training scores (cleanlab's tutorial rule). */
    public static final ComponentSpec DEFAULT_THRESHOLD = new ComponentSpec("percentile", Map.of("percent", 95.0));
    /** Default scorer: Alibi's mean over all feature scores ({@code outlierPerc: 100}). */
    public static final ComponentSpec DEFAULT_SCORER = new ComponentSpec("top-percent", Map.of("outlierPerc", 100.0));

    private final Providers providers;
    private final DataOpener data;

    public PipelineParser(Providers providers, DataOpener data) {
        this.providers = requireNonNull(providers, "providers is null");
        this.data = requireNonNull(data, "data is null");
    }

    /**
     * Reads and checks {@code yaml}; a file that is not YAML is a {@link io.oddball.api.error.ConfigException} at
     * once, every other problem is in the result ({@link PipelineDefinition#check()} throws them).
     */
    public PipelineDefinition parse(Path yaml) {
        YamlDocument doc = YamlDocument.read(yaml);
        Params root = doc.params();
        Path base = yaml.toAbsolutePath().getParent();
        // how to get the pipeline's data files (e.g. "data/download.sh cifar10"), named when one is missing
        String download = root.getString("download", null);

        Params det = root.child("detector");
        if (!root.has("detector")) {
            root.problem("detector", "a mapping with at least 'type'", null);
        }
        String type = det.requireString("type");
        FitOptions fit = FitOptions.from(det.child("fit"));
        DetectorProvider provider = type == null ? null
                : lookup(det, "type", Kind.DETECTOR, type, providers.detectors());
        Params detectorParams = pluginBlock(doc, det, "type", "fit");

        Params dataBlock = root.child("data");
        Params trainBlock = dataBlock.child("train");
        if (!dataBlock.has("train")) {
            dataBlock.problem("train", "a mapping with 'path' (and optional 'format')", null);
        }
        // a train value of the wrong kind is reported once (by child), not again as a missing path
        Dataset train = dataBlock.asMap().get("train") instanceof Map<?, ?>
                ? data.openBlock(trainBlock, base, null, download) : null;
        if (train != null && train.instanceShape().rank() == 2) {
            // an (N, H, W) array holds images without a channel axis: the detector sees them as H x W x 1
            train = Shapes.reshape(train, Shapes.withChannel(train.instanceShape()));
        }
        Shape rawShape = train == null ? null : train.instanceShape();

        Preprocessor preprocessor = Preprocessor.from(root.children("preprocess"));
        EmbedPlan embed = root.has("embed") ? embedPlan(doc, root.child("embed"), base) : null;

        Params sc = root.child("scorer");
        String scType = sc.getString("type", DEFAULT_SCORER.type());
        ScorerProvider scProvider = lookup(sc, "type", Kind.SCORER, scType, providers.scorers());
        ComponentSpec scorerSpec = root.has("scorer")
                ? new ComponentSpec(scType, ComponentSpec.fromMap(sc.asMap()).params()) : DEFAULT_SCORER;
        Scorer scorer = scProvider == null ? null
                : scProvider.create(root.has("scorer") ? sc : Params.of(scorerSpec.params()));

        Params th = root.child("threshold");
        String thType = th.getString("type", DEFAULT_THRESHOLD.type());
        ThresholdStrategyProvider thProvider = lookup(th, "type", Kind.THRESHOLD, thType, providers.thresholds());
        Dataset thresholdData = th.has("data") ? data.openBlock(th.child("data"), base, rawShape, download) : null;
        ComponentSpec thresholdSpec = DEFAULT_THRESHOLD;
        if (root.has("threshold")) {
            Map<String, Object> m = new LinkedHashMap<>(th.asMap());
            m.remove("data");
            thresholdSpec = new ComponentSpec(thType, ComponentSpec.fromMap(m).params());
        }
        ThresholdStrategy strategy = thProvider == null ? null
                : thProvider.create(root.has("threshold") ? th : Params.of(thresholdSpec.params()));

        Params ev = root.child("evaluate");
        Dataset evaluateIn = null;
        Dataset evaluateOod = null;
        if (root.has("evaluate")) {
            evaluateIn = ev.has("in") ? data.openBlock(ev.child("in"), base, rawShape, download) : null;
            evaluateOod = ev.has("ood") ? data.openBlock(ev.child("ood"), base, rawShape, download) : null;
            if (!ev.has("in") || !ev.has("ood")) {
                ev.problem(ev.has("in") ? "ood" : "in", "both 'in' (normal data) and 'ood' (outliers)", null);
            }
        }
        root.getRaw("version");

        List<String> problems = PipelineDefinition.problemsOf(root);
        if (problems.isEmpty() && strategy.needsLabels()) {
            Dataset labelled = thresholdData != null ? thresholdData : train;
            if (!labelled.hasLabels()) {
                problems.add(doc.locator().locate("threshold") + " threshold: '" + thType + "' needs labelled data "
                        + "(1 = outlier): expected threshold.data with labels, found " + labelled.name()
                        + " without labels");
            }
        }
        return new PipelineDefinition(yaml, doc.locator(), problems, provider, provider == null ? null
                : detectorParams, fit, train, preprocessor, scorerSpec, scorer, thresholdSpec, strategy,
                thresholdData, evaluateIn, evaluateOod, embed);
    }

    /**
     * The {@code embed} block: {@code {detector: DIR}} (the encoder of a saved detector, which must be a folder) or
     * {@code {type: NAME, ...}} (an embedder provider); null when the block names nothing that can be made.
     */
    private EmbedPlan embedPlan(YamlDocument doc, Params p, Path base) {
        if (p.has("detector")) {
            String path = p.getString("detector", null);
            if (p.has("type")) {
                p.problem("type", "no type with 'detector' (the encoder of a saved detector)", p.getRaw("type"));
            }
            Path dir = path == null ? null : DataOpener.resolve(base, path);
            if (dir == null || !Files.isDirectory(dir)) {
                p.problem("detector", "a saved detector directory (looked for " + dir + ")", path);
                return null;
            }
            return new EmbedPlan(pluginBlock(doc, p, "detector", "type"), base, dir, path, null, null);
        }
        String type = p.requireString("type");
        EmbedderProvider provider = type == null ? null
                : lookup(p, "type", Kind.EMBEDDER, type, providers.embedders());
        if (provider == null) {
            p.keys().forEach(p::getRaw);
            return null;
        }
        return new EmbedPlan(pluginBlock(doc, p, "type"), base, null, null, provider, type);
    }

    /**
     * The block {@code p} as a parameter tree of its own for the plugin that reads it, with the keys {@code taken}
     * here marked read; in the file's tree every key of the block counts as read, so what the plugin leaves unread is
     * reported by its own tree (once the plugin has read it).
     */
    private static Params pluginBlock(YamlDocument doc, Params p, String... taken) {
        p.keys().forEach(p::getRaw);
        Params block = Params.of(p.asMap(), p.path(), doc.locator());
        for (String key : taken) {
            block.getRaw(key);
        }
        return block;
    }

    /**
     * The provider of {@code kind} named {@code name}; when there is none, a problem on {@code where}'s {@code key}
     * listing the known names (with both sources when two claim the name, else a did-you-mean, and for one of
     * Oddball's own detector types the artifact to add) and null.
     */
    private <T> T lookup(Params where, String key, Kind kind, String name, Map<String, T> byName) {
        Lookup found = providers.plugins().lookup(kind, name);
        if (found instanceof Lookup.Found) {
            return byName.get(name);
        }
        List<String> known = providers.plugins().names(kind);
        String clash = found instanceof Lookup.Clash c ? " (" + c.message() + ")" : "";
        String hint = kind == Kind.DETECTOR && clash.isEmpty() ? Providers.missingDetectorHint(name) : null;
        String didYouMean = clash.isEmpty() ? DidYouMean.hint(name, known) : "";
        where.problem(key, "a known " + kind.label() + " type " + known + clash,
                new Described("'" + name + "'" + (hint == null ? "" : " (" + hint + ")") + didYouMean));
        return null;
    }
}
