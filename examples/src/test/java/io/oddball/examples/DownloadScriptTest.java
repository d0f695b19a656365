package io.oddball.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code data/download.sh}, the way to the full data sets, on its refusal paths (this machine cannot reach the data
 * sets' hosts, so the files come from a local "mirror" through {@code ODDBALL_DATA_MIRROR}): what cannot be fetched
 * or does not match its published checksum is not kept, a user's file is never replaced, and mistakes in the
 * arguments exit 2.
 */
class DownloadScriptTest {
    private static final Path ROOT = Path.of(System.getProperty("oddball.root", "..")).toAbsolutePath().normalize();
    private static final String[] MNIST = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

    @TempDir
    Path tmp;

    private Path script;

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void copyTheScript() throws IOException {
        assumeTrue(onPath("bash") && onPath("curl"), "needs bash and curl");
        Files.createDirectories(tmp.resolve("clone/data"));
        script = Files.copy(ROOT.resolve("data/download.sh"), tmp.resolve("clone/data/download.sh"));
        assertThat(script.toFile().setExecutable(true)).isTrue();
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private Run run(String mirror, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.resolve("clone").toFile());
        Map<String, String> env = pb.environment();
        env.remove("ODDBALL_DATA_MIRROR");
        if (mirror != null) {
            env.put("ODDBALL_DATA_MIRROR", mirror);
        }
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("download.sh finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private Path full() {
        return tmp.resolve("clone/data/full");
    }

    @Test
    void aFileTheMirrorDoesNotHaveIsReportedAndNothingIsKept() throws Exception {
        Files.createDirectories(tmp.resolve("mirror"));
        Run r = run(tmp.resolve("mirror").toUri().toString(), "mnist");
        assertThat(r.code()).isEqualTo(1);
        for (String f : MNIST) {
            assertThat(r.err()).contains("data/download.sh: data/full/mnist/" + f + ": could not download an intact "
                    + "copy (" + tmp.resolve("mirror").toUri() + "mnist/" + f + ": curl: (37)");
        }
        assertThat(r.err().lines().filter(l -> l.startsWith("data/download.sh: "))).hasSize(4)
                .allSatisfy(l -> assertThat(l).endsWith("; nothing kept"));
        assertThat(full()).doesNotExist();
    }

    @Test
    void aFileThatIsNotTheOfficialOneIsRefusedAndNotKept() throws Exception {
        Path mirror = Files.createDirectories(tmp.resolve("mirror/mnist"));
        for (String f : MNIST) {
            Files.writeString(mirror.resolve(f), "not the MNIST file " + f);
        }
        Run r = run(tmp.resolve("mirror").toUri().toString(), "mnist");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("data/full/mnist/t10k-images-idx3-ubyte.gz: could not download an intact copy ("
                + tmp.resolve("mirror").toUri() + "mnist/t10k-images-idx3-ubyte.gz: expected sha256 "
                + "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6, found ");
        assertThat(full()).doesNotExist();
    }

    @Test
    void aUsersFileIsLeftAsItIs() throws Exception {
        Path mine = Files.createDirectories(full().resolve("fashion-mnist")).resolve("train-images-idx3-ubyte.gz");
        Files.writeString(mine, "my own file");
        Run r = run(tmp.resolve("nowhere").toUri().toString(), "fashion-mnist");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("data/download.sh: data/full/fashion-mnist/train-images-idx3-ubyte.gz: expected "
                + "the official file (sha256 3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84), found "
                + "another (sha256 ").contains("left as it is: move it away and run again");
        assertThat(Files.readString(mine)).isEqualTo("my own file");
        try (var s = Files.list(full().resolve("fashion-mnist"))) {
            assertThat(s).containsExactly(mine);
        }
    }

    @Test
    void badArgumentsExitTwo() throws Exception {
        Run none = run(null);
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).startsWith("usage: data/download.sh NAME...");
        Run unknown = run(null, "imagenet");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("data/download.sh: expected a data set name (fashion-mnist, mnist, "
                + "cifar10, all), found 'imagenet'\n");
        assertThat(full()).doesNotExist();
    }

    @Test
    void theListNamesTheOfficialSourcesAndChecksums() throws Exception {
        Run r = run(null, "--list");
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().filter(l -> l.contains("  sha256:") || l.contains("  md5:"))).hasSize(9);
        assertThat(r.out()).contains("fashion-mnist/train-images-idx3-ubyte.gz  sha256:3aede38d61863908ad78613f6a32ed"
                + "271626dd12800ba2636569512369268a84  http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
                + "train-images-idx3-ubyte.gz")
                .contains("mnist/t10k-images-idx3-ubyte.gz  sha256:8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584ae"
                        + "c276f5a2dbc4e6  http://yann.lecun.com/exdb/mnist/t10k-images-idx3-ubyte.gz")
                .contains("cifar10/cifar-10-binary.tar.gz  md5:c32a1d4ab5d03f1284b67883e8d87530  "
                        + "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
    }
}
