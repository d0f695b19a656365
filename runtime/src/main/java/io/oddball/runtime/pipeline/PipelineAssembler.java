package io.oddball.runtime.pipeline;

import static java.util.Objects.requireNonNull;

import io.oddball.api.Detector;
import io.oddball.api.DetectorContext;
import io.oddball.api.DetectorProvider;
import io.oddball.api.Embedder;
import io.oddball.api.Params;
import io.oddball.api.data.Dataset;
import io.oddball.api.data.Shape;
import io.oddball.api.error.ConfigException;
import io.oddball.api.error.OddballException;
import io.oddball.runtime.data.Shapes;
import io.oddball.runtime.pipeline.PipelineDefinition.EmbedPlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes what a {@link PipelineDefinition} leaves to the plugins: the embed stage (the encoder of a saved detector,
 * loaded, or an embedder, which loads its model) and the unfitted detector (its provider reads the rest of the
 * {@code detector} block). This is where a pipeline may first load models and native code. It then reports every
 * problem of the file at once, the parser's and those the plugins found, as one
 * {@link ConfigException}, closing whatever it made.
 */
public final class PipelineAssembler {
    private final DetectorStore store;

    /** @param store loads the saved detector of {@code embed: {detector: DIR}} */
    public PipelineAssembler(DetectorStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** A pipeline ready to fit; the caller owns its detector and embed stage (fitting hands them to the pipeline). */
    public PipelineSpec assemble(PipelineDefinition d, DetectorContext context) {
        List<String> problems = new ArrayList<>(d.problems());
        Dataset train = d.train();
        Dataset thresholdData = d.thresholdData();
        Dataset in = d.evaluateIn();
        Dataset ood = d.evaluateOod();
        EmbedStage embed = d.embed() == null ? null : embed(d.embed(), context, problems);
        Shape wanted = embed == null ? null : embed.inputShape();
        if (wanted != null && train != null && !wanted.equals(train.instanceShape())) {
            Shape raw = train.instanceShape();
            if (Shapes.sameLayout(raw, wanted)) {
                // the data blocks were read in the training data's shape: all are read in the embed stage's
                train = Shapes.reshape(train, wanted);
                thresholdData = reshaped(thresholdData, raw, wanted);
                in = reshaped(in, raw, wanted);
                ood = reshaped(ood, raw, wanted);
            } else {
                Params block = Params.of(Map.of(), "data.train", d.locator());
                block.problem("path", Shapes.describe(wanted) + " (the embed stage's input)",
                        new Described(Shapes.mismatch(raw, wanted, true)));
                problems.addAll(block.problems());
            }
        }
        Detector detector = null;
        try {
            DetectorProvider provider = d.provider();
            if (provider != null) {
                try {
                    detector = Pipeline.withLoader(provider.getClass().getClassLoader(),
                            () -> provider.create(d.detectorParams(), context));
                    addNew(problems, PipelineDefinition.problemsOf(d.detectorParams()));
                } catch (ConfigException e) {
                    addNew(problems, e.problems());
                }
            }
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            d.preprocessor().check(train.instanceShape(), d.file().toString());
        } catch (RuntimeException | Error e) {
            closeAll(detector, embed);
            throw e;
        }
        return new PipelineSpec(d.file(), d.provider(), detector, d.fit(), train, d.preprocessor(), d.scorerSpec(),
                d.scorer(), d.thresholdSpec(), d.threshold(), thresholdData, in, ood, embed);
    }

    /** The embed stage of {@code plan}, or null with its problems added to {@code problems}. */
    private EmbedStage embed(EmbedPlan plan, DetectorContext context, List<String> problems) {
        Params p = plan.params();
        EmbedStage stage = null;
        try {
            if (plan.detectorDir() != null) {
                stage = encoderOf(plan, context);
            } else {
                Map<String, Object> description = new LinkedHashMap<>(p.asMap());
                Embedder embedder = Pipeline.withLoader(plan.provider().getClass().getClassLoader(),
                        () -> plan.provider().create(p, plan.baseDir(), context));
                stage = new EmbedStage(embedder, plan.type(), description);
            }
        } catch (ConfigException e) {
            addNew(problems, e.problems());
        }
        addNew(problems, PipelineDefinition.problemsOf(p));
        return stage;
    }

    /** The encoder of the saved detector {@code embed: {detector: DIR}}, or null with a problem recorded. */
    private EmbedStage encoderOf(EmbedPlan plan, DetectorContext context) {
        Pipeline source;
        try {
            source = store.load(plan.detectorDir(), context);
        } catch (OddballException e) {
            plan.params().problem("detector", "a saved detector that loads (" + e.getMessage() + ")",
                    plan.detectorPath());
            return null;
        }
        EmbedStage stage = DetectorStore.encoderStage(source, plan.detectorDir(), plan.detectorDir().toString());
        if (stage == null) {
            plan.params().problem("detector", "a saved detector that can encode (e.g. type ae)", "type '"
                    + source.detectorName() + "'");
        }
        return stage;
    }

    /** {@code d} read in {@code wanted} where it was read in {@code raw} (the same layout). */
    private static Dataset reshaped(Dataset d, Shape raw, Shape wanted) {
        return d != null && d.instanceShape().equals(raw) ? Shapes.reshape(d, wanted) : d;
    }

    /** Appends the problems of {@code more} not yet in {@code problems}, in linear time (a YAML may hold 200 000). */
    private static void addNew(List<String> problems, List<String> more) {
        Set<String> seen = new HashSet<>(problems);
        for (String m : more) {
            if (seen.add(m)) {
                problems.add(m);
            }
        }
    }

    private static void closeAll(Detector detector, EmbedStage embed) {
        try {
            if (detector != null) {
                detector.close();
            }
        } finally {
            if (embed != null) {
                embed.close();
            }
        }
    }
}
