package io.oddball.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The request reader: the same tensors whatever the order of an input's fields, flat or nested data, binary parts. */
class JsonCodecTest {

    private static InferRequest read(String json) {
        return JsonCodec.readRequest(json.getBytes(StandardCharsets.UTF_8), -1);
    }

    @Test
    void readsTheSameValuesWhateverTheOrderOfTheFields() {
        String[] bodies = {
            "{\"id\": \"a\", \"inputs\": [{\"name\": \"x\", \"shape\": [2, 3], \"datatype\": \"FP32\","
                    + " \"data\": [1, 2.5, -3e2, 4, 5, 6]}]}",
            // data before the datatype and shape: read as a tree, flattened when the object ends
            "{\"inputs\": [{\"data\": [[1, 2.5, -3e2], [4, 5, 6]], \"name\": \"x\", \"datatype\": \"FP32\","
                    + " \"shape\": [2, 3]}], \"id\": \"a\"}",
            "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [2, 3], \"extra\": {\"k\": [1]},"
                    + " \"data\": [[[1], [2.5], [-300.0]], [[4], [5], [6]]]}], \"id\": \"a\", \"unknown\": [1, 2]}"};
        for (String body : bodies) {
            InferRequest r = read(body);
            assertThat(r.id()).as(body).isEqualTo("a");
            assertThat(r.inputs()).hasSize(1);
            Tensor t = r.inputs().get(0);
            assertThat(t.name()).isEqualTo("x");
            assertThat(t.shape()).containsExactly(2, 3);
            assertThat(t.numbers()).as(body).containsExactly(1, 2.5, -300, 4, 5, 6);
        }
    }

    @Test
    void readsBoolAndBytesAndLargeWholeNumbers() {
        InferRequest r = read("{\"inputs\": [{\"name\": \"b\", \"shape\": [2], \"datatype\": \"BOOL\", \"data\":"
                + " [true, false]}, {\"name\": \"s\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"aGk=\"]},"
                + " {\"name\": \"l\", \"shape\": [1], \"datatype\": \"INT64\", \"data\": [12345678901]}]}");
        assertThat(r.inputs().get(0).numbers()).containsExactly(1, 0);
        assertThat(new String(r.inputs().get(1).byteStrings()[0], StandardCharsets.UTF_8)).isEqualTo("hi");
        assertThat(r.inputs().get(2).numbers()).containsExactly(12345678901.0);
    }

    @Test
    void takesBinaryPartsInTheOrderOfTheInputsEvenWithParametersAfterTheData() {
        String json = "{\"inputs\": [{\"name\": \"a\", \"shape\": [2], \"datatype\": \"FP32\", \"parameters\":"
                + " {\"binary_data_size\": 8}}, {\"name\": \"b\", \"shape\": [1], \"datatype\": \"FP32\","
                + " \"data\": [7]}, {\"shape\": [1], \"datatype\": \"UINT8\", \"name\": \"c\", \"parameters\":"
                + " {\"binary_data_size\": 1}}]}";
        byte[] head = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(head.length + 9).order(ByteOrder.LITTLE_ENDIAN);
        body.put(head).putFloat(1.5f).putFloat(-2f).put((byte) 200);
        InferRequest r = JsonCodec.readRequest(body.array(), head.length);
        assertThat(r.inputs().get(0).numbers()).containsExactly(1.5, -2);
        assertThat(r.inputs().get(1).numbers()).containsExactly(7);
        assertThat(r.inputs().get(2).numbers()).containsExactly(200);
    }

    @Test
    void namesWhatIsWrongInOneLine() {
        String head = "{\"inputs\": [{\"name\": \"x\", \"shape\": [2], \"datatype\": ";
        String[][] cases = {
            {head + "\"FP32\", \"data\": [1, \"NaN\"]}]}", "input 'x', value 1: expected a number (datatype FP32), "
                    + "found text \"NaN\""},
            {head + "\"FP32\", \"data\": [1, {\"a\": 1}]}]}", "value 1: expected a number (datatype FP32), found an "
                    + "object {\"a\":1}"},
            {head + "\"FP32\", \"data\": [1, null]}]}", "value 1: expected a number (datatype FP32), found"},
            {head + "\"FP32\", \"data\": [1, 2, 3]}]}", "input 'x': expected 2 values (its shape), found more"},
            {head + "\"FP32\", \"data\": [1]}]}", "input 'x': expected 2 values (shape [2]), found 1"},
            {"{\"inputs\": [{\"data\": [1, true], \"name\": \"x\", \"shape\": [2], \"datatype\": \"FP32\"}]}",
                "input 'x', value 1: expected a number (datatype FP32), found a boolean true"},
            {head + "\"BOOL\", \"data\": [1, 0]}]}", "value 0: expected true or false (datatype BOOL)"},
            {head + "\"FP32\"}]}", "input 'x'.data: expected the tensor's values, found none"},
            {"{\"inputs\": [{\"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}",
                "inputs[0].name: expected a name, found none"},
            {"{\"inputs\": [3]}", "inputs[0]: expected an object {name, shape, datatype, data}, found a number"},
            {"{\"inputs\": {\"a\": 1}}", "inputs: expected an array of input tensors, found an object"},
            {"[1, 2]", "request body: expected a JSON object, found an array"},
            {"{\"inputs\": [{\"name\": \"x\", \"shape\": [100000], \"datatype\": \"FP32\", \"data\": [1]}]}",
                "input 'x': expected 100000 values (shape [100000]), found fewer in its data"},
            {"{\"inputs\": [{\"name\": \"x\", \"shape\": [2, -1], \"datatype\": \"FP32\", \"data\": [1]}]}",
                "input 'x'.shape: expected whole numbers >= 0, found [2,-1]"},
            {"{\"inputs\": [", "request body: expected JSON, found malformed JSON"},
            {"{\"inputs\": [{\"name\": \"x\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [\"aGk=\"],"
                    + " \"datatype\": \"FP32\"}]}", "inputs[0].datatype: expected it once, before the data, found it "
                    + "again after the data"}};
        for (String[] c : cases) {
            assertThatThrownBy(() -> read(c[0])).as(c[0]).isInstanceOf(InferenceException.class)
                    .hasMessageContaining(c[1]).satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }
}
