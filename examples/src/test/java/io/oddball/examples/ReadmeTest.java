package io.oddball.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the README true: every fenced {@code bash} block runs, in README order, as a user on a fresh clone would run
 * it (through {@code ./oddball}, with {@code ODDBALL_NO_BUILD=1}: this test runs inside the Maven build, after the
 * cli module is packaged), and must exit 0; every YAML block that says it "fits as it is" is fitted; the Java block
 * is the source of {@link ScreenImages} (built and run by {@link ScreenImagesTest}); the Maven block names an
 * artifact of this version.
 *
 * <p>The commands run in a scratch Oddball folder ({@code examples/target/readme-run}): links to the checkout's
 * files, a {@code data/} without the downloaded {@code data/full/}, and outputs of its own. Markers in an HTML
 * comment right before a block change how it runs:
 * <ul>
 *   <li>{@code <!-- long-running: WHY ... -->}: the block is not run; the comment's lines that start with {@code $ }
 *       are run instead (the same commands with smaller limits), or nothing when there are none.</li>
 *   <li>{@code <!-- needs-download: ... -->}: the block needs the full data sets of {@code data/download.sh}, which
 *       a fresh clone has not got (and the test reaches no network: {@code ODDBALL_DATA_MIRROR} points nowhere); each
 *       command must stop at once, exit non-zero, and end with one line naming {@code data/download.sh}.</li>
 * </ul>
 */
class ReadmeTest {
    private static final Path ROOT = Path.of(System.getProperty("oddball.root", "..")).toAbsolutePath().normalize();
    private static final Path README = ROOT.resolve("README.md");
    private static final Path RUN = ROOT.resolve("examples/target/readme-run");
    private static final long BLOCK_TIMEOUT_MINUTES = 8;

    /** A fenced block of the README: its first line's number (1-based), language, text and the marker before it. */
    record Block(int line, String lang, String text, String marker) {
        String title() {
            String first = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
            return "README.md:" + line + " " + (first.length() > 90 ? first.substring(0, 90) + "..." : first);
        }
    }

    /** The fenced blocks of a Markdown text, with the {@code long-running}/{@code needs-download} marker before each. */
    static List<Block> blocks(List<String> lines) {
        List<Block> out = new ArrayList<>();
        String marker = null;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("<!--")) {
                StringBuilder c = new StringBuilder();
                int j = i;
                while (true) {
                    c.append(lines.get(j)).append('\n');
                    if (lines.get(j).contains("-->") || j == lines.size() - 1) {
                        break;
                    }
                    j++;
                }
                i = j;
                String body = c.toString().replaceFirst("^<!--\\s*", "").replaceFirst("\\s*-->\\s*$", "");
                marker = body.startsWith("long-running:") || body.startsWith("needs-download:") ? body : null;
                continue;
            }
            if (l.startsWith("```")) {
                String lang = l.substring(3).strip();
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                while (j < lines.size() && !lines.get(j).startsWith("```")) {
                    text.append(lines.get(j)).append('\n');
                    j++;
                }
                out.add(new Block(i + 2, lang, text.toString(), marker));
                i = j;
                marker = null;
                continue;
            }
            if (!l.isBlank()) {
                marker = null;
            }
        }
        return out;
    }

    /** The commands of a block, one per logical line (backslash continuations joined; comments and blanks dropped). */
    static List<String> commands(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String l : script.split("\n")) {
            if (l.endsWith("\\")) {
                cur.append(l, 0, l.length() - 1).append(' ');
                continue;
            }
            cur.append(l);
            String cmd = cur.toString().strip();
            cur.setLength(0);
            if (!cmd.isEmpty() && !cmd.startsWith("#")) {
                out.add(cmd);
            }
        }
        return out;
    }

    private static List<Block> readme() {
        try {
            return blocks(Files.readAllLines(README));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theJavaBlockIsTheExampleThatIsBuiltAndRun() throws IOException {
        List<Block> java = readme().stream().filter(b -> b.lang().equals("java")).toList();
        assertThat(java).as("the README's Java blocks").hasSize(1);
        String source = Files.readString(ROOT.resolve(
                "examples/src/main/java/io/oddball/examples/ScreenImages.java"));
        assertThat(java.get(0).text()).as("README.md:%d must be examples/src/main/java/io/oddball/examples/"
                + "ScreenImages.java, as it is (edit the example, then copy it into the README)", java.get(0).line())
                .isEqualTo(source);
    }

    @Test
    void theMavenBlockNamesTheAggregateOfThisVersion() throws IOException {
        List<Block> xml = readme().stream().filter(b -> b.lang().equals("xml")).toList();
        assertThat(xml).hasSize(1);
        String version = System.getProperty("oddball.version");
        assertThat(version).isNotBlank();
        assertThat(xml.get(0).text()).contains("<groupId>io.oddball</groupId>")
                .contains("<artifactId>oddball-all</artifactId>").contains("<version>" + version + "</version>");
        assertThat(Files.readString(ROOT.resolve("all/pom.xml"))).contains("<artifactId>oddball-all</artifactId>");
    }

    @Test
    void markersAreUnderstood() {
        List<Block> b = blocks(List.of("text", "<!-- long-running: takes an hour; the README test runs:", "$ echo a",
                "$ echo b", "-->", "", "```bash", "sleep 3600", "```", "<!-- something else -->", "```bash", "ls",
                "```", "<!-- needs-download: x -->", "```bash", "data/download.sh x", "```", "more", "```yaml",
                "a: 1", "```"));
        assertThat(b).extracting(Block::line).containsExactly(8, 12, 16, 20);
        assertThat(b.get(0).marker()).startsWith("long-running: takes an hour");
        assertThat(runnable(b.get(0))).isEqualTo("echo a\necho b\n");
        assertThat(b.get(1).marker()).isNull();
        assertThat(b.get(2).marker()).isEqualTo("needs-download: x");
        assertThat(b.get(3).lang()).isEqualTo("yaml");
        assertThat(commands("a \\\n  b # c\n# comment\n\nd\n")).containsExactly("a    b # c", "d");
        assertThat(fitsAsItIs(new Block(1, "yaml", "# one\n# two (fits as it is)\ndetector: {}\n", null))).isTrue();
        assertThat(fitsAsItIs(new Block(1, "yaml", "detector: {}  # fits as it is\n", null))).isFalse();
    }

    /** What runs for a block: the block, or the {@code $ } lines of its long-running marker. */
    static String runnable(Block b) {
        if (b.marker() == null || !b.marker().startsWith("long-running:")) {
            return b.text();
        }
        StringBuilder s = new StringBuilder();
        b.marker().lines().filter(l -> l.startsWith("$ ")).forEach(l -> s.append(l.substring(2)).append('\n'));
        return s.toString();
    }

    @TestFactory
    List<DynamicTest> everyCommandOfTheReadmeRuns() throws IOException {
        Path launcherJar = ROOT.resolve("cli/target/oddball-cli.jar");
        assumeTrue(Files.isRegularFile(Path.of("/bin/bash")) || Files.isRegularFile(Path.of("/usr/bin/bash")),
                "needs bash");
        assertThat(launcherJar).as("the cli module is packaged before this module (mvn verify does that)")
                .isRegularFile();
        assertThat(ROOT.resolve("cli/target/lib")).isDirectory();
        Map<String, String> before = snapshot();
        setUpScratch();

        List<DynamicTest> tests = new ArrayList<>();
        List<Block> blocks = readme();
        assertThat(Files.readString(README)).doesNotContain("../shared");
        assertThat(blocks.stream().filter(b -> b.lang().equals("bash"))).hasSizeGreaterThanOrEqualTo(5);
        for (Block b : blocks) {
            if (b.lang().equals("bash")) {
                if (b.marker() != null && b.marker().startsWith("needs-download:")) {
                    for (String cmd : commands(b.text())) {
                        tests.add(DynamicTest.dynamicTest(b.title() + " [needs-download] " + cmd,
                                () -> stopsNamingTheDownload(b, cmd)));
                    }
                } else {
                    tests.add(DynamicTest.dynamicTest(b.title() + (b.marker() != null ? " [long-running]" : ""),
                            () -> runs(b, runnable(b))));
                }
            } else if (b.lang().equals("yaml") && fitsAsItIs(b)) {
                tests.add(DynamicTest.dynamicTest(b.title() + " [fit]", () -> fits(b)));
            }
        }
        tests.add(DynamicTest.dynamicTest("the checkout's pipelines, data and models are untouched",
                () -> assertThat(snapshot()).isEqualTo(before)));
        return tests;
    }

    /** Whether a YAML block's leading comment says it "fits as it is". */
    static boolean fitsAsItIs(Block b) {
        return b.text().lines().takeWhile(l -> l.startsWith("#")).anyMatch(l -> l.contains("fits as it is"));
    }

    private static void runs(Block b, String script) throws Exception {
        assertThat(b.marker() == null || !b.marker().strip().equals("long-running:"))
                .as("%s: a long-running marker says why", b.title()).isTrue();
        if (script.isBlank()) {
            return;
        }
        Result r = bash(script, "block-" + b.line());
        if (r.code() != 0) {
            fail("%s exited %d (expected 0); its commands:%n%s%nlast output (%s):%n%s", b.title(), r.code(), script,
                    r.log(), r.tail());
        }
    }

    private static void stopsNamingTheDownload(Block b, String cmd) throws Exception {
        Result r = bash(cmd, "block-" + b.line() + "-" + Math.abs(cmd.hashCode()));
        String last = r.err().lines().filter(l -> !l.isBlank()).reduce((x, y) -> y).orElse("");
        assertThat(r.code()).as("%s: '%s' on a clone without data/full/ (output %s)", b.title(), cmd, r.log())
                .isNotZero();
        assertThat(last).as("%s: the last line of '%s'", b.title(), cmd).contains("data/download.sh");
    }

    private static void fits(Block b) throws Exception {
        // saved in the Oddball folder, as the README says
        Path yaml = RUN.resolve("readme-" + b.line() + ".yaml");
        Files.writeString(yaml, b.text());
        Result r = bash("./oddball fit " + yaml.getFileName() + " --out out/readme-" + b.line(), "yaml-" + b.line());
        if (r.code() != 0) {
            fail("%s does not fit as it is: exit %d%n%s", b.title(), r.code(), r.tail());
        }
    }

    record Result(int code, String err, Path log, String tail) {
    }

    private static Result bash(String script, String name) throws IOException, InterruptedException {
        Path log = RUN.resolve("logs/" + name + ".log");
        Path err = RUN.resolve("logs/" + name + ".err");
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", "-o", "pipefail", "-c", script).directory(RUN.toFile());
        Map<String, String> env = pb.environment();
        env.put("ODDBALL_NO_BUILD", "1");
        env.put("ODDBALL_DATA_MIRROR", RUN.resolve("no-network-mirror").toUri().toString());
        env.remove("ODDBALL_PLUGINS");
        Process p = pb.redirectOutput(log.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(BLOCK_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
            fail("'%s' took more than %d minutes; output in %s", script.strip(), BLOCK_TIMEOUT_MINUTES, log);
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        String all = Files.readString(log, StandardCharsets.UTF_8) + stderr;
        List<String> lines = all.lines().toList();
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        return new Result(p.exitValue(), stderr, log, tail);
    }

    /** A scratch Oddball folder: links to everything of the checkout but outputs and downloaded data. */
    private static void setUpScratch() throws IOException {
        deleteRecursively(RUN);
        Files.createDirectories(RUN.resolve("data"));
        try (Stream<Path> s = Files.list(ROOT)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.equals(".git") || n.equals("out") || n.equals("demo-out") || n.equals("data")
                        || n.startsWith("demo-report")) {
                    continue;
                }
                Files.createSymbolicLink(RUN.resolve(n), p);
            }
        }
        try (Stream<Path> s = Files.list(ROOT.resolve("data"))) {
            for (Path p : s.toList()) {
                if (!p.getFileName().toString().equals("full")) {
                    Files.createSymbolicLink(RUN.resolve("data").resolve(p.getFileName()), p);
                }
            }
        }
    }

    /** Size and modification time of every file the README's commands read from the checkout. */
    private static Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (String dir : new String[] {"models", "pipelines", "data"}) {
            try (Stream<Path> s = Files.walk(ROOT.resolve(dir))) {
                for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.startsWith(ROOT.resolve("data/full")))
                        .toList()) {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    m.put(ROOT.relativize(p).toString(), a.size() + " " + a.lastModifiedTime());
                }
            }
        }
        return m;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir)) {
            Files.delete(dir);
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            // Files.walk does not follow links: the links are deleted, never what they point to
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
