package io.oddball.tf.io;

import static java.util.Objects.requireNonNull;

import io.oddball.api.data.Shape;
import io.oddball.api.error.ModelFormatException;
import io.oddball.api.DetectorContext;
import io.oddball.tf.Devices;
import io.oddball.tf.Sessions;
import io.oddball.tf.Tensors;
import io.oddball.tf.TfOptions;
import io.oddball.tf.kernels.Kernels;
import io.oddball.tf.layers.ModelVariables;
import io.oddball.tf.layers.WeightSpec;
import io.oddball.tf.layers.Weights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * An inference graph with one float input (a batch of instances) and named float outputs of one row per instance,
 * run in batches of bounded size with every tensor closed. It is either built in this JVM (a graph whose variables are
 * set to trained weights) or loaded from a SavedModel; {@link #export} writes the former as a SavedModel (tag
 * {@code serve}, signature {@code serving_default}, variables saved), which TensorFlow in any language loads, and
 * which {@link #load} reads back to give bit-identical outputs on the same machine.
 *
 * <p>Thread-safe: {@link #run} may be called from many threads; {@link #close} waits for running calls.
 */
public final class InferenceModel implements AutoCloseable {
    /** The signature key written and read. */
    public static final String SIGNATURE = Signature.DEFAULT_KEY;

    private final Graph graph;
    private final Session session;
    private final SavedModelBundle bundle;
    private final Path source;
    private final Signature signature;
    private final String inputName;
    private final Shape instanceShape;
    private final Map<String, String> outputNames;
    private final Map<String, Shape> outputShapes;
    private final String description;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    /** How to build this graph again with TensorFlow's stock ops, when it holds Oddball's own ops; else null. */
    private Recipe recipe;
    private boolean closed;

    private record Recipe(DetectorContext context, TfOptions options, String model, List<WeightSpec> specs,
            Builder builder) {
    }

    private InferenceModel(Graph graph, Session session, SavedModelBundle bundle, Path source, Signature signature,
            String inputKey, Shape instanceShape, Map<String, Shape> outputShapes, String where) {
        this.source = source;
        this.description = where;
        this.graph = graph;
        this.session = session;
        this.bundle = bundle;
        this.signature = signature;
        this.instanceShape = instanceShape;
        Map<String, Signature.TensorDescription> inputs = signature.getInputs();
        if (inputKey == null && inputs.size() != 1) {
            throw new ModelFormatException(where + ": signature " + signature.key() + ": expected 1 input, found "
                    + inputs.keySet());
        }
        Signature.TensorDescription in = inputKey == null ? inputs.values().iterator().next() : inputs.get(inputKey);
        if (in == null) {
            throw new ModelFormatException(where + ": signature " + signature.key() + ": expected an input named "
                    + inputKey + ", found " + inputs.keySet());
        }
        this.inputName = in.name;
        this.outputNames = new LinkedHashMap<>();
        Map<String, Shape> shapes = new LinkedHashMap<>(outputShapes);
        for (Map.Entry<String, Signature.TensorDescription> e : signature.getOutputs().entrySet()) {
            outputNames.put(e.getKey(), e.getValue().name);
            Shape known = instanceShapeOf(e.getValue());
            if (known != null && e.getValue().dataType == DataType.DT_FLOAT) {
                shapes.putIfAbsent(e.getKey(), known);
            }
        }
        this.outputShapes = Map.copyOf(shapes);
    }

    /**
     * Takes over {@code graph} and a session on it (variables already set) with the signature {@code input →
     * outputs}.
     *
     * @param instanceShape shape of one input instance
     * @param outputs each output's name, operand and instance shape
     */
    public static InferenceModel of(Graph graph, Session session, Operand<TFloat32> input, Shape instanceShape,
            Map<String, Output> outputs) {
        requireNonNull(graph, "graph is null");
        requireNonNull(session, "session is null");
        requireNonNull(input, "input is null");
        requireNonNull(instanceShape, "instanceShape is null");
        Signature.Builder b = Signature.builder().key(SIGNATURE).input("input", input);
        Map<String, Shape> shapes = new LinkedHashMap<>();
        outputs.forEach((name, out) -> {
            b.output(name, out.operand());
            shapes.put(name, out.instanceShape());
        });
        return new InferenceModel(graph, session, null, null, b.build(), null, instanceShape, shapes,
                "inference graph");
    }

    /**
     * Builds an inference graph in a new graph (placed by {@code context}, built and run as {@code options} say):
     * the variables of {@code specs} for model {@code model}, set to {@code weights}, and what {@code builder} makes
     * of them; closes everything on failure.
     */
    public static InferenceModel build(DetectorContext context, TfOptions options, String model,
            List<WeightSpec> specs, Weights weights, Builder builder) {
        requireNonNull(context, "context is null");
        requireNonNull(options, "options is null");
        requireNonNull(weights, "weights is null");
        requireNonNull(builder, "builder is null");
        Graph g = new Graph();
        try {
            Ops tf = Devices.place(Ops.create(g), context);
            ModelVariables vars = ModelVariables.create(tf, model, specs);
            Spec spec = builder.build(tf, vars, options);
            Session s = new Session(g, Sessions.inferenceConfig(options));
            try {
                vars.assign(s, weights);
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
            InferenceModel m = of(g, s, spec.input(), spec.instanceShape(), spec.outputs());
            if (holdsOwnOps(g) || options.batchedDense()) {
                m.recipe = new Recipe(context, options, model, List.copyOf(specs), builder);
            }
            return m;
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /**
     * {@code loaded} (a SavedModel, TensorFlow's stock ops) or, where {@code options} use Oddball's own ops
     * ({@link Kernels#of}, float32 inference), the same weights in the graph {@code build} makes of them, the faster
     * form a fit in this JVM builds; closes whichever it does not return. Scores then equal those of the fit that
     * saved the model (the same graph and weights) and agree with the SavedModel's to float rounding.
     *
     * @param model and {@code specs}: the variables the SavedModel holds ({@link #weights})
     */
    public static InferenceModel inThisJvm(InferenceModel loaded, TfOptions options, String model,
            List<WeightSpec> specs, java.util.function.Function<Weights, InferenceModel> build) {
        requireNonNull(loaded, "loaded is null");
        requireNonNull(options, "options is null");
        requireNonNull(build, "build is null");
        if (!Kernels.of(options).fused() || Sessions.inferencePrecision(options) != TfOptions.Precision.FLOAT32) {
            return loaded;
        }
        Weights w;
        try {
            w = loaded.weights(model, specs);
        } catch (ModelFormatException e) {
            return loaded;  // variables named otherwise (not exported by this project): run the SavedModel as it is
        }
        InferenceModel built;
        try {
            built = build.apply(w);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
        if (built.graph == null || !holdsOwnOps(built.graph)) {
            // the stock ops either way (a Dense-only network): the SavedModel as it is, on every CPU class
            built.close();
            return loaded;
        }
        loaded.close();
        return built;
    }

    /** Whether {@code g} holds ops of Oddball's own op library ({@link Kernels}), which other runtimes lack. */
    private static boolean holdsOwnOps(Graph g) {
        java.util.Iterator<org.tensorflow.GraphOperation> it = g.operations();
        while (it.hasNext()) {
            if (it.next().type().startsWith("Oddball")) {
                return true;
            }
        }
        return false;
    }

    /** Builds the ops of an inference graph on a model's variables (see {@link #build}). */
    @FunctionalInterface
    public interface Builder {
        /** The input and outputs built with {@code tf} on {@code vars}, layers built with {@code options}. */
        Spec build(Ops tf, ModelVariables vars, TfOptions options);
    }

    /**
     * The signature of an inference graph.
     *
     * @param input the float input, instances first
     * @param instanceShape shape of one input instance
     * @param outputs each output's name, operand and instance shape
     */
    public record Spec(Operand<TFloat32> input, Shape instanceShape, Map<String, Output> outputs) {
        public Spec {
            requireNonNull(input, "input is null");
            requireNonNull(instanceShape, "instanceShape is null");
            outputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        }
    }

    /**
     * An output of an inference graph.
     *
     * @param operand its value, instances first
     * @param instanceShape the shape of one instance's value
     */
    public record Output(Operand<TFloat32> operand, Shape instanceShape) {
        public Output {
            requireNonNull(operand, "operand is null");
            requireNonNull(instanceShape, "instanceShape is null");
        }
    }

    /**
     * Loads the SavedModel in {@code dir} (tag {@code serve}) and checks its {@code serving_default} signature: one
     * float input of instance shape {@code instanceShape} and float outputs named as {@code outputShapes}, with those
     * instance shapes. Its session runs at the inference precision of {@code options}.
     *
     * @throws ModelFormatException naming the directory, what was expected and what was found
     */
    public static InferenceModel load(Path dir, Shape instanceShape, Map<String, Shape> outputShapes,
            TfOptions options) {
        requireNonNull(dir, "dir is null");
        requireNonNull(instanceShape, "instanceShape is null");
        requireNonNull(outputShapes, "outputShapes is null");
        SavedModelBundle bundle = loadBundle(dir, options);
        try {
            Signature sig = signature(bundle, SIGNATURE);
            if (sig == null) {
                throw new ModelFormatException(dir + ": expected a signature " + SIGNATURE + ", found "
                        + signatureKeys(bundle));
            }
            check(dir, "input", sig.getInputs().values().stream().findFirst().orElse(null), instanceShape);
            if (!sig.getOutputs().keySet().containsAll(outputShapes.keySet())) {
                throw new ModelFormatException(dir + ": expected outputs " + outputShapes.keySet() + ", found "
                        + sig.getOutputs().keySet());
            }
            for (Map.Entry<String, Shape> e : outputShapes.entrySet()) {
                check(dir, "output " + e.getKey(), sig.getOutputs().get(e.getKey()), e.getValue());
            }
            return new InferenceModel(null, bundle.session(), bundle, dir, sig, null, instanceShape, outputShapes,
                    dir.toString());
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /**
     * Loads the SavedModel in {@code dir} (tag {@code serve}) for {@link #of(SavedModelBundle, Path, Signature,
     * String)}, its session at the inference precision of {@code options}: the caller inspects its signatures first
     * and closes it if it does not take it.
     *
     * @throws ModelFormatException naming the directory when there is no readable SavedModel
     */
    public static SavedModelBundle loadBundle(Path dir, TfOptions options) {
        requireNonNull(dir, "dir is null");
        requireNonNull(options, "options is null");
        if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
            throw new ModelFormatException(dir + ": expected a SavedModel (saved_model.pb), found none");
        }
        requireOnlyFilesAndFolders(dir);
        try {
            return SavedModelBundle.loader(dir.toString()).withTags(SavedModelBundle.DEFAULT_TAG)
                    .withConfigProto(Sessions.inferenceConfig(options)).load();
        } catch (RuntimeException e) {
            throw new ModelFormatException(dir + ": cannot load the SavedModel: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a SavedModel folder holding anything but files and folders (links followed): TensorFlow would open a FIFO
     * among its variables and wait forever, or read a device without end.
     */
    private static void requireOnlyFilesAndFolders(Path dir) {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (!Files.isDirectory(p) && !Files.isRegularFile(p)) {
                    throw new ModelFormatException(p + ": expected a file of the SavedModel " + dir + ", found "
                            + (Files.exists(p) ? "a FIFO, socket or device" : "a symbolic link to nothing"));
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new ModelFormatException(dir + ": expected a readable SavedModel folder, found: " + e.getMessage(),
                    e);
        }
    }

    /** The signature of {@code bundle} with key {@code key}, or null. */
    public static Signature signature(SavedModelBundle bundle, String key) {
        for (Signature s : bundle.signatures()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }

    /** The signature keys of {@code bundle}, sorted. */
    public static List<String> signatureKeys(SavedModelBundle bundle) {
        return bundle.signatures().stream().map(Signature::key).sorted().toList();
    }

    /**
     * Takes over a loaded {@code bundle} (closed with this model) to run {@code signature}: input {@code inputKey}
     * (null = the signature's only input), which must be float with a known instance shape; every float output with a
     * known instance shape can be run. Exporting copies the files of {@code dir}.
     *
     * @throws ModelFormatException naming {@code dir} if the input is missing or not a float tensor of known shape
     */
    public static InferenceModel of(SavedModelBundle bundle, Path dir, Signature signature, String inputKey) {
        requireNonNull(bundle, "bundle is null");
        requireNonNull(dir, "dir is null");
        requireNonNull(signature, "signature is null");
        Map<String, Signature.TensorDescription> inputs = signature.getInputs();
        Signature.TensorDescription in = inputKey != null ? inputs.get(inputKey)
                : inputs.size() == 1 ? inputs.values().iterator().next() : null;
        String what = dir + ": signature " + signature.key() + " input" + (inputKey == null ? "" : " " + inputKey);
        if (in == null) {
            throw new ModelFormatException(what + ": expected " + (inputKey == null ? "exactly one input" : "an input "
                    + "of that name") + ", found " + inputs.keySet());
        }
        Shape shape = instanceShapeOf(in);
        if (shape == null || in.dataType != DataType.DT_FLOAT) {
            throw new ModelFormatException(what + ": expected a float tensor of shape [-1, fixed instance "
                    + "dimensions], found " + in.dataType + " " + in.shape);
        }
        return new InferenceModel(null, bundle.session(), bundle, dir, signature, inputKey, shape, Map.of(),
                dir.toString());
    }

    /**
     * The instance shape of a tensor described in a signature ({@code [-1, d1, d2, ...]} → {@code d1×d2×...}), or
     * null when its rank or an instance dimension is unknown or it has no batch dimension.
     */
    public static Shape instanceShapeOf(Signature.TensorDescription d) {
        org.tensorflow.ndarray.Shape s = d.shape;
        if (s.isUnknown() || s.numDimensions() < 1) {
            return null;
        }
        int[] dims = new int[s.numDimensions() - 1];
        for (int i = 0; i < dims.length; i++) {
            long v = s.get(i + 1);
            if (v < 0 || v > Integer.MAX_VALUE) {
                return null;
            }
            dims[i] = (int) v;
        }
        return Shape.of(dims);
    }

    private static void check(Path dir, String what, Signature.TensorDescription d, Shape instanceShape) {
        String expected = "float tensor of shape [-1, " + instanceShape.toString().replace("x", ", ") + "]";
        if (d == null) {
            throw new ModelFormatException(dir + ": " + what + ": expected a " + expected + ", found none");
        }
        org.tensorflow.ndarray.Shape s = d.shape;
        boolean ok = d.dataType == DataType.DT_FLOAT && s.numDimensions() == instanceShape.rank()
                + 1;
        for (int i = 0; ok && i < instanceShape.rank(); i++) {
            ok = s.get(i + 1) == instanceShape.dim(i);
        }
        if (!ok) {
            throw new ModelFormatException(dir + ": " + what + ": expected a " + expected + ", found " + d.dataType
                    + " " + s);
        }
    }

    /**
     * The values of the variables of {@code specs} for model {@code model} in this model's session, by the names
     * {@link ModelVariables} gives them ({@code <model>_<weight>}): the weights a SavedModel that this project
     * exported was built on, to rebuild its graph in another form.
     *
     * @throws ModelFormatException naming the model's source if a variable is missing or of another shape
     */
    public io.oddball.tf.layers.Weights weights(String model, List<WeightSpec> specs) {
        requireNonNull(model, "model is null");
        requireNonNull(specs, "specs is null");
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("inference model is closed");
            }
            Session.Runner r = session.runner();
            for (WeightSpec s : specs) {
                r.fetch(model + "_" + s.name());
            }
            List<float[]> arrays = new ArrayList<>();
            try (Result result = r.run()) {
                for (int i = 0; i < specs.size(); i++) {
                    TFloat32 t = Tensors.get(result, i, TFloat32.class);
                    WeightSpec s = specs.get(i);
                    long[] dims = t.shape().asArray();
                    if (dims.length != s.shape().rank() || t.shape().size() != s.shape().size()) {
                        throw new ModelFormatException(description + ": variable " + model + "_" + s.name()
                                + ": expected shape " + s.shape() + ", found " + t.shape());
                    }
                    arrays.add(Tensors.toFloats(t));
                }
            }
            return io.oddball.tf.layers.Weights.wrap(specs, arrays);
        } catch (IllegalArgumentException | org.tensorflow.exceptions.TensorFlowException e) {
            throw new ModelFormatException(description + ": expected the variables " + model + "_<weight> of "
                    + specs.size() + " weights, found: " + e.getMessage(), e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Shape of one input instance. */
    public Shape instanceShape() {
        return instanceShape;
    }

    /** Output names, in signature order. */
    public List<String> outputs() {
        return new ArrayList<>(outputNames.keySet());
    }

    /** Instance shape of output {@code name}, or null when it is not known (such an output cannot be run). */
    public Shape outputShape(String name) {
        return outputShapes.get(name);
    }

    /**
     * Runs {@code n} instances ({@code data}, row-major) through the graph in batches of at most {@code batchSize}
     * and returns the requested outputs, each {@code n × its instance shape}, row-major.
     */
    public float[][] run(float[] data, int n, int batchSize, String... outputs) {
        requireNonNull(data, "data is null");
        int f = Math.toIntExact(instanceShape.size());
        if (data.length != (long) n * f) {
            throw new IllegalArgumentException("expected " + n + " × " + f + " values, found " + data.length);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
        }
        String[] names = new String[outputs.length];
        int[] sizes = new int[outputs.length];
        float[][] out = new float[outputs.length][];
        for (int i = 0; i < outputs.length; i++) {
            names[i] = outputNames.get(outputs[i]);
            if (names[i] == null || !outputShapes.containsKey(outputs[i])) {
                throw new IllegalArgumentException("no output " + outputs[i] + "; outputs are "
                        + outputShapes.keySet());
            }
            sizes[i] = Math.toIntExact(outputShapes.get(outputs[i]).size());
            out[i] = new float[Math.multiplyExact(n, sizes[i])];
        }
        int[] d = instanceShape.prepend(0).dims();
        long[] dims = new long[d.length];
        for (int i = 1; i < d.length; i++) {
            dims[i] = d[i];
        }
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("inference model is closed");
            }
            for (int at = 0; at < n; at += batchSize) {
                int size = Math.min(batchSize, n - at);
                dims[0] = size;
                try (TFloat32 x = Tensors.floatsAt(data, at * f, dims)) {
                    Session.Runner r = session.runner().feed(inputName, x);
                    for (String name : names) {
                        r.fetch(name);
                    }
                    try (Result result = r.run()) {
                        for (int i = 0; i < names.length; i++) {
                            TFloat32 t = Tensors.get(result, i, TFloat32.class);
                            if (t.size() != (long) size * sizes[i]) {
                                throw new IllegalStateException("output " + outputs[i] + ": expected "
                                        + (long) size * sizes[i] + " values, found " + t.size());
                            }
                            t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(out[i], false, false)
                                    .slice((long) at * sizes[i], (long) size * sizes[i]));
                        }
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return out;
    }

    /**
     * Writes this model as a SavedModel into {@code dir} (created if missing; must not hold a SavedModel already).
     * A model built in this JVM is exported from its session (adding save ops to the graph, so this excludes
     * concurrent runs), or, if its graph holds Oddball's own ops ({@link Kernels}) or CPU-specific forms
     * ({@link TfOptions#batchedDense()}), from the same weights built again with the op library off and Dense layers
     * as {@code MatMul} (TensorFlow's stock ops, the same on every CPU); a loaded one by copying the files it was
     * loaded from.
     */
    public void export(Path dir) {
        requireNonNull(dir, "dir is null");
        Recipe r = recipe;
        if (r != null && source == null) {
            // this graph holds Oddball's own ops: the same weights in a graph of TensorFlow's stock ops, which any
            // runtime loads
            Weights w = weights(r.model(), r.specs());
            // (and Dense layers as MatMul: the file does not depend on the CPU it was exported on)
            try (InferenceModel portable = build(r.context(), r.options().withOpLibrary(TfOptions.OpLibraryUse.OFF)
                    .with(TfOptions.Variant.PLAIN_DENSE), r.model(), r.specs(), w, r.builder())) {
                portable.export(dir);
            }
            return;
        }
        if (source == null && graph != null && holdsOwnOps(graph)) {
            throw new IllegalStateException("this inference graph holds Oddball's own ops, which other TensorFlow "
                    + "runtimes lack: build it with InferenceModel.build (which exports it with the stock ops) or "
                    + "with the op library off (TfOptions.OpLibraryUse.OFF)");
        }
        lock.writeLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("inference model is closed");
            }
            Files.createDirectories(dir);
            if (source != null) {
                copyTree(source, dir);
                return;
            }
            SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(signature, session))
                    .export();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write the SavedModel: " + e.getMessage(), e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isRegularFile(from.resolve("saved_model.pb"))) {
            throw new IOException("the SavedModel this model was loaded from is gone: " + from);
        }
        FileTrees.copy(from, to);
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (bundle != null) {
                bundle.close();
            } else {
                session.close();
                graph.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
