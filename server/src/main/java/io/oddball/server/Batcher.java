package io.oddball.server;

import io.oddball.api.data.Batch;
import io.oddball.api.data.Shape;
import io.oddball.api.result.Scores;
import io.oddball.runtime.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching for one model: requests wait in a bounded queue; one worker thread takes the first, adds those
 * queued behind it (waiting up to {@code maxDelay} for more) until {@code maxBatchSize} rows, scores them in one
 * pipeline call and hands every request exactly its own rows' scores. A full queue refuses at once (503), so memory
 * stays bounded. A request that timed out while queued is skipped. When a merged batch fails (one request's data
 * the preprocessing rejects), its requests are scored one by one so that only the faulty one gets the error.
 */
final class Batcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);

    /** One request's rows and where its scores go. */
    private record Job(Batch rows, CompletableFuture<Scores> result) {
    }

    private final String model;
    private final Pipeline pipeline;
    private final int maxBatchSize;
    private final long maxDelayNanos;
    private final ArrayBlockingQueue<Job> queue;
    private final ServerMetrics metrics;
    private final Thread worker;
    private volatile boolean closed;
    private Job carry;
    /** Requests merged into the last batch: more than one means requests arrive together. */
    private int lastBatchJobs;

    Batcher(String model, Pipeline pipeline, ServerSettings settings, ServerMetrics metrics) {
        this.model = model;
        this.pipeline = pipeline;
        this.maxBatchSize = settings.maxBatchSize();
        this.maxDelayNanos = TimeUnit.MICROSECONDS.toNanos(Math.round(settings.maxDelayMs() * 1000));
        this.queue = new ArrayBlockingQueue<>(settings.maxQueue());
        this.metrics = metrics;
        this.worker = new Thread(this::run, "oddball-batcher-" + model);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /**
     * Queues {@code rows} (already checked: the pipeline's input shape, finite values); the future completes with
     * their scores.
     *
     * @throws InferenceException 503 when the queue is full or the batcher is closed
     */
    CompletableFuture<Scores> submit(Batch rows) {
        if (closed) {
            throw InferenceException.unavailable("model '" + model + "' is shutting down", 1);
        }
        Job job = new Job(rows, new CompletableFuture<>());
        if (!queue.offer(job)) {
            throw InferenceException.unavailable("model '" + model + "': expected room in its request queue, found "
                    + "it full (" + queue.size() + " requests waiting, --max-queue); retry later", 1);
        }
        metrics.queueDepth(model, queue.size());
        return job.result();
    }

    int queued() {
        return queue.size();
    }

    private void run() {
        while (!closed || !queue.isEmpty() || carry != null) {
            try {
                List<Job> jobs = take();
                if (!jobs.isEmpty()) {
                    score(jobs);
                }
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } catch (RuntimeException | Error e) {
                LOG.error("model '{}': the batching thread failed", model, e);
            }
        }
        Job j;
        while ((j = queue.poll()) != null) {
            j.result().completeExceptionally(InferenceException.unavailable("model '" + model + "' stopped", 1));
        }
    }

    /** The next batch: the first live job, then whatever fits within {@code maxBatchSize} rows and the delay. */
    private List<Job> take() throws InterruptedException {
        Job first = carry != null ? carry : queue.poll(100, TimeUnit.MILLISECONDS);
        carry = null;
        List<Job> jobs = new ArrayList<>();
        if (first == null || first.result().isDone()) {
            return jobs;
        }
        jobs.add(first);
        int rows = first.rows().size();
        long deadline = System.nanoTime() + maxDelayNanos;
        while (rows < maxBatchSize) {
            Job next = queue.poll();
            if (next == null) {
                long wait = deadline - System.nanoTime();
                // wait for company only when requests have been arriving together (the last batch merged some): a
                // lone client's request runs at once instead of paying the delay every time
                if (wait <= 0 || closed || lastBatchJobs < 2) {
                    break;
                }
                next = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (next == null) {
                    break;
                }
            }
            if (next.result().isDone()) {
                continue;
            }
            if (rows + next.rows().size() > maxBatchSize) {
                carry = next;
                break;
            }
            jobs.add(next);
            rows += next.rows().size();
        }
        metrics.queueDepth(model, queue.size());
        lastBatchJobs = jobs.size();
        return jobs;
    }

    private void score(List<Job> jobs) {
        if (jobs.size() == 1) {
            Job j = jobs.get(0);
            metrics.batchSize(model, j.rows().size());
            try {
                j.result().complete(pipeline.score(j.rows()));
            } catch (RuntimeException e) {
                j.result().completeExceptionally(e);
            }
            return;
        }
        Shape instance = jobs.get(0).rows().instanceShape();
        int f = (int) instance.size();
        int total = 0;
        for (Job j : jobs) {
            total += j.rows().size();
        }
        float[] data = new float[total * f];
        int at = 0;
        for (Job j : jobs) {
            j.rows().data().get(data, at * f, j.rows().size() * f);
            at += j.rows().size();
        }
        metrics.batchSize(model, total);
        Scores all;
        try {
            all = pipeline.score(Batch.wrap(data, instance.prepend(total), null));
        } catch (RuntimeException e) {
            LOG.debug("model '{}': a batch of {} requests failed ({}); scoring them one by one", model, jobs.size(),
                    e.toString());
            for (Job j : jobs) {
                score(List.of(j));
            }
            return;
        }
        float[] inst = all.instanceScores();
        float[] feat = all.hasFeatureScores() ? all.featureScores() : null;
        at = 0;
        for (Job j : jobs) {
            j.result().complete(slice(inst, feat, all.featureShape(), at, j.rows().size()));
            at += j.rows().size();
        }
    }

    /** Rows {@code from} .. {@code from + n} of the instance and (when not null) feature scores. */
    static Scores slice(float[] inst, float[] feat, Shape featureShape, int from, int n) {
        float[] i = Arrays.copyOfRange(inst, from, from + n);
        if (feat == null) {
            return Scores.ofInstances(i);
        }
        int f = (int) featureShape.size();
        return Scores.ofFeatures(n, featureShape, Arrays.copyOfRange(feat, from * f, (from + n) * f), i);
    }

    /** Stops taking requests; those queued are still scored, then the worker ends (waits up to {@code millis}). */
    @Override
    public void close() {
        closed = true;
        try {
            worker.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
