package io.oddball.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.oddball.api.ConfigSchema;
import io.oddball.api.DetectorContext;
import io.oddball.api.DetectorProvider;
import io.oddball.api.error.OddballException;
import io.oddball.runtime.Oddball;
import io.oddball.runtime.pipeline.PipelineSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A seeded fuzzer of YAML pipelines: random structures of the keys the pipeline and each detector's schema know (and
 * a few they do not), with values of every type and range (negative, huge, NaN, strings where numbers go, lists,
 * nested blocks, nulls), and some texts cut or garbled. Each pipeline is parsed and assembled (its detector made, not
 * fitted): it must be accepted, or refused with Oddball's own exception whose message names the file, one problem a
 * line, never another exception (a ClassCastException, a NullPointerException, an overflow) and never a hang.
 */
class YamlFuzzTest {
    private static final long SEED = 20261207L;
    private static final int CASES = 400;
    private static final List<String> TOP = List.of("detector", "data", "preprocess", "scorer", "threshold",
            "evaluate", "embed", "name");
    private static Oddball oddball;
    private static Path folder;
    private static Path train;

    @BeforeAll
    static void setUp() {
        oddball = Oddball.create(List.of());
        folder = Fixtures.folder("yaml-fuzz");
        train = Fixtures.csv("yaml-fuzz/train.csv", 30, 0, 1);
    }

    @Test
    void everyRandomPipelineIsAcceptedOrRefusedWithOneOfOddballsOwnMessages() throws IOException {
        SplittableRandom r = new SplittableRandom(SEED);
        List<String> detectors = new ArrayList<>(oddball.plugins().names(io.oddball.runtime.plugin.Kind.DETECTOR));
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < CASES; i++) {
            boolean mild = i % 4 == 0; // a quarter stay near what users write, so that some pass
            Map<String, Object> doc = mild ? mild(r, detectors) : pipeline(r, detectors);
            String text = dump(doc);
            if (!mild && r.nextInt(8) == 0) {
                text = garble(r, text);
            }
            Path file = folder.resolve("case-" + i + ".yaml");
            Files.writeString(file, text, StandardCharsets.UTF_8);
            String what = "case " + i + " (seed " + SEED + "):\n" + text;
            try {
                PipelineSpec spec = oddball.parse(file, DetectorContext.simple());
                spec.detector().close();
                if (spec.embed() != null) {
                    spec.embed().close();
                }
                accepted++;
            } catch (OddballException e) {
                refused++;
                String m = e.getMessage();
                // the pipeline file, or the data the pipeline names: a data error is the data's and the reader names
                // the file, which may lie under a path the (perhaps garbled) text names, e.g. a directory of images
                assertThat(m).as(what).isNotBlank().doesNotContain("\tat ").doesNotContain("Exception")
                        .doesNotContain("java.lang");
                assertThat(namesTheFileOrItsData(m, file, text)).as(what + "\nmessage: " + m).isTrue();
                assertThat(m.split("\n")).as(what).hasSizeLessThanOrEqualTo(22);
            } catch (RuntimeException | StackOverflowError e) {
                throw new AssertionError(what + "\nended in " + e, e);
            }
        }
        // the fuzzer reaches both sides: pipelines that pass and every kind of refusal
        assertThat(accepted).isGreaterThan(CASES / 20);
        assertThat(refused).isGreaterThan(CASES / 2);
    }

    /**
     * Whether a refusal names the pipeline's file, or a path the pipeline's text names (the data reader names the
     * file it could not read, which lies at or under that path). Where a garbled text cuts a path short, e.g. to the
     * build folder, the data found under it depends on the machine and on other tests, so the rule is by path, not by
     * a fixed folder.
     */
    private static boolean namesTheFileOrItsData(String message, Path file, String text) {
        if (message.contains(file.toString()) || message.contains(folder.toString())) {
            return true;
        }
        java.util.regex.Matcher paths = java.util.regex.Pattern.compile("/[^\\s'\"\\]\\[{},:]+").matcher(text);
        while (paths.find()) {
            String named = paths.group();
            if (named.length() > 1 && message.contains(named)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Object> pipeline(SplittableRandom r, List<String> detectors) {
        Map<String, Object> doc = new LinkedHashMap<>();
        Map<String, Object> det = new LinkedHashMap<>();
        String type = r.nextInt(12) == 0 ? "no-such-" + r.nextInt(3) : detectors.get(r.nextInt(detectors.size()));
        det.put("type", r.nextInt(20) == 0 ? value(r, 0) : type);
        DetectorProvider provider = oddball.plugins().has(io.oddball.runtime.plugin.Kind.DETECTOR, type)
                ? oddball.plugins().get(io.oddball.runtime.plugin.Kind.DETECTOR, type, DetectorProvider.class)
                : null;
        if (provider != null) {
            for (ConfigSchema.Param p : provider.configSchema().params()) {
                if (r.nextInt(3) == 0) {
                    det.put(p.name(), r.nextBoolean() ? plausible(r, p) : value(r, 0));
                }
            }
        }
        if (r.nextInt(4) == 0) {
            det.put("unknown" + r.nextInt(5), value(r, 0));
        }
        if (r.nextBoolean()) {
            Map<String, Object> fit = new LinkedHashMap<>();
            for (String k : List.of("epochs", "batchSize", "learningRate", "seed", "validationSplit", "patience")) {
                if (r.nextInt(3) == 0) {
                    fit.put(k, r.nextBoolean() ? r.nextInt(-2, 5) : value(r, 0));
                }
            }
            det.put("fit", fit);
        }
        doc.put("detector", r.nextInt(25) == 0 ? value(r, 0) : det);
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("path", r.nextInt(10) == 0 ? value(r, 0) : train.toString());
        if (r.nextInt(5) == 0) {
            t.put("format", r.nextBoolean() ? "csv" : value(r, 0));
        }
        if (r.nextInt(6) == 0) {
            t.put("options", r.nextBoolean() ? one("header", value(r, 0)) : value(r, 1));
        }
        data.put("train", r.nextInt(20) == 0 ? value(r, 0) : t);
        doc.put("data", r.nextInt(25) == 0 ? value(r, 0) : data);
        for (String k : TOP.subList(2, TOP.size())) {
            if (r.nextInt(5) == 0) {
                doc.put(k, k.equals("preprocess") && r.nextBoolean()
                        ? java.util.Arrays.asList(one(List.of("scale", "clip", "standardize", "log").get(r.nextInt(4)),
                                value(r, 1)))
                        : block(r, k));
            }
        }
        return doc;
    }

    /** A pipeline of a known detector with a few of its parameters at their defaults or near them. */
    private static Map<String, Object> mild(SplittableRandom r, List<String> detectors) {
        String type = detectors.get(r.nextInt(detectors.size()));
        Map<String, Object> det = new LinkedHashMap<>();
        det.put("type", type);
        DetectorProvider provider = oddball.plugins().get(io.oddball.runtime.plugin.Kind.DETECTOR, type,
                DetectorProvider.class);
        for (ConfigSchema.Param p : provider.configSchema().params()) {
            if (r.nextInt(4) == 0 && !p.defaultValue().isEmpty()) {
                Object v = p.defaultValue();
                if (p.type().equals("int")) {
                    try {
                        v = Integer.parseInt(p.defaultValue()) + r.nextInt(0, 2);
                    } catch (NumberFormatException e) {
                        continue;
                    }
                } else if (p.type().equals("double")) {
                    try {
                        v = Double.parseDouble(p.defaultValue());
                    } catch (NumberFormatException e) {
                        continue;
                    }
                } else if (!p.type().equals("string")) {
                    continue;
                }
                det.put(p.name(), v);
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("detector", det);
        doc.put("data", one("train", one("path", train.toString())));
        return doc;
    }

    private static Object block(SplittableRandom r, String key) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> keys = switch (key) {
            case "scorer" -> List.of("type", "percent", "k");
            case "threshold" -> List.of("type", "percentile", "contamination", "fpr", "value", "data");
            case "evaluate" -> List.of("in", "ood", "labels");
            case "embed" -> List.of("detector", "type", "path", "signature");
            default -> List.of("value");
        };
        for (String k : keys) {
            if (r.nextInt(2) == 0) {
                m.put(k, value(r, 1));
            }
        }
        return r.nextInt(6) == 0 ? value(r, 0) : m;
    }

    /** A value of the parameter's own type, in or near its range. */
    private static Object plausible(SplittableRandom r, ConfigSchema.Param p) {
        return switch (p.type()) {
            case "int" -> List.of(-1, 0, 1, 2, 3, 7, 64, 100_000, Integer.MAX_VALUE).get(r.nextInt(9));
            case "double" -> List.of(-1.0, 0.0, 1e-9, 0.05, 0.5, 1.0, 2.0, 1e12, Double.NaN,
                    Double.POSITIVE_INFINITY).get(r.nextInt(10));
            case "boolean" -> r.nextBoolean();
            case "list" -> List.of(r.nextInt(-1, 70), r.nextInt(-1, 70));
            default -> p.defaultValue().isEmpty() ? "x" : p.defaultValue();
        };
    }

    /** Any value: scalars of every type and range, lists and mappings nested a little. */
    private static Object value(SplittableRandom r, int depth) {
        int k = r.nextInt(depth < 2 ? 14 : 11);
        return switch (k) {
            case 0 -> r.nextInt(-5, 5);
            case 1 -> Long.MAX_VALUE - r.nextInt(3);
            case 2 -> r.nextDouble() * 10 - 5;
            case 3 -> Double.NaN;
            case 4 -> Double.NEGATIVE_INFINITY;
            case 5 -> "";
            case 6 -> "text " + r.nextInt(100);
            case 7 -> r.nextBoolean();
            case 8 -> null;
            case 9 -> "../../" + r.nextInt(3);
            case 10 -> "\u00e9\u2603 " + "x".repeat(r.nextInt(3));
            case 11 -> java.util.Arrays.asList(value(r, depth + 1), value(r, depth + 1));
            case 12 -> List.of();
            default -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("k" + r.nextInt(3), value(r, depth + 1));
                yield m;
            }
        };
    }

    /** A one-key mapping whose value may be null. */
    private static Map<String, Object> one(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }

    private static String dump(Map<String, Object> doc) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(o).dump(doc);
    }

    /** A cut, a stray character or a swapped line: the parser's syntax errors. */
    private static String garble(SplittableRandom r, String text) {
        if (text.isEmpty()) {
            return ":";
        }
        int at = r.nextInt(text.length());
        return switch (r.nextInt(4)) {
            case 0 -> text.substring(0, at);
            case 1 -> text.substring(0, at) + List.of(":", "[", "{", "&a", "*a", "\t", "!!binary").get(r.nextInt(7))
                    + text.substring(at);
            case 2 -> text.substring(0, at) + "\n" + " ".repeat(r.nextInt(5)) + "- " + text.substring(at);
            default -> text.replaceFirst("  ", "");
        };
    }
}
