package io.oddball.detector.knn;

import static java.util.Objects.requireNonNull;

import io.oddball.api.DetectorContext;
import io.oddball.api.Progress;
import io.oddball.api.error.OddballException;
import io.oddball.tf.Devices;
import io.oddball.tf.Sessions;
import io.oddball.tf.Tensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * Exact k-nearest-neighbour search in TensorFlow: the preprocessed reference set lives once in a graph variable;
 * queries are fed in blocks and compared with one reference chunk per run (MatMul + TopK), and the partial top-k
 * lists are merged in Java, so a run never holds more than {@code blockSize} distances. The reference-against-itself
 * search uses only the upper-triangle tiles of the symmetric distance matrix, each tile giving candidates to both its
 * row and its column queries.
 *
 * <p>Preprocessing (optional per-column standardisation, then L2 normalisation for cosine) is part of the graph and
 * identical for reference rows and queries. Thread-safe: a session run is, and no Java state changes after
 * construction.
 */
final class NeighbourSearch implements AutoCloseable {
    /** Searches bigger than this many row-pair comparisons show progress. */
    private static final long PROGRESS_WORK = 1L << 31;
    /** The self-search uses at least this many row blocks, so the symmetric product is mostly computed once. */
    private static final int MIN_REFERENCE_BLOCKS = 4;

    private final Metric metric;
    private final DetectorContext context;
    private final int n;
    private final int dim;
    private final long blockSize;
    private final Graph graph;
    private final Session session;
    private final Placeholder<TFloat32> referenceIn;
    private final Placeholder<TInt32> loadBegin;
    private final Placeholder<TInt32> loadEnd;
    private final Op loadRaw;
    private final Op loadProcessed;
    private final Placeholder<TFloat32> queries;
    private final Placeholder<TInt32> rowBegin;
    private final Placeholder<TInt32> rowSize;
    private final Placeholder<TInt32> colBegin;
    private final Placeholder<TInt32> colSize;
    private final Placeholder<TInt32> topK;
    private final Placeholder<TInt32> topKCols;
    private final Placeholder<TInt32> offDiagonalBegin;
    private final TopK<? extends TNumber, TInt32> queryTop;
    private final TopK<? extends TNumber, TInt32> tileRowTop;
    private final TopK<? extends TNumber, TInt32> tileColTop;
    private final Operand<TFloat32> referenceRows;

    /**
     * Builds the graph and loads the reference set.
     *
     * @param reference {@code n × dim} rows, row-major
     * @param processed whether {@code reference} is already preprocessed (a saved reference) or raw
     * @param mean per-column means to subtract, or null for no standardisation
     * @param std per-column standard deviations to divide by (with {@code mean})
     */
    NeighbourSearch(Metric metric, float[] reference, int n, int dim, boolean processed, float[] mean, float[] std,
            long blockSize, DetectorContext context) {
        this.metric = requireNonNull(metric, "metric is null");
        this.context = requireNonNull(context, "context is null");
        requireNonNull(reference, "reference is null");
        this.n = n;
        this.dim = dim;
        this.blockSize = blockSize;
        this.graph = new Graph();
        Session opened = null;
        try {
            Ops tf = Devices.place(Ops.create(graph), context);
            Variable<TFloat32> ref = tf.withName("reference").variable(Shape.of(n, dim), TFloat32.class);
            // the reference is loaded in row chunks, so no full-size intermediate exists besides the variable
            referenceIn = tf.withName("reference_in").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, dim)));
            loadBegin = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
            loadEnd = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
            Operand<TInt32> ones = tf.constant(new int[] {1, 1});
            Op allocate = tf.assign(ref, tf.fill(tf.constant(new int[] {n, dim}), tf.constant(0f)));
            loadRaw = tf.stridedSliceAssign(ref, loadBegin, loadEnd, ones, preprocess(tf, referenceIn, mean, std));
            loadProcessed = tf.stridedSliceAssign(ref, loadBegin, loadEnd, ones, referenceIn);
            queries = tf.withName("queries").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, dim)));
            rowBegin = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
            rowSize = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
            colBegin = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
            colSize = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
            topK = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
            topKCols = tf.placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
            Operand<TFloat32> cols = tf.slice(ref, colBegin, colSize);
            referenceRows = tf.slice(ref, rowBegin, rowSize);
            queryTop = top(tf, similarity(tf, preprocess(tf, queries, mean, std), cols), topK);
            Operand<? extends TNumber> tile = similarity(tf, referenceRows, cols);
            tileRowTop = top(tf, tile, topK);
            offDiagonalBegin = tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
            Operand<? extends TNumber> offDiagonal = tf.slice(tile, offDiagonalBegin, tf.constant(new int[] {-1, -1}));
            tileColTop = top(tf, transpose(tf, offDiagonal), topKCols);
            opened = Sessions.open(graph);
            session = opened;
            session.runner().addTarget(allocate).run();
            int chunk = (int) Math.max(1, Math.min(n, blockSize / Math.max(1, dim)));
            for (int r0 = 0; r0 < n; r0 += chunk) {
                int rn = Math.min(chunk, n - r0);
                try (TFloat32 r = Tensors.floatsAt(reference, r0 * dim, rn, dim);
                        TInt32 b = Tensors.ints(new int[] {r0, 0}, 2);
                        TInt32 e = Tensors.ints(new int[] {r0 + rn, dim}, 2)) {
                    session.runner().feed(referenceIn, r).feed(loadBegin, b).feed(loadEnd, e)
                            .addTarget(processed ? loadProcessed : loadRaw).run();
                }
            }
        } catch (RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            graph.close();
            throw e;
        }
    }

    /** {@code (x - mean) / std} when standardising, then for cosine {@code x / |x|} (a zero row stays zero). */
    private Operand<TFloat32> preprocess(Ops tf, Operand<TFloat32> x, float[] mean, float[] std) {
        Operand<TFloat32> out = x;
        if (mean != null) {
            out = tf.math.div(tf.math.sub(out, tf.constant(mean)), tf.constant(std));
        }
        if (metric == Metric.COSINE) {
            Operand<TFloat32> norm = tf.math.sqrt(tf.sum(tf.math.square(out), tf.constant(1), Sum.keepDims(true)));
            Operand<TFloat32> safe = tf.select(tf.math.equal(norm, tf.constant(0f)), tf.onesLike(norm), norm);
            out = tf.math.div(out, safe);
        }
        return out;
    }

    private static <T extends TNumber> TopK<T, TInt32> top(Ops tf, Operand<T> scores, Operand<TInt32> k) {
        return tf.nn.topK(scores, k, TInt32.class, TopK.sorted(true));
    }

    private static <T extends TNumber> Operand<T> transpose(Ops tf, Operand<T> x) {
        return tf.linalg.transpose(x, tf.constant(new int[] {1, 0}));
    }

    /**
     * Larger = nearer: the cosine similarity of unit rows, or minus the squared euclidean distance (float64).
     * {@code a} and {@code b} are preprocessed; for cosine they are normalised here.
     */
    private Operand<? extends TNumber> similarity(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
        if (metric == Metric.COSINE) {
            return tf.linalg.matMul(a, b, MatMul.transposeB(true));
        }
        Operand<TFloat64> a64 = tf.dtypes.cast(a, TFloat64.class);
        Operand<TFloat64> b64 = tf.dtypes.cast(b, TFloat64.class);
        Operand<TFloat64> an = tf.sum(tf.math.square(a64), tf.constant(1), Sum.keepDims(true));
        Operand<TFloat64> bn = tf.reshape(tf.sum(tf.math.square(b64), tf.constant(1)), tf.constant(new int[] {1, -1}));
        Operand<TFloat64> dot = tf.linalg.matMul(a64, b64, MatMul.transposeB(true));
        return tf.math.sub(tf.math.mul(tf.constant(2.0), dot), tf.math.add(an, bn));
    }

    int size() {
        return n;
    }

    int dimension() {
        return dim;
    }

    Metric metric() {
        return metric;
    }

    /** Rows of the reference chunk compared with {@code queryRows} queries per run. */
    private int chunkRows(int queryRows) {
        int tile = (int) Math.max(1, Math.min(n, (long) Math.sqrt((double) blockSize)));
        return (int) Math.max(1, Math.min(n, blockSize / Math.max(1, Math.min(queryRows, tile))));
    }

    /**
     * The {@code kk} nearest reference rows of each of {@code count} queries read from {@code data} (row-major,
     * starting at row {@code first}), nothing excluded.
     */
    Neighbours search(float[] data, int first, int count, int kk) {
        int want = Math.min(kk, n);
        Neighbours out = new Neighbours(count, want);
        int chunk = chunkRows(count);
        int block = (int) Math.max(1, Math.min(count, blockSize / chunk));
        boolean big = (long) count * n > PROGRESS_WORK;
        try (Progress progress = big ? context.progress("knn: scoring", count, "queries") : Progress.NONE) {
            for (int q0 = 0; q0 < count; q0 += block) {
                checkStop();
                searchBlock(out, data, first, q0, Math.min(block, count - q0), chunk, want);
                progress.step(Math.min(block, count - q0));
            }
        }
        return out;
    }

    private void searchBlock(Neighbours out, float[] data, int first, int q0, int qn, int chunk, int want) {
        try (TFloat32 q = Tensors.floatsAt(data, (first + q0) * dim, qn, dim)) {
            for (int c0 = 0; c0 < n; c0 += chunk) {
                int cn = Math.min(chunk, n - c0);
                int k = Math.min(want, cn);
                try (TInt32 cb = Tensors.ints(new int[] {c0, 0}, 2);
                        TInt32 cs = Tensors.ints(new int[] {cn, -1}, 2);
                        TInt32 kt = TInt32.scalarOf(k);
                        Result r = session.runner().feed(queries, q).feed(colBegin, cb).feed(colSize, cs)
                                .feed(topK, kt).fetch(queryTop.values()).fetch(queryTop.indices()).run()) {
                    merge(out, q0, qn, k, r, 0, c0);
                }
            }
        }
    }

    /**
     * The {@code kk} nearest reference rows of every reference row (itself included: callers drop it), from the
     * upper triangle of the symmetric reference-against-reference similarity matrix: row block {@code i} is compared
     * with every reference row from its own first row on, in one product; its top-k gives the block's candidates, and
     * the top-k of the transposed part right of the diagonal block gives the later rows their candidates from this
     * block. Only about {@code (t + 1) / 2t} of the full product is computed for {@code t} blocks.
     */
    Neighbours searchReference(int kk) {
        int want = Math.min(kk, n);
        Neighbours out = new Neighbours(n, want);
        int blocks = referenceBlocks();
        int rows = (n + blocks - 1) / blocks;
        try (Progress progress = context.progress("knn: reference neighbours", n, "rows")) {
            for (int r0 = 0; r0 < n; r0 += rows) {
                checkStop();
                selfBlock(out, r0, Math.min(rows, n - r0), want);
                progress.step(Math.min(rows, n - r0));
            }
        }
        return out;
    }

    private void selfBlock(Neighbours out, int r0, int rn, int want) {
        int cn = n - r0;
        int kRows = Math.min(want, cn);
        int kCols = Math.min(want, rn);
        boolean last = r0 + rn >= n;
        try (TInt32 rb = Tensors.ints(new int[] {r0, 0}, 2);
                TInt32 rs = Tensors.ints(new int[] {rn, -1}, 2);
                TInt32 cb = Tensors.ints(new int[] {r0, 0}, 2);
                TInt32 cs = Tensors.ints(new int[] {cn, -1}, 2);
                TInt32 ob = Tensors.ints(new int[] {0, rn}, 2);
                TInt32 kr = TInt32.scalarOf(kRows);
                TInt32 kc = TInt32.scalarOf(kCols)) {
            Session.Runner runner = session.runner().feed(rowBegin, rb).feed(rowSize, rs)
                    .feed(colBegin, cb).feed(colSize, cs).feed(topK, kr)
                    .fetch(tileRowTop.values()).fetch(tileRowTop.indices());
            if (!last) {
                runner.feed(offDiagonalBegin, ob).feed(topKCols, kc)
                        .fetch(tileColTop.values()).fetch(tileColTop.indices());
            }
            try (Result r = runner.run()) {
                merge(out, r0, rn, kRows, r, 0, r0);
                if (!last) {
                    // later rows get this block's rows before their own: index order is kept
                    merge(out, r0 + rn, cn - rn, kCols, r, 2, r0);
                }
            }
        }
    }

    /**
     * Row blocks of the reference self-search: enough that one block's product holds at most {@code blockSize}
     * similarities, and at least {@link #MIN_REFERENCE_BLOCKS} so the symmetry saves work.
     */
    private int referenceBlocks() {
        long perBlock = Math.max(1, blockSize / Math.max(1, n));
        int byMemory = (int) Math.min(n, (n + perBlock - 1) / perBlock);
        return Math.max(1, Math.min(n, Math.max(byMemory, MIN_REFERENCE_BLOCKS)));
    }

    private void checkStop() {
        if (context.stopRequested()) {
            throw new OddballException("knn: stopped by the user");
        }
    }

    /** Converts fetched top-k similarities (outputs {@code at}, {@code at + 1}) to distances and merges them. */
    private void merge(Neighbours out, int firstRow, int rows, int k, Result r, int at, int indexOffset) {
        double[] d = new double[rows * k];
        if (metric == Metric.COSINE) {
            float[] s = Tensors.toFloats(Tensors.get(r, at, TFloat32.class));
            for (int i = 0; i < s.length; i++) {
                float v = 1f - s[i];
                d[i] = v < 0f ? 0f : v > 2f ? 2f : v;
            }
        } else {
            double[] s = Tensors.toDoubles(Tensors.get(r, at, TFloat64.class));
            for (int i = 0; i < s.length; i++) {
                d[i] = Math.sqrt(Math.max(-s[i], 0.0));
            }
        }
        int[] idx = Tensors.toInts(Tensors.get(r, at + 1, TInt32.class));
        for (int row = 0; row < rows; row++) {
            out.offer(firstRow + row, d, idx, row * k, k, indexOffset);
        }
    }

    /** The preprocessed reference rows, as searched (for saving). */
    float[] referenceRows() {
        float[] out = new float[Math.multiplyExact(n, dim)];
        int chunk = (int) Math.max(1, Math.min(n, blockSize / Math.max(1, dim)));
        for (int r0 = 0; r0 < n; r0 += chunk) {
            int rn = Math.min(chunk, n - r0);
            try (TInt32 rb = Tensors.ints(new int[] {r0, 0}, 2);
                    TInt32 rs = Tensors.ints(new int[] {rn, -1}, 2);
                    Result r = session.runner().feed(rowBegin, rb).feed(rowSize, rs).fetch(referenceRows).run()) {
                float[] part = Tensors.toFloats(Tensors.get(r, 0, TFloat32.class));
                System.arraycopy(part, 0, out, r0 * dim, part.length);
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            session.close();
        } finally {
            graph.close();
        }
    }

    @Override
    public String toString() {
        return "NeighbourSearch[" + metric.yamlName() + ", " + n + "x" + dim + ", blockSize " + blockSize + "]";
    }
}
