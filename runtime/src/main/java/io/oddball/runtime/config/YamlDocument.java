package io.oddball.runtime.config;

import io.oddball.api.MapParams;
import io.oddball.api.Params;
import io.oddball.api.error.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML file read safely (SnakeYAML's node tree, no object construction, standard tags only) into plain Java values,
 * remembering the line of every dotted path ({@code detector.fit.epochs}) so errors can say {@code file:line path}.
 */
public final class YamlDocument {
    private final String source;
    private final Map<String, Object> root;
    private final Map<String, Integer> lines;

    private YamlDocument(String source, Map<String, Object> root, Map<String, Integer> lines) {
        this.source = source;
        this.root = root;
        this.lines = lines;
    }

    /** Reads {@code file}; a missing file, a syntax error or a non-mapping root is a {@link ConfigException}. */
    public static YamlDocument read(Path file) {
        Objects.requireNonNull(file, "file is null");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": expected a YAML pipeline file, found no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(file.toString(), new StringReader(text));
    }

    /** Parses YAML text; {@code source} names it in messages. */
    public static YamlDocument parse(String source, Reader text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(50);
        options.setCodePointLimit(10 * 1024 * 1024);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        Node node;
        try {
            node = yaml.compose(text);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ConfigException(source + ":" + line + ": invalid YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(source + ": invalid YAML: " + e.getMessage());
        }
        if (node == null) {
            throw new ConfigException(source + ": expected a YAML mapping, found an empty file");
        }
        Map<String, Integer> lines = new HashMap<>();
        List<String> problems = new ArrayList<>();
        Object value = convert(source, node, "", lines, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new ConfigException(source + ":" + line(node) + ": expected a YAML mapping at the top level, found "
                    + node.getNodeId());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        return new YamlDocument(source, map, lines);
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    private static Object convert(String source, Node node, String path, Map<String, Integer> lines,
            List<String> problems) {
        lines.put(path, line(node));
        if ((node instanceof MappingNode && !Tag.MAP.equals(node.getTag()))
                || (node instanceof SequenceNode && !Tag.SEQ.equals(node.getTag()))) {
            // a tag on a block (!custom {...}, !!set) asks for a type of its own: refused like tags on scalars
            problems.add(source + ":" + line(node) + " " + path + ": expected a plain " + (node instanceof MappingNode
                    ? "mapping" : "list") + ", found the tag " + node.getTag().getValue()
                    + " (only standard YAML tags are allowed)");
            return null;
        }
        if (node instanceof MappingNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    problems.add(source + ":" + line(t.getKeyNode()) + " " + path + ": expected a plain key, found "
                            + t.getKeyNode().getNodeId());
                    continue;
                }
                String key = k.getValue();
                String p = path.isEmpty() ? key : path + "." + key;
                if (out.containsKey(key)) {
                    problems.add(source + ":" + line(k) + " " + p + ": expected each key once, found a duplicate key "
                            + "(first on line " + lines.get(p) + ")");
                    continue;
                }
                out.put(key, convert(source, t.getValueNode(), p, lines, problems));
            }
            return out;
        }
        if (node instanceof SequenceNode s) {
            List<Object> out = new ArrayList<>();
            int i = 0;
            for (Node item : s.getValue()) {
                out.add(convert(source, item, path + "[" + i + "]", lines, problems));
                i++;
            }
            return out;
        }
        ScalarNode sc = (ScalarNode) node;
        Tag tag = sc.getTag();
        String v = sc.getValue();
        if (Tag.NULL.equals(tag)) {
            return null;
        }
        if (Tag.BOOL.equals(tag)) {
            String b = v.toLowerCase(java.util.Locale.ROOT);
            return b.equals("true") || b.equals("yes") || b.equals("on") || b.equals("y");
        }
        if (Tag.INT.equals(tag)) {
            try {
                long l = Long.parseLong(v.replace("_", ""));
                return l == (int) l ? (Object) (int) l : (Object) l;
            } catch (NumberFormatException e) {
                return v;
            }
        }
        if (Tag.FLOAT.equals(tag)) {
            try {
                String t = v.replace("_", "").toLowerCase(java.util.Locale.ROOT);
                if (t.endsWith(".inf")) {
                    return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                }
                if (t.equals(".nan")) {
                    return Double.NaN;
                }
                return Double.parseDouble(t);
            } catch (NumberFormatException e) {
                return v;
            }
        }
        if (Tag.STR.equals(tag)) {
            return v;
        }
        problems.add(source + ":" + line(node) + " " + path + ": expected a plain value, found the tag " + tag.getValue()
                + " (only standard YAML tags are allowed)");
        return null;
    }

    /** The file (or source) name. */
    public String source() {
        return source;
    }

    /** The line of a dotted path, or 0 when unknown. */
    public int line(String path) {
        return lines.getOrDefault(path, 0);
    }

    /** The top-level mapping as parameters whose errors name this file and line. */
    public Params params() {
        return Params.of(root, "", locator());
    }

    /** A locator that turns a dotted path into {@code file:line}. */
    public MapParams.Locator locator() {
        return path -> lines.containsKey(path) ? source + ":" + lines.get(path) : null;
    }

    /** The top-level values (read-only). */
    public Map<String, Object> values() {
        return java.util.Collections.unmodifiableMap(root);
    }
}
