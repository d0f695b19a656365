package io.oddball.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.tf.testing.Floats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Backpressure and life cycle with the (slow) shipped LLR: a full queue answers 503 with Retry-After while the
 * requests let in are scored right; a request past its timeout gets 503; shutdown answers the requests in flight and
 * then closes the ports; readiness waits for loading.
 */
class OverloadAndShutdownTest {
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static OddballServer llrServer(ServerSettings settings) {
        TestModels m = TestModels.get();
        OddballServer s = OddballServer.start(m.oddball, TestModels.CTX,
                List.of(new ModelSpec("llr", TestModels.LLR)), settings);
        assertThat(s.awaitLoaded()).isEmpty();
        return s;
    }

    CompletableFuture<HttpResponse<byte[]>> infer(OddballServer s, float[] rows) throws Exception {
        byte[] body = ServerTest.JSON.writeValueAsBytes(ServerTest.request(rows, "UINT8"));
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort()
                + "/v2/models/llr/infer")).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aFullQueueAnswers503WithRetryAfterAndTheOthersAreScoredRight() throws Exception {
        float[] rows = TestModels.images(TestModels.FASHION, 0, 4);
        float[] expected;
        try (Pipeline llr = TestModels.get().oddball.load(TestModels.LLR, TestModels.CTX)) {
            expected = llr.score(TestModels.batch(rows)).instanceScores();
        }
        try (OddballServer s = llrServer(ServerSettings.ephemeral().withBatching(4, 0, 1))) {
            List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                all.add(infer(s, rows));
            }
            int ok = 0;
            int refused = 0;
            for (var f : all) {
                HttpResponse<byte[]> r = f.get();
                JsonNode json = ServerTest.JSON.readTree(r.body());
                if (r.statusCode() == 200) {
                    ok++;
                    Floats.assertClose("llr", ServerTest.scores(json), expected);
                } else {
                    assertThat(r.statusCode()).as(json.toString()).isEqualTo(503);
                    assertThat(r.headers().firstValue("Retry-After")).contains("1");
                    assertThat(json.get("error").asText()).contains("request queue", "full", "--max-queue");
                    refused++;
                }
            }
            assertThat(ok).isPositive();
            assertThat(refused).isPositive();
        }
    }

    @Test
    void aRequestPastItsTimeoutGets503() throws Exception {
        float[] rows = TestModels.images(TestModels.FASHION, 0, 64);
        try (OddballServer s = llrServer(ServerSettings.ephemeral().withBatching(64, 0, 8).withLimits(1 << 22, 1))) {
            HttpResponse<byte[]> r = infer(s, rows).get();
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(ServerTest.JSON.readTree(r.body()).get("error").asText()).contains("timed out");
        }
    }

    @Test
    void shutdownAnswersTheRequestsInFlightThenClosesThePorts() throws Exception {
        float[] rows = TestModels.images(TestModels.FASHION, 0, 8);
        OddballServer s = llrServer(ServerSettings.ephemeral().withBatching(8, 0, 16));
        int port = s.httpPort();
        List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.add(infer(s, rows));
        }
        long end = System.nanoTime() + 10_000_000_000L;
        while (s.service().inFlight() < 4 && System.nanoTime() < end) {
            Thread.sleep(2);
        }
        assertThat(s.service().inFlight()).isEqualTo(4);
        s.close();
        for (var f : all) {
            assertThat(f.get().statusCode()).isEqualTo(200);
        }
        assertThat(s.service().ready()).isFalse();
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v2/health/live")).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }
}
