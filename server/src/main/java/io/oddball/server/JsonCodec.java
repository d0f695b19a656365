package io.oddball.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The protocol's REST bodies in JSON, with the binary tensor data extension: a request may be a JSON header of
 * {@code Inference-Header-Content-Length} bytes followed by the raw data of the inputs whose parameters give
 * {@code binary_data_size}; outputs asked with {@code binary_data} (or every output, with the request parameter
 * {@code binary_data_output}) are sent the same way. {@code data} may be flat or nested; BYTES elements in JSON are
 * base64 text.
 */
final class JsonCodec {
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    static final String BINARY_DATA = "binary_data";
    static final String BINARY_DATA_SIZE = "binary_data_size";
    static final String BINARY_DATA_OUTPUT = "binary_data_output";

    /** Jackson's fast double parser and writer (Schubfach/FastDoubleParser): the data arrays are mostly numbers. */
    static final ObjectMapper MAPPER = JsonMapper.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private JsonCodec() {
    }

    /** A response body: JSON, then (when {@code jsonLength < body.length}) the outputs' binary data. */
    record Encoded(byte[] body, int jsonLength) {
        boolean binary() {
            return jsonLength < body.length;
        }
    }

    /**
     * Reads a request body; {@code jsonLength} is the header's value, or -1 when the body is all JSON. The body is read
     * as a stream of tokens: an input's {@code data} goes straight into its array of numbers (no tree of one node per
     * value) when its {@code name}, {@code datatype} and {@code shape} come before it, as clients write them;
     * otherwise that {@code data} is read as a tree and flattened when the input's object ends.
     */
    static InferRequest readRequest(byte[] body, int jsonLength) {
        if (jsonLength > body.length || jsonLength < -1) {
            throw InferenceException.badRequest(HEADER_LENGTH + ": expected at most the body's " + body.length
                    + " bytes, found " + jsonLength);
        }
        int len = jsonLength < 0 ? body.length : jsonLength;
        if (len == 0) {
            throw InferenceException.badRequest("request body: expected a JSON object, found an empty body");
        }
        try (JsonParser p = MAPPER.getFactory().createParser(body, 0, len)) {
            return readRequest(p, body, len);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw InferenceException.badRequest("request body: expected JSON, found malformed JSON ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + (loc == null ? "" : " at line "
                    + loc.getLineNr() + ", column " + loc.getColumnNr()) + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InferRequest readRequest(JsonParser p, byte[] body, int len) throws IOException {
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw InferenceException.badRequest("request body: expected a JSON object, found "
                    + (first == null ? "none" : kind(p.readValueAsTree())));
        }
        String id = null;
        Map<String, Object> parameters = Map.of();
        JsonNode outs = null;
        ByteBuffer binary = ByteBuffer.wrap(body, len, body.length - len);
        List<Tensor> tensors = null;
        String inputsKind = "none";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "inputs" -> {
                    if (value == JsonToken.START_ARRAY) {
                        tensors = new ArrayList<>();
                        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                            tensors.add(input(p, i, binary, len));
                        }
                    } else {
                        tensors = null;
                        inputsKind = kind(p.readValueAsTree());
                    }
                }
                case "id" -> id = text(p.readValueAsTree(), "id");
                case "parameters" -> parameters = parameters(p.readValueAsTree(), "parameters");
                case "outputs" -> outs = p.readValueAsTree();
                default -> p.skipChildren();
            }
        }
        if (tensors == null) {
            throw InferenceException.badRequest("inputs: expected an array of input tensors, found " + inputsKind);
        }
        if (binary.hasRemaining()) {
            throw InferenceException.badRequest("request body: expected binary data only for inputs with "
                    + BINARY_DATA_SIZE + ", found " + binary.remaining() + " bytes more");
        }
        List<InferRequest.RequestedOutput> outputs = new ArrayList<>();
        if (outs != null && !outs.isNull()) {
            if (!outs.isArray()) {
                throw InferenceException.badRequest("outputs: expected an array, found " + kind(outs));
            }
            for (int i = 0; i < outs.size(); i++) {
                JsonNode o = outs.get(i);
                String where = "outputs[" + i + "]";
                if (!o.isObject()) {
                    throw InferenceException.badRequest(where + ": expected an object, found " + kind(o));
                }
                String name = text(o.get("name"), where + ".name");
                if (name == null) {
                    throw InferenceException.badRequest(where + ".name: expected a name, found none");
                }
                outputs.add(new InferRequest.RequestedOutput(name, parameters(o.get("parameters"),
                        where + ".parameters")));
            }
        }
        return new InferRequest(id, tensors, outputs, parameters);
    }

    /**
     * One input object, the parser on its first token: {@code name}, {@code datatype}, {@code shape} and
     * {@code parameters} as small trees, {@code data} streamed into the values when the others came before it. The
     * inputs' binary parts follow the JSON in the order of the inputs and are taken when each object ends.
     */
    private static Tensor input(JsonParser p, int index, ByteBuffer binary, int jsonLength) throws IOException {
        String at = "inputs[" + index + "]";
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw InferenceException.badRequest(at + ": expected an object {name, shape, datatype, data}, found "
                    + kind(p.readValueAsTree()));
        }
        JsonNode nameNode = null;
        JsonNode typeNode = null;
        JsonNode shapeNode = null;
        JsonNode paramsNode = null;
        JsonNode dataTree = null;
        Flattener streamed = null;
        Header streamedFor = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (streamed != null && (field.equals("name") || field.equals("datatype") || field.equals("shape"))) {
                // the data was read for the name, datatype and shape given before it
                throw InferenceException.badRequest(at + "." + field + ": expected it once, before the data, found "
                        + "it again after the data");
            }
            switch (field) {
                case "name" -> nameNode = p.readValueAsTree();
                case "datatype" -> typeNode = p.readValueAsTree();
                case "shape" -> shapeNode = p.readValueAsTree();
                case "parameters" -> paramsNode = p.readValueAsTree();
                case "data" -> {
                    streamed = null;
                    dataTree = null;
                    if (nameNode != null && typeNode != null && shapeNode != null) {
                        streamedFor = header(nameNode, typeNode, shapeNode, at);
                        checkCount(streamedFor, jsonLength);
                        streamed = new Flattener(streamedFor.where, streamedFor.type, streamedFor.count);
                        streamed.add(p);
                    } else {
                        dataTree = p.readValueAsTree();
                    }
                }
                default -> p.skipChildren();
            }
        }
        Header h = streamed != null ? streamedFor : header(nameNode, typeNode, shapeNode, at);
        Map<String, Object> params = parameters(paramsNode, h.where + ".parameters");
        Object size = params.get(BINARY_DATA_SIZE);
        if (size != null) {
            if (!(size instanceof Long n) || n < 0 || n > binary.remaining()) {
                throw InferenceException.badRequest(h.where + ".parameters." + BINARY_DATA_SIZE + ": expected a "
                        + "size within the " + binary.remaining() + " bytes of binary data left, found " + size);
            }
            ByteBuffer raw = binary.slice();
            raw.limit(n.intValue());
            binary.position(binary.position() + n.intValue());
            return h.type == Datatype.BYTES ? Tensor.bytes(h.name, h.shape, RawTensors.byteStrings(h.where, raw,
                    h.count), params) : Tensor.numeric(h.name, h.type, h.shape, RawTensors.numbers(h.where, h.type,
                    raw, h.count), params);
        }
        Flattener f = streamed;
        if (f == null) {
            if (dataTree == null) {
                throw InferenceException.badRequest(h.where + ".data: expected the tensor's values, found none");
            }
            checkCount(h, jsonLength);
            f = new Flattener(h.where, h.type, h.count);
            f.add(dataTree);
        }
        if (f.n != h.count) {
            throw InferenceException.badRequest(h.where + ": expected " + h.count + " values (shape "
                    + java.util.Arrays.toString(h.shape) + "), found " + f.n);
        }
        return h.type == Datatype.BYTES ? Tensor.bytes(h.name, h.shape, f.bytes, params)
                : Tensor.numeric(h.name, h.type, h.shape, f.numbers, params);
    }

    /** An input's name, datatype and shape, checked. */
    private record Header(String name, String where, Datatype type, long[] shape, long count) {
    }

    private static Header header(JsonNode nameNode, JsonNode typeNode, JsonNode shapeNode, String at) {
        String name = text(nameNode, at + ".name");
        if (name == null) {
            throw InferenceException.badRequest(at + ".name: expected a name, found none");
        }
        String where = "input '" + name + "'";
        Datatype type = Datatype.parse(text(typeNode, where + ".datatype"), where + ".datatype");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw InferenceException.badRequest(where + ".shape: expected an array of dimensions, found "
                    + kind(shapeNode));
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || d.asLong() < 0) {
                throw InferenceException.badRequest(where + ".shape: expected whole numbers >= 0, found " + shapeNode);
            }
            shape[i] = d.asLong();
        }
        long count = Tensor.elements(shape);
        if (count < 0) {
            throw InferenceException.badRequest(where + ".shape: expected fewer than 2^31 elements, found "
                    + shapeNode);
        }
        return new Header(name, where, type, shape, count);
    }

    /** Each value takes a byte of the JSON at least: no array of a made-up size is allocated. */
    private static void checkCount(Header h, int jsonLength) {
        if (h.count > jsonLength) {
            throw InferenceException.badRequest(h.where + ": expected " + h.count + " values (shape "
                    + java.util.Arrays.toString(h.shape) + "), found fewer in its data");
        }
    }

    /** Collects the leaves of {@code data} (flat or nested), each checked against the datatype. */
    private static final class Flattener {
        private final String where;
        private final Datatype type;
        private final long count;
        final double[] numbers;
        final byte[][] bytes;
        int n;

        Flattener(String where, Datatype type, long count) {
            this.where = where;
            this.type = type;
            this.count = count;
            this.numbers = type == Datatype.BYTES ? null : new double[(int) count];
            this.bytes = type == Datatype.BYTES ? new byte[(int) count][] : null;
        }

        /** The leaves of a tree (data that came before the input's datatype or shape). */
        void add(JsonNode node) throws IOException {
            try (JsonParser p = node.traverse(MAPPER)) {
                p.nextToken();
                add(p);
            }
        }

        /** The leaves of the value the parser is on (its first token), the parser left on its last token. */
        void add(JsonParser p) throws IOException {
            int depth = 0;
            JsonToken t = p.currentToken();
            while (true) {
                if (t == JsonToken.START_ARRAY) {
                    depth++;
                } else if (t == JsonToken.END_ARRAY) {
                    depth--;
                } else {
                    leaf(p, t);
                }
                if (depth == 0) {
                    return;
                }
                t = p.nextToken();
            }
        }

        private void leaf(JsonParser p, JsonToken t) throws IOException {
            if (n >= count) {
                n++;
                throw InferenceException.badRequest(where + ": expected " + count + " values (its shape), found "
                        + "more");
            }
            switch (type) {
                case BOOL -> {
                    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                        throw wrong(p, "true or false");
                    }
                    numbers[n] = t == JsonToken.VALUE_TRUE ? 1 : 0;
                }
                case BYTES -> {
                    if (t != JsonToken.VALUE_STRING) {
                        throw wrong(p, "base64 text (of a PNG or JPEG file)");
                    }
                    try {
                        bytes[n] = Base64.getDecoder().decode(p.getText());
                    } catch (IllegalArgumentException e) {
                        throw InferenceException.badRequest(where + ", value " + n + ": expected base64 text (of a "
                                + "PNG or JPEG file), found text that is not base64 (" + e.getMessage() + ")");
                    }
                }
                default -> {
                    if (t == JsonToken.VALUE_NUMBER_INT) {
                        numbers[n] = p.getNumberType() == JsonParser.NumberType.INT ? p.getIntValue()
                                : p.getDoubleValue();
                    } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                        numbers[n] = p.getDoubleValue();
                    } else {
                        throw wrong(p, "a number");
                    }
                }
            }
            n++;
        }

        private InferenceException wrong(JsonParser p, String expected) throws IOException {
            return InferenceException.badRequest(where + ", value " + n + ": expected " + expected + " (datatype "
                    + type + "), found " + describe(p.readValueAsTree()));
        }
    }

    private static String describe(JsonNode node) {
        if (node == null) {
            return "null";
        }
        String s = node.toString();
        return kind(node) + " " + (s.length() > 40 ? s.substring(0, 37) + "..." : s);
    }

    private static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "none";
        }
        return switch (n.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "text";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String text(JsonNode n, String where) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw InferenceException.badRequest(where + ": expected text, found " + describe(n));
        }
        return n.textValue();
    }

    /** A parameters object: booleans, whole numbers (as Long), other numbers (Double) and text. */
    static Map<String, Object> parameters(JsonNode n, String where) {
        if (n == null || n.isNull()) {
            return Map.of();
        }
        if (!n.isObject()) {
            throw InferenceException.badRequest(where + ": expected an object, found " + kind(n));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            out.put(e.getKey(), v.isBoolean() ? (Object) v.booleanValue() : v.isIntegralNumber() ? (Object) v.asLong()
                    : v.isNumber() ? (Object) v.doubleValue() : v.isTextual() ? v.textValue() : v.toString());
        }
        return out;
    }

    /** Writes a response; outputs go binary when their parameters say {@code binary_data} or {@code allBinary}. */
    static Encoded writeResponse(InferResponse r, boolean allBinary) {
        ByteArrayOutputStream json = new ByteArrayOutputStream(256);
        List<byte[]> binaries = new ArrayList<>();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(json)) {
            g.writeStartObject();
            g.writeStringField("model_name", r.modelName());
            g.writeStringField("model_version", r.modelVersion());
            if (r.id() != null) {
                g.writeStringField("id", r.id());
            }
            g.writeArrayFieldStart("outputs");
            for (Tensor t : r.outputs()) {
                boolean binary = t.parameters().containsKey(BINARY_DATA) ? Tensor.flag(t.parameters(), BINARY_DATA)
                        : allBinary;
                g.writeStartObject();
                g.writeStringField("name", t.name());
                g.writeStringField("datatype", t.datatype().name());
                g.writeArrayFieldStart("shape");
                for (long d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                if (binary) {
                    byte[] raw = RawTensors.encode(t);
                    binaries.add(raw);
                    g.writeObjectFieldStart("parameters");
                    g.writeNumberField(BINARY_DATA_SIZE, raw.length);
                    g.writeEndObject();
                } else {
                    g.writeArrayFieldStart("data");
                    writeData(g, t);
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int jsonLength = json.size();
        for (byte[] b : binaries) {
            json.writeBytes(b);
        }
        return new Encoded(json.toByteArray(), jsonLength);
    }

    private static void writeData(JsonGenerator g, Tensor t) throws IOException {
        if (t.datatype() == Datatype.BYTES) {
            for (byte[] b : t.byteStrings()) {
                g.writeString(Base64.getEncoder().encodeToString(b));
            }
            return;
        }
        for (double v : t.numbers()) {
            if (t.datatype() == Datatype.BOOL) {
                g.writeBoolean(v != 0);
            } else if (t.datatype().isInteger()) {
                g.writeNumber((long) v);
            } else {
                g.writeNumber(v);
            }
        }
    }

    /** {@code {"error": message}}. */
    static byte[] error(String message) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("error", message);
        return bytes(n);
    }

    static byte[] bytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
