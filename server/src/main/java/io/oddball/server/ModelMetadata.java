package io.oddball.server;

import java.util.List;

/** A model's metadata in the protocol's terms: versions, platform and the tensors it takes and gives. */
public record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
        List<TensorMetadata> outputs) {
    /** A tensor's name, datatype and shape ({@code -1}: any size). */
    public record TensorMetadata(String name, Datatype datatype, long[] shape) {
    }
}
