package io.oddball.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.runtime.progress.StopSignal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oddball serve} in-process: it says where it listens, reports a detector that fails to load while serving
 * the other, answers what {@code oddball predict} writes for the same rows, and stops cleanly on Ctrl-C.
 */
class ServeCliTest {
    @TempDir
    Path tmp;

    /** A writer whose text can be read while the command still runs. */
    static final class Live extends StringWriter {
        synchronized String text() {
            return toString();
        }
    }

    @Test
    void servesTheShippedLlrAsPredictScoresIt() throws Exception {
        Path csv = tmp.resolve("p.csv");
        CliTest.Run predict = CliTest.run("predict", ShippedLlrTest.MODEL.toString(), "--data",
                ReportCliTest.FASHION.toString(), "-O", "limit=2", "--out", csv.toString());
        assertThat(predict.code()).as(predict.err()).isZero();
        List<String> lines = Files.readAllLines(csv);
        double[] expected = {Double.parseDouble(lines.get(1).split(",")[1]),
            Double.parseDouble(lines.get(2).split(",")[1])};

        Live out = new Live();
        Live err = new Live();
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> Main.run(new PrintWriter(out, true),
                new PrintWriter(err, true), "serve", "llr=" + ShippedLlrTest.MODEL, "gone=" + tmp.resolve("gone"),
                "--host", "127.0.0.1", "--http-port", "0", "--grpc-port", "0", "--metrics-port", "0",
                "--access-log"));
        try {
            long end = System.nanoTime() + 60_000_000_000L;
            while (!out.text().contains("ready") && !code.isDone() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(out.text()).as(err.text()).contains("ready, serving [llr]");
            assertThat(err.text()).contains("model 'gone'", "failed to load");
            Matcher m = Pattern.compile("REST on http://127\\.0\\.0\\.1:(\\d+)/v2; gRPC on 127\\.0\\.0\\.1:\\d+; "
                    + "metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(out.text());
            assertThat(m.find()).as(out.text()).isTrue();
            String base = "http://127.0.0.1:" + m.group(1);
            HttpClient http = HttpClient.newHttpClient();
            float[] rows = io.oddball.runtime.Oddball.create(List.of()).openData(ReportCliTest.FASHION, null,
                    java.util.Map.of("limit", 2)).batches(2).next().toArray();
            StringBuilder data = new StringBuilder();
            for (float v : rows) {
                data.append(data.length() == 0 ? "" : ",").append((int) v);
            }
            String body = "{\"id\": \"a\", \"inputs\": [{\"name\": \"x\", \"shape\": [2, 28, 28, 1], \"datatype\": "
                    + "\"UINT8\", \"data\": [" + data + "]}]}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/models/llr/infer"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Matcher s = Pattern.compile("\"instance_score\".*?\"data\":\\[([^,\\]]+),([^\\]]+)\\]").matcher(r.body());
            assertThat(s.find()).as(r.body()).isTrue();
            // predict writes floats rounded for CSV; the server the same floats as FP64
            assertThat(Double.parseDouble(s.group(1))).isCloseTo(expected[0], org.assertj.core.api.Assertions
                    .within(1e-4 * Math.abs(expected[0])));
            assertThat(Double.parseDouble(s.group(2))).isCloseTo(expected[1], org.assertj.core.api.Assertions
                    .within(1e-4 * Math.abs(expected[1])));
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + m.group(2) + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("oddball_requests_total{model=\"llr\",protocol=\"rest\",status=\"200\"}");
        } finally {
            StopSignal.request();
            try {
                assertThat(code.get()).as(err.text()).isZero();
            } finally {
                StopSignal.reset();
            }
        }
        assertThat(out.text()).contains("oddball serve: stopped");
    }

    @Test
    void badArgumentsAreOneLineAndExit2() {
        CliTest.Run r = CliTest.run("serve", "a=" + tmp, "a=" + tmp, "--http-port", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("model 'a': expected one folder per name");
        CliTest.Run q = CliTest.run("serve", tmp.toString(), "--max-queue", "0");
        assertThat(q.code()).isEqualTo(2);
        assertThat(q.err()).contains("--max-queue: expected a whole number >= 1, found 0");
    }
}
