package io.oddball.server;

import java.util.List;

/** An inference response: the model and version that answered, the request's id (or null) and the outputs. */
public record InferResponse(String modelName, String modelVersion, String id, List<Tensor> outputs) {
    public InferResponse {
        outputs = List.copyOf(outputs);
    }
}
