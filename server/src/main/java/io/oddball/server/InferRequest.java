package io.oddball.server;

import java.util.List;
import java.util.Map;

/**
 * An inference request of the Open Inference Protocol: an optional id (echoed), the input tensors, the outputs asked
 * for (empty: the defaults) and request parameters.
 */
public record InferRequest(String id, List<Tensor> inputs, List<RequestedOutput> outputs,
        Map<String, Object> parameters) {
    public InferRequest {
        inputs = List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        parameters = parameters == null ? Map.of() : parameters;
    }

    /** An output asked for by name, with its parameters (e.g. {@code binary_data}). */
    public record RequestedOutput(String name, Map<String, Object> parameters) {
        public RequestedOutput {
            parameters = parameters == null ? Map.of() : parameters;
        }
    }
}
