package io.oddball.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A signal sent to the {@code ./oddball} launcher reaches the JVM (the launcher execs it): {@code kill PID} of
 * {@code ./oddball serve}, as systemd or a shell's {@code kill %1} sends it, stops the server gracefully and leaves no
 * JVM behind (skipped when the CLI has not been packaged).
 */
class LauncherSignalTest {
    private static final Pattern REST = Pattern.compile("REST on http://[^:]+:(\\d+)/v2");

    @Test
    void sigtermToTheLauncherStopsTheJvm() throws Exception {
        Path dir = Fixtures.folder("launcher-signal-" + System.nanoTime());
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = LauncherTest.launcher(dir, "serve", Fixtures.knn(), "--http-port", 0, "--grpc-port", -1,
                "--metrics-port", -1).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            String text = "";
            while (System.nanoTime() < deadline) {
                text = Files.readString(out, StandardCharsets.UTF_8) + Files.readString(err, StandardCharsets.UTF_8);
                if (text.contains("oddball serve: ready")) {
                    break;
                }
                assertThat(p.isAlive()).as(text).isTrue();
                Thread.sleep(100);
            }
            Matcher m = REST.matcher(text);
            assertThat(m.find()).as(text).isTrue();
            // the launcher's process is the JVM's: no child java process holds the server
            assertThat(p.toHandle().info().command().orElse("")).as("the launcher execs java").endsWith("java");
            p.destroy(); // SIGTERM to the launcher's PID
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            assertThat(p.exitValue()).isIn(0, 143);
            assertThat(p.toHandle().descendants().filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().command().orElse("").endsWith("java")).count()).isZero();
            int port = Integer.parseInt(m.group(1));
            try (java.net.Socket s = new java.net.Socket()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.connect(
                        new java.net.InetSocketAddress("127.0.0.1", port), 2000))
                        .isInstanceOf(java.io.IOException.class);
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
