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

    /** Most bytes of a YAML file read (a pipeline is a few kilobytes; SnakeYAML's code point limit is the same). */
    public static final int MAX_BYTES = 10 * 1024 * 1024;
    /** Most values (scalars, lists and mappings, aliases counted each time they are used) of one document. */
    static final int MAX_VALUES = 1_000_000;

    /**
     * Reads {@code file}; a missing file, one that is not a regular file (a FIFO or a device would block or never
     * end), one over {@link #MAX_BYTES} or not UTF-8, a syntax error or a non-mapping root is a
     * {@link ConfigException}.
     */
    public static YamlDocument read(Path file) {
        Objects.requireNonNull(file, "file is null");
        return parse(file.toString(), new StringReader(readText(file, "a YAML pipeline file")));
    }

    /**
     * The text of the small UTF-8 file {@code file} ({@code what} it should be, for messages), checked before it is
     * opened: a regular file of at most {@link #MAX_BYTES}.
     *
     * @throws ConfigException naming the file, what was expected and what was found
     */
    public static String readText(Path file, String what) {
        java.nio.file.attribute.BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": expected " + what + ", found no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (!a.isRegularFile()) {
            throw new ConfigException(file + ": expected " + what + " (a regular file), found "
                    + (a.isDirectory() ? "a directory" : "a FIFO, socket or device"));
        }
        if (a.size() > MAX_BYTES) {
            throw new ConfigException(file + ": expected " + what + " of at most " + MAX_BYTES / (1024 * 1024)
                    + " MiB, found " + a.size() + " bytes");
        }
        byte[] bytes;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (bytes.length > MAX_BYTES) {
            throw new ConfigException(file + ": expected " + what + " of at most " + MAX_BYTES / (1024 * 1024)
                    + " MiB, found more");
        }
        java.nio.charset.CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CoderResult r = dec.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new ConfigException(file + ":" + line + ": expected UTF-8 text, found the byte 0x"
                    + String.format("%02x", bytes[at] & 0xFF) + " at byte offset " + at + " (save the file as UTF-8)");
        }
        dec.flush(out);
        return out.flip().toString();
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
        Object value;
        try {
            value = new Converter(source, lines, problems).convert(node, "");
        } catch (TooLarge e) {
            throw new ConfigException(e.getMessage());
        }
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

    /** Stops a conversion whose aliases expand to more than {@link #MAX_VALUES} values. */
    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Node tree to plain values. An alias is a reference to an earlier node, so a hostile file can make a node its
     * own descendant ({@code a: &x [*x]}) or expand a few lines into billions of values: both are refused.
     */
    private static final class Converter {
        private final String source;
        private final Map<String, Integer> lines;
        private final List<String> problems;
        private final java.util.Set<Node> open = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        private long values;

        Converter(String source, Map<String, Integer> lines, List<String> problems) {
            this.source = source;
            this.lines = lines;
            this.problems = problems;
        }

        Object convert(Node node, String path) {
            if (++values > MAX_VALUES) {
                throw new TooLarge(source + ":" + line(node) + " " + path + ": expected at most " + MAX_VALUES
                        + " values (aliases counted each time they are used), found more");
            }
            if (!open.add(node)) {
                problems.add(source + ":" + line(node) + " " + path + ": expected an alias to a block that does not "
                        + "contain it, found an alias that refers to itself");
                return null;
            }
            try {
                return convertOnce(node, path);
            } finally {
                open.remove(node);
            }
        }

        private Object convertOnce(Node node, String path) {
            lines.put(path, line(node));
            if ((node instanceof MappingNode && !Tag.MAP.equals(node.getTag()))
                    || (node instanceof SequenceNode && !Tag.SEQ.equals(node.getTag()))) {
                // a tag on a block (!custom {...}, !!set) asks for a type of its own: refused like tags on scalars
                problems.add(source + ":" + line(node) + " " + path + ": expected a plain "
                        + (node instanceof MappingNode ? "mapping" : "list") + ", found the tag " + node.getTag().getValue()
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
                        problems.add(source + ":" + line(k) + " " + p
                                + ": expected each key once, found a duplicate key "
                                + "(first on line " + lines.get(p) + ")");
                        continue;
                    }
                    out.put(key, convert(t.getValueNode(), p));
                }
                return out;
            }
            if (node instanceof SequenceNode s) {
                List<Object> out = new ArrayList<>();
                int i = 0;
                for (Node item : s.getValue()) {
                    out.add(convert(item, path + "[" + i + "]"));
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
            problems.add(source + ":" + line(node) + " " + path + ": expected a plain value, found the tag "
                    + tag.getValue()
                    + " (only standard YAML tags are allowed)");
            return null;
        }
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
