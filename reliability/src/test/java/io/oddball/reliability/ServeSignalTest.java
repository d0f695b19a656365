package io.oddball.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.cli.Main;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code oddball serve} in a child JVM, as a container runs it, stopped by a real SIGTERM: it answers while up, then
 * closes its ports, prints no stack trace and exits (143, the JVM's code for SIGTERM, after the shutdown hook drained
 * the server) within a few seconds.
 */
class ServeSignalTest {
    private static final Pattern REST = Pattern.compile("REST on http://localhost:(\\d+)/v2");

    @Test
    void sigtermStopsTheServerGracefully() throws Exception {
        Path log = Fixtures.folder("serve-sigterm").resolve("log.txt");
        Process p = Cli.childJvm(log, Main.class.getName(), "serve", Fixtures.knn(), "--http-port", 0,
                "--grpc-port", -1, "--metrics-port", -1).start();
        try {
            int port = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                Matcher m = REST.matcher(text);
                if (m.find() && text.contains("oddball serve: ready")) {
                    port = Integer.parseInt(m.group(1));
                    break;
                }
                assertThat(p.isAlive()).as(text).isTrue();
                Thread.sleep(100);
            }
            assertThat(port).as(Files.readString(log)).isPositive();
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v2/health/ready")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);

            long t0 = System.nanoTime();
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(30);
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(text).isIn(0, 143);
            assertThat(text).doesNotContain("\tat ").doesNotContain("Exception in thread");
            int closed = port;
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + closed + "/v2/health/live")).GET().build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
        } finally {
            p.destroyForcibly();
        }
    }
}
