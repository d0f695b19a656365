package io.oddball.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonCodec() {
    }

    /** A response body: JSON, then (when {@code jsonLength < body.length}) the outputs' binary data. */
    record Encoded(byte[] body, int jsonLength) {
        boolean binary() {
            return jsonLength < body.length;
        }
    }

    /** Reads a request body; {@code jsonLength} is the header's value, or -1 when the body is all JSON. */
    static InferRequest readRequest(byte[] body, int jsonLength) {
        if (jsonLength > body.length || jsonLength < -1) {
            throw InferenceException.badRequest(HEADER_LENGTH + ": expected at most the body's " + body.length
                    + " bytes, found " + jsonLength);
        }
        int len = jsonLength < 0 ? body.length : jsonLength;
        JsonNode root = parse(body, len);
        if (!root.isObject()) {
            throw InferenceException.badRequest("request body: expected a JSON object, found " + kind(root));
        }
        String id = text(root.get("id"), "id");
        Map<String, Object> parameters = parameters(root.get("parameters"), "parameters");
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray()) {
            throw InferenceException.badRequest("inputs: expected an array of input tensors, found "
                    + kind(inputs));
        }
        ByteBuffer binary = ByteBuffer.wrap(body, len, body.length - len);
        List<Tensor> tensors = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            tensors.add(input(inputs.get(i), i, binary, len));
        }
        if (binary.hasRemaining()) {
            throw InferenceException.badRequest("request body: expected binary data only for inputs with "
                    + BINARY_DATA_SIZE + ", found " + binary.remaining() + " bytes more");
        }
        List<InferRequest.RequestedOutput> outputs = new ArrayList<>();
        JsonNode outs = root.get("outputs");
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

    private static JsonNode parse(byte[] body, int len) {
        if (len == 0) {
            throw InferenceException.badRequest("request body: expected a JSON object, found an empty body");
        }
        try {
            JsonNode n = MAPPER.readTree(body, 0, len);
            return n == null ? MAPPER.missingNode() : n;
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw InferenceException.badRequest("request body: expected JSON, found malformed JSON ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + (loc == null ? "" : " at line "
                    + loc.getLineNr() + ", column " + loc.getColumnNr()) + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Tensor input(JsonNode in, int index, ByteBuffer binary, int jsonLength) {
        String where = "inputs[" + index + "]";
        if (in == null || !in.isObject()) {
            throw InferenceException.badRequest(where + ": expected an object {name, shape, datatype, data}, found "
                    + kind(in));
        }
        String name = text(in.get("name"), where + ".name");
        if (name == null) {
            throw InferenceException.badRequest(where + ".name: expected a name, found none");
        }
        where = "input '" + name + "'";
        Datatype type = Datatype.parse(text(in.get("datatype"), where + ".datatype"), where + ".datatype");
        JsonNode shapeNode = in.get("shape");
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
        Map<String, Object> params = parameters(in.get("parameters"), where + ".parameters");
        Object size = params.get(BINARY_DATA_SIZE);
        if (size != null) {
            if (!(size instanceof Long n) || n < 0 || n > binary.remaining()) {
                throw InferenceException.badRequest(where + ".parameters." + BINARY_DATA_SIZE + ": expected a size "
                        + "within the " + binary.remaining() + " bytes of binary data left, found " + size);
            }
            ByteBuffer raw = binary.slice();
            raw.limit(n.intValue());
            binary.position(binary.position() + n.intValue());
            return type == Datatype.BYTES ? Tensor.bytes(name, shape, RawTensors.byteStrings(where, raw, count),
                    params) : Tensor.numeric(name, type, shape, RawTensors.numbers(where, type, raw, count), params);
        }
        JsonNode data = in.get("data");
        if (data == null) {
            throw InferenceException.badRequest(where + ".data: expected the tensor's values, found none");
        }
        if (count > jsonLength) { // each value takes a byte at least: no array of a made-up size
            throw InferenceException.badRequest(where + ": expected " + count + " values (shape "
                    + java.util.Arrays.toString(shape) + "), found fewer in its data");
        }
        Flattener f = new Flattener(where, type, count);
        f.add(data, 0);
        if (f.n != count) {
            throw InferenceException.badRequest(where + ": expected " + count + " values (shape "
                    + java.util.Arrays.toString(shape) + "), found " + f.n);
        }
        return type == Datatype.BYTES ? Tensor.bytes(name, shape, f.bytes, params)
                : Tensor.numeric(name, type, shape, f.numbers, params);
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

        void add(JsonNode node, int depth) {
            if (node.isArray()) {
                for (JsonNode c : node) {
                    add(c, depth + 1);
                }
                return;
            }
            if (n >= count) {
                n++;
                throw InferenceException.badRequest(where + ": expected " + count + " values (its shape), found "
                        + "more");
            }
            switch (type) {
                case BOOL -> {
                    if (!node.isBoolean()) {
                        throw wrong(node, "true or false");
                    }
                    numbers[n] = node.booleanValue() ? 1 : 0;
                }
                case BYTES -> {
                    if (!node.isTextual()) {
                        throw wrong(node, "base64 text (of a PNG or JPEG file)");
                    }
                    try {
                        bytes[n] = Base64.getDecoder().decode(node.textValue());
                    } catch (IllegalArgumentException e) {
                        throw InferenceException.badRequest(where + ", value " + n + ": expected base64 text (of a "
                                + "PNG or JPEG file), found text that is not base64 (" + e.getMessage() + ")");
                    }
                }
                default -> {
                    if (!node.isNumber()) {
                        throw wrong(node, "a number");
                    }
                    numbers[n] = node.doubleValue();
                }
            }
            n++;
        }

        private InferenceException wrong(JsonNode node, String expected) {
            return InferenceException.badRequest(where + ", value " + n + ": expected " + expected + " (datatype "
                    + type + "), found " + describe(node));
        }
    }

    private static String describe(JsonNode node) {
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
