package io.oddball.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.tf.testing.Floats;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real server on loopback ports serving a KNN and an AE fitted in the test and the shipped LLR, asked by
 * {@link HttpClient}: every REST endpoint, every error status, the binary extension, PNG inputs, and batching
 * correctness under concurrency (each response equal to scoring the same rows directly).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerTest {
    static final ObjectMapper JSON = new ObjectMapper();

    TestModels models;
    OddballServer server;
    HttpClient http;
    String base;
    Pipeline knn;
    Pipeline ae;
    Pipeline llr;

    @BeforeAll
    void start() {
        models = TestModels.get();
        server = OddballServer.start(models.oddball, TestModels.CTX, List.of(new ModelSpec("knn", models.knn),
                new ModelSpec("ae", models.ae), new ModelSpec("llr", TestModels.LLR),
                new ModelSpec("broken", models.knn.resolveSibling("no-such-detector"))),
                ServerSettings.ephemeral().withBatching(16, 2, 64).withLimits(1 << 20, 30_000));
        assertThat(server.awaitLoaded()).containsOnlyKeys("broken");
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        base = "http://127.0.0.1:" + server.httpPort();
        knn = models.oddball.load(models.knn, TestModels.CTX);
        ae = models.oddball.load(models.ae, TestModels.CTX);
        llr = models.oddball.load(TestModels.LLR, TestModels.CTX);
    }

    @AfterAll
    void stop() {
        server.close();
        knn.close();
        ae.close();
        llr.close();
    }

    record Reply(int status, JsonNode json, HttpResponse<byte[]> raw) {
    }

    Reply get(String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), JSON.readTree(r.body()), r);
    }

    Reply post(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        String len = r.headers().firstValue(JsonCodec.HEADER_LENGTH).orElse(null);
        byte[] json = len == null ? r.body() : java.util.Arrays.copyOf(r.body(), Integer.parseInt(len));
        return new Reply(r.statusCode(), JSON.readTree(json), r);
    }

    Reply post(String path, JsonNode body) throws Exception {
        return post(path, JSON.writeValueAsBytes(body));
    }

    /** A request of {@code pixels} as {@code n×28×28×1} in {@code datatype}, flat data. */
    static ObjectNode request(float[] pixels, String datatype) {
        ObjectNode r = JSON.createObjectNode();
        ObjectNode in = r.putArray("inputs").addObject().put("name", "input-0").put("datatype", datatype);
        in.putArray("shape").add(pixels.length / 784).add(28).add(28).add(1);
        ArrayNode data = in.putArray("data");
        for (float v : pixels) {
            if (datatype.startsWith("FP")) {
                data.add(v);
            } else {
                data.add((int) v);
            }
        }
        return r;
    }

    static float[] scores(JsonNode response) {
        for (JsonNode o : response.get("outputs")) {
            if (o.get("name").asText().equals("instance_score")) {
                assertThat(o.get("datatype").asText()).isEqualTo("FP64");
                float[] s = new float[o.get("data").size()];
                for (int i = 0; i < s.length; i++) {
                    s[i] = (float) o.get("data").get(i).asDouble();
                }
                return s;
            }
        }
        throw new AssertionError("no instance_score in " + response);
    }

    static JsonNode output(JsonNode response, String name) {
        for (JsonNode o : response.get("outputs")) {
            if (o.get("name").asText().equals(name)) {
                return o;
            }
        }
        return null;
    }

    @Test
    void healthAndMetadataEndpointsAnswerAsTheProtocolSays() throws Exception {
        assertThat(get("/v2/health/live").status()).isEqualTo(200);
        Reply ready = get("/v2/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("ready").asBoolean()).isTrue();
        Reply meta = get("/v2");
        assertThat(meta.json().get("name").asText()).isEqualTo("oddball");
        assertThat(meta.json().get("extensions").toString()).contains("binary_tensor_data");
        Reply model = get("/v2/models/knn");
        assertThat(model.status()).isEqualTo(200);
        assertThat(model.json().get("platform").asText()).isEqualTo("oddball_knn");
        assertThat(model.json().get("inputs").get(0).get("shape").toString()).isEqualTo("[-1,28,28,1]");
        assertThat(model.json().get("outputs").toString()).contains("instance_score", "is_outlier");
        assertThat(get("/v2/models/knn/versions/1").status()).isEqualTo(200);
        assertThat(get("/v2/models/ae/ready").json().get("ready").asBoolean()).isTrue();
        assertThat(get("/v2/models/knn/versions/1/ready").status()).isEqualTo(200);

        Reply unknown = get("/v2/models/nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).contains("model 'nope'", "[knn, ae, llr, broken]");
        assertThat(get("/v2/models/knn/versions/7").status()).isEqualTo(404);
        assertThat(get("/v2/nothing").status()).isEqualTo(404);
        Reply broken = get("/v2/models/broken");
        assertThat(broken.status()).isEqualTo(503);
        assertThat(broken.json().get("error").asText()).contains("failed to load", "no-such-detector");
        assertThat(get("/v2/models/broken/ready").status()).isEqualTo(503);
    }

    @Test
    void knnScoresEqualScoringTheSameRowsDirectlyWhateverTheDatatypeOrNesting() throws Exception {
        float[] rows = TestModels.images(TestModels.FASHION, 1000, 5);
        float[] expected = knn.score(TestModels.batch(rows)).instanceScores();
        for (String type : List.of("UINT8", "INT32", "UINT64", "FP16", "FP32", "FP64")) {
            ObjectNode req = request(rows, type).put("id", "r-" + type);
            Reply r = post("/v2/models/knn/infer", req);
            assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
            assertThat(r.json().get("id").asText()).isEqualTo("r-" + type);
            assertThat(r.json().get("model_name").asText()).isEqualTo("knn");
            Floats.assertClose(type, scores(r.json()), expected);
            JsonNode flags = output(r.json(), "is_outlier");
            assertThat(flags.get("datatype").asText()).isEqualTo("BOOL");
            for (int i = 0; i < expected.length; i++) {
                assertThat(flags.get("data").get(i).asBoolean()).isEqualTo(expected[i] > knn.threshold());
            }
        }
        // nested data, HxW without the channel, a version in the path
        ObjectNode nested = JSON.createObjectNode();
        ObjectNode in = nested.putArray("inputs").addObject().put("name", "x").put("datatype", "UINT8");
        in.putArray("shape").add(5).add(28).add(28);
        ArrayNode data = in.putArray("data");
        for (int i = 0; i < 5; i++) {
            ArrayNode img = data.addArray();
            for (int y = 0; y < 28; y++) {
                ArrayNode row = img.addArray();
                for (int x = 0; x < 28; x++) {
                    row.add((int) rows[i * 784 + y * 28 + x]);
                }
            }
        }
        Reply r = post("/v2/models/knn/versions/1/infer", nested);
        assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
        Floats.assertClose("nested", scores(r.json()), expected);
        // BOOL inputs are numbers 0/1 to the detector
        ObjectNode bools = JSON.createObjectNode();
        ObjectNode b = bools.putArray("inputs").addObject().put("name", "x").put("datatype", "BOOL");
        b.putArray("shape").add(1).add(28).add(28).add(1);
        ArrayNode bd = b.putArray("data");
        for (int i = 0; i < 784; i++) {
            bd.add(rows[i] > 127);
        }
        assertThat(post("/v2/models/knn/infer", bools).status()).isEqualTo(200);
    }

    @Test
    void featureScoresComeWhenAskedInOutputsOrByAParameter() throws Exception {
        float[] rows = TestModels.images(TestModels.MNIST, 1500, 3);
        var expected = ae.score(TestModels.batch(rows));
        ObjectNode req = request(rows, "UINT8");
        req.putObject("parameters").put("return_feature_score", true);
        Reply r = post("/v2/models/ae/infer", req);
        assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
        JsonNode fs = output(r.json(), "feature_score");
        assertThat(fs.get("shape").toString()).isEqualTo("[3,28,28,1]");
        float[] got = new float[fs.get("data").size()];
        for (int i = 0; i < got.length; i++) {
            got[i] = (float) fs.get("data").get(i).asDouble();
        }
        Floats.assertClose("feature scores", got, expected.featureScores());
        Floats.assertClose("instance scores", scores(r.json()), expected.instanceScores());

        ObjectNode only = request(rows, "UINT8");
        only.putArray("outputs").addObject().put("name", "feature_score");
        Reply o = post("/v2/models/ae/infer", only);
        assertThat(o.json().get("outputs").size()).isEqualTo(1);
        assertThat(output(o.json(), "feature_score")).isNotNull();

        ObjectNode knnFs = request(rows, "UINT8");
        knnFs.putArray("outputs").addObject().put("name", "feature_score");
        Reply k = post("/v2/models/knn/infer", knnFs);
        assertThat(k.status()).isEqualTo(400);
        assertThat(k.json().get("error").asText()).contains("knn", "instance scores only");
    }

    @Test
    void theShippedLlrScoresAsDirectly() throws Exception {
        float[] rows = TestModels.images(TestModels.FASHION, 0, 2);
        Reply r = post("/v2/models/llr/infer", request(rows, "UINT8"));
        assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
        Floats.assertClose("llr", scores(r.json()), llr.score(TestModels.batch(rows)).instanceScores());
    }

    @Test
    void badRequestsGet400WithOneClearMessageAndTheServerGoesOn() throws Exception {
        float[] rows = TestModels.images(TestModels.FASHION, 0, 1);
        Map<String, byte[]> cases = new java.util.LinkedHashMap<>();
        cases.put("malformed JSON", "{\"inputs\": [".getBytes(StandardCharsets.UTF_8));
        cases.put("expected JSON", "not json".getBytes(StandardCharsets.UTF_8));
        cases.put("an array of input tensors", "{}".getBytes(StandardCharsets.UTF_8));
        ObjectNode shape = request(rows, "UINT8");
        ((ArrayNode) shape.get("inputs").get(0).get("shape")).removeAll().add(1).add(14).add(56).add(1);
        cases.put("expected shape [N, 28, 28, 1]", JSON.writeValueAsBytes(shape));
        ObjectNode count = request(rows, "UINT8");
        ((ArrayNode) count.get("inputs").get(0).get("shape")).set(0, 2);
        cases.put("expected 1568 values", JSON.writeValueAsBytes(count));
        ObjectNode range = request(rows, "UINT8");
        ((ArrayNode) range.get("inputs").get(0).get("data")).set(3, 300);
        cases.put("expected a whole number of UINT8 (0..255), found 300", JSON.writeValueAsBytes(range));
        ObjectNode type = request(rows, "UINT8");
        ((ObjectNode) type.get("inputs").get(0)).put("datatype", "FLOAT");
        cases.put("expected a datatype of", JSON.writeValueAsBytes(type));
        ObjectNode text = request(rows, "FP32");
        ((ArrayNode) text.get("inputs").get(0).get("data")).set(5, "NaN");
        cases.put("expected a number (datatype FP32), found text \"NaN\"", JSON.writeValueAsBytes(text));
        ObjectNode outs = request(rows, "FP32");
        outs.putArray("outputs").addObject().put("name", "score");
        cases.put("found 'score'", JSON.writeValueAsBytes(outs));
        cases.put("expected at most 1048576 bytes", new byte[(1 << 20) + 10]);
        for (var c : cases.entrySet()) {
            Reply r = post("/v2/models/knn/infer", c.getValue());
            assertThat(r.status()).as(c.getKey() + ": " + r.json()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).as(c.getKey()).contains(c.getKey()).doesNotContain("\n");
        }
        // NaN in binary FP32 data
        ByteBuffer nan = ByteBuffer.allocate(784 * 4).order(ByteOrder.LITTLE_ENDIAN);
        nan.putFloat(17 * 4, Float.NaN);
        Reply r = binary("knn", "FP32", 1, nan.array());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).contains("value 17: expected a finite number, found NaN");
        assertThat(post("/v2/models/nope/infer", request(rows, "UINT8")).status()).isEqualTo(404);
        assertThat(post("/v2/models/broken/infer", request(rows, "UINT8")).status()).isEqualTo(503);
        assertThat(post("/v2/models/knn/infer", request(rows, "UINT8")).status()).isEqualTo(200);
    }

    /** One input of {@code n×28×28×1} sent as binary data; every output asked binary. */
    Reply binary(String model, String type, int n, byte[] raw) throws Exception {
        ObjectNode req = JSON.createObjectNode();
        ObjectNode in = req.putArray("inputs").addObject().put("name", "x").put("datatype", type);
        in.putArray("shape").add(n).add(28).add(28).add(1);
        in.putObject("parameters").put("binary_data_size", raw.length);
        req.putObject("parameters").put("binary_data_output", true);
        byte[] json = JSON.writeValueAsBytes(req);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(json);
        body.writeBytes(raw);
        return post("/v2/models/" + model + "/infer", body.toByteArray(), JsonCodec.HEADER_LENGTH,
                Integer.toString(json.length), "Content-Type", "application/octet-stream");
    }

    @Test
    void theBinaryExtensionWorksBothWays() throws Exception {
        float[] rows = TestModels.images(TestModels.FASHION, 1000, 4);
        byte[] raw = new byte[rows.length];
        for (int i = 0; i < rows.length; i++) {
            raw[i] = (byte) rows[i];
        }
        Reply r = binary("knn", "UINT8", 4, raw);
        assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Type").orElse("")).contains("octet-stream");
        JsonNode score = output(r.json(), "instance_score");
        JsonNode flags = output(r.json(), "is_outlier");
        assertThat(score.get("parameters").get("binary_data_size").asInt()).isEqualTo(32);
        assertThat(flags.get("parameters").get("binary_data_size").asInt()).isEqualTo(4);
        int at = Integer.parseInt(r.raw().headers().firstValue(JsonCodec.HEADER_LENGTH).orElseThrow());
        ByteBuffer b = ByteBuffer.wrap(r.raw().body(), at, 36).order(ByteOrder.LITTLE_ENDIAN);
        float[] got = new float[4];
        for (int i = 0; i < 4; i++) {
            got[i] = (float) b.getDouble();
        }
        float[] expected = knn.score(TestModels.batch(rows)).instanceScores();
        Floats.assertClose("binary", got, expected);
        for (int i = 0; i < 4; i++) {
            assertThat(b.get() != 0).isEqualTo(expected[i] > knn.threshold());
        }
        // one output binary, the other JSON
        ObjectNode req = request(rows, "UINT8");
        req.putArray("outputs").addObject().put("name", "instance_score").putObject("parameters")
                .put("binary_data", true);
        ((ArrayNode) req.get("outputs")).addObject().put("name", "is_outlier");
        Reply mixed = post("/v2/models/knn/infer", req);
        assertThat(output(mixed.json(), "is_outlier").get("data").size()).isEqualTo(4);
        assertThat(output(mixed.json(), "instance_score").has("data")).isFalse();
    }

    @Test
    void pngAndJpegFilesAreScoredAsTheirPixels() throws Exception {
        float[] rows = TestModels.images(TestModels.MNIST, 1600, 2);
        ObjectNode req = JSON.createObjectNode();
        ObjectNode in = req.putArray("inputs").addObject().put("name", "image").put("datatype", "BYTES");
        in.putArray("shape").add(2);
        ArrayNode data = in.putArray("data");
        for (int i = 0; i < 2; i++) {
            data.add(java.util.Base64.getEncoder().encodeToString(png(rows, i)));
        }
        Reply r = post("/v2/models/ae/infer", req);
        assertThat(r.status()).as(r.json().toString()).isEqualTo(200);
        Floats.assertClose("png", scores(r.json()), ae.score(TestModels.batch(rows)).instanceScores());
        // an image 2x the size is resized to 28x28
        ObjectNode big = JSON.createObjectNode();
        ObjectNode bi = big.putArray("inputs").addObject().put("name", "image").put("datatype", "BYTES");
        bi.putArray("shape").add(1);
        var img = new java.awt.image.BufferedImage(56, 56, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream jpg = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "jpeg", jpg);
        bi.putArray("data").add(java.util.Base64.getEncoder().encodeToString(jpg.toByteArray()));
        assertThat(post("/v2/models/ae/infer", big).status()).isEqualTo(200);
        // not an image; and BYTES for a detector that does not take images is refused
        ((ArrayNode) bi.get("data")).set(0, java.util.Base64.getEncoder().encodeToString(new byte[] {1, 2, 3}));
        Reply bad = post("/v2/models/ae/infer", big);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("image 0", "expected a PNG or JPEG image");
    }

    static byte[] png(float[] rows, int i) throws Exception {
        var img = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                img.getRaster().setSample(x, y, 0, (int) rows[i * 784 + y * 28 + x]);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void concurrentClientsEachGetExactlyTheirOwnRows() throws Exception {
        int clients = 24;
        int perClient = 4;
        float[] pool = TestModels.images(TestModels.FASHION, 1000, 64);
        float[] expected = knn.score(TestModels.batch(pool)).instanceScores();
        ExecutorService exec = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int seed = c;
                done.add(exec.submit(() -> {
                    Random r = new Random(seed);
                    int checked = 0;
                    for (int k = 0; k < perClient; k++) {
                        int n = 1 + r.nextInt(4);
                        int[] pick = new int[n];
                        float[] rows = new float[n * 784];
                        float[] want = new float[n];
                        for (int i = 0; i < n; i++) {
                            pick[i] = r.nextInt(64);
                            System.arraycopy(pool, pick[i] * 784, rows, i * 784, 784);
                            want[i] = expected[pick[i]];
                        }
                        String id = "c" + seed + "-" + k;
                        Reply rep = post("/v2/models/knn/infer", request(rows, "UINT8").put("id", id));
                        assertThat(rep.status()).as(rep.json().toString()).isEqualTo(200);
                        assertThat(rep.json().get("id").asText()).isEqualTo(id);
                        Floats.assertClose(id, scores(rep.json()), want);
                        checked += n;
                    }
                    return checked;
                }));
            }
            int rows = 0;
            for (Future<Integer> f : done) {
                rows += f.get();
            }
            assertThat(rows).isGreaterThanOrEqualTo(clients * perClient);
        } finally {
            exec.shutdown();
        }
        String metrics = new String(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofByteArray()).body(),
                StandardCharsets.UTF_8);
        assertThat(metrics).contains("oddball_requests_total{model=\"knn\",protocol=\"rest\",status=\"200\"}",
                "oddball_request_duration_seconds_bucket", "oddball_batch_size_bucket", "oddball_queue_depth");
        // some pipeline call merged requests: fewer batches than requests
        double batches = metric(metrics, "oddball_batch_size_count{model=\"knn\"}");
        double batchedRows = metric(metrics, "oddball_batch_size_sum{model=\"knn\"}");
        assertThat(batchedRows / batches).as(metrics).isGreaterThan(2.6);
    }

    static double metric(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(
                l.substring(name.length() + 1).trim())).findFirst().orElseThrow(() -> new AssertionError(name));
    }
}
