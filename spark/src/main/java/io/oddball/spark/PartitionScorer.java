package io.oddball.spark;

import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.api.error.DataException;
import io.oddball.api.error.OddballException;
import io.oddball.api.result.Scores;
import io.oddball.runtime.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition: rows are read in order, {@code batchSize} at a time, converted by {@link RowInput}, scored by
 * the executor's cached detector and emitted with the score, the outlier flag, the feature scores and the error
 * columns appended. Batches are cut at the same rows of the partition every time, so a retried task scores its rows
 * as the first attempt did. A row that cannot be scored gets nulls and a message, or fails the task naming the row.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final DetectorCache.Source source;
    private final RowInput input;
    private final int batchSize;
    private final boolean failOnError;
    private final boolean featureScores;
    private final boolean errorColumn;

    PartitionScorer(DetectorCache.Source source, RowInput input, int batchSize, boolean failOnError,
            boolean featureScores, boolean errorColumn) {
        this.source = source;
        this.input = input;
        this.batchSize = batchSize;
        this.failOnError = failOnError;
        this.featureScores = featureScores;
        this.errorColumn = errorColumn;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            // an empty partition loads nothing
            return rows;
        }
        Pipeline pipeline = DetectorCache.get(source);
        TaskContext task = TaskContext.get();
        int partition = task == null ? 0 : task.partitionId();
        return new Iterator<>() {
            private final List<Row> out = new ArrayList<>();
            private int next;
            private long rowIndex;

            @Override
            public boolean hasNext() {
                if (next < out.size()) {
                    return true;
                }
                out.clear();
                next = 0;
                if (!rows.hasNext()) {
                    return false;
                }
                List<Row> in = new ArrayList<>(batchSize);
                while (in.size() < batchSize && rows.hasNext()) {
                    in.add(rows.next());
                }
                scoreBatch(pipeline, in, partition, rowIndex, out);
                rowIndex += in.size();
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return out.get(next++);
            }
        };
    }

    private void scoreBatch(Pipeline pipeline, List<Row> rows, int partition, long first, List<Row> out) {
        Shape shape = pipeline.inputShape();
        int n = rows.size();
        float[][] x = new float[n][];
        String[] errors = new String[n];
        int good = 0;
        for (int i = 0; i < n; i++) {
            try {
                x[i] = input.read(rows.get(i), shape);
                good++;
            } catch (DataException e) {
                errors[i] = e.getMessage();
                fail(rows.get(i), partition, first + i, e);
            }
        }
        float[] scores = new float[n];
        float[][] features = featureScores ? new float[n][] : null;
        if (good > 0) {
            try {
                score(pipeline, x, shape, good, scores, features);
            } catch (OddballException e) {
                // find the rows the detector refuses: one at a time
                for (int i = 0; i < n; i++) {
                    if (x[i] == null) {
                        continue;
                    }
                    try {
                        float[][] one = {x[i]};
                        float[] s = new float[1];
                        float[][] f = featureScores ? new float[1][] : null;
                        score(pipeline, one, shape, 1, s, f);
                        scores[i] = s[0];
                        if (f != null) {
                            features[i] = f[0];
                        }
                    } catch (OddballException e1) {
                        x[i] = null;
                        errors[i] = e1.getMessage();
                        fail(rows.get(i), partition, first + i, e1);
                    }
                }
            }
        }
        double threshold = pipeline.threshold();
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            int extra = 2 + (featureScores ? 1 : 0) + (errorColumn ? 1 : 0);
            Object[] v = new Object[r.length() + extra];
            for (int j = 0; j < r.length(); j++) {
                v[j] = r.get(j);
            }
            int k = r.length();
            boolean ok = x[i] != null;
            v[k++] = ok ? (double) scores[i] : null;
            v[k++] = ok ? scores[i] > threshold : null;
            if (featureScores) {
                v[k++] = ok && features[i] != null ? boxed(features[i]) : null;
            }
            if (errorColumn) {
                v[k] = ok ? null : where(r, partition, first + i) + ": " + errors[i];
            }
            out.add(RowFactory.create(v));
        }
    }

    /** Scores the non-null rows of {@code x} (there are {@code good}) as one batch, in place by row. */
    private static void score(Pipeline pipeline, float[][] x, Shape shape, int good, float[] scores,
            float[][] features) {
        int f = -1;
        float[] data = null;
        int k = 0;
        for (float[] row : x) {
            if (row == null) {
                continue;
            }
            if (data == null) {
                f = row.length;
                data = new float[good * f];
            }
            System.arraycopy(row, 0, data, k * f, f);
            k++;
        }
        Shape batchShape = shape != null ? shape.prepend(good) : Shape.of(good, f);
        Scores s = pipeline.score(Batch.wrap(data, batchShape, null));
        float[] is = s.instanceScores();
        float[] fs = features != null && s.hasFeatureScores() ? s.featureScores() : null;
        int per = fs == null ? 0 : fs.length / good;
        k = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null) {
                continue;
            }
            scores[i] = is[k];
            if (fs != null) {
                float[] row = new float[per];
                System.arraycopy(fs, k * per, row, 0, per);
                features[i] = row;
            }
            k++;
        }
    }

    private static Float[] boxed(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return b;
    }

    /** {@code row N of partition P}, with the row's file or image origin where it has one. */
    private String where(Row row, int partition, long index) {
        String src = input.source(row);
        return "row " + index + " of partition " + partition + (src == null ? "" : " (" + src + ")");
    }

    private void fail(Row row, int partition, long index, OddballException e) {
        if (failOnError) {
            throw new DataException("OddballModel: " + where(row, partition, index) + ": " + e.getMessage()
                    + " (failOnError is set; unset it to give such rows a null score and a message in errorCol)", e);
        }
    }
}
