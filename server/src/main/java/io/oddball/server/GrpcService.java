package io.oddball.server;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.oddball.server.grpc.v2.GRPCInferenceServiceGrpc;
import io.oddball.server.grpc.v2.GrpcPredictV2.InferParameter;
import io.oddball.server.grpc.v2.GrpcPredictV2.InferTensorContents;
import io.oddball.server.grpc.v2.GrpcPredictV2.ModelInferRequest;
import io.oddball.server.grpc.v2.GrpcPredictV2.ModelInferResponse;
import io.oddball.server.grpc.v2.GrpcPredictV2.ModelMetadataRequest;
import io.oddball.server.grpc.v2.GrpcPredictV2.ModelMetadataResponse;
import io.oddball.server.grpc.v2.GrpcPredictV2.ModelReadyRequest;
import io.oddball.server.grpc.v2.GrpcPredictV2.ModelReadyResponse;
import io.oddball.server.grpc.v2.GrpcPredictV2.ServerLiveRequest;
import io.oddball.server.grpc.v2.GrpcPredictV2.ServerLiveResponse;
import io.oddball.server.grpc.v2.GrpcPredictV2.ServerMetadataRequest;
import io.oddball.server.grpc.v2.GrpcPredictV2.ServerMetadataResponse;
import io.oddball.server.grpc.v2.GrpcPredictV2.ServerReadyRequest;
import io.oddball.server.grpc.v2.GrpcPredictV2.ServerReadyResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The protocol's gRPC service ({@code inference.GRPCInferenceService}) over the {@link InferenceService}: typed
 * {@code contents} or {@code raw_input_contents} in; outputs in typed contents, or all in {@code raw_output_contents}
 * when the request came raw or asks for it ({@code binary_data_output}). Errors are gRPC statuses: 400 is
 * INVALID_ARGUMENT, 404 NOT_FOUND, 503 UNAVAILABLE, 500 INTERNAL, each with the one-line message.
 */
final class GrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    private final InferenceService service;
    private final ServerSettings settings;
    private final ServerMetrics metrics;

    GrpcService(InferenceService service, ServerSettings settings, ServerMetrics metrics) {
        this.service = service;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        answer(out, "", System.nanoTime(), () -> ServerLiveResponse.newBuilder().setLive(service.live()).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        answer(out, "", System.nanoTime(), () -> ServerReadyResponse.newBuilder().setReady(service.ready()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        answer(out, label(request.getName()), System.nanoTime(), () -> ModelReadyResponse.newBuilder()
                .setReady(service.modelReady(request.getName(), request.getVersion())).build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        answer(out, "", System.nanoTime(), () -> {
            InferenceService.ServerMetadata m = service.serverMetadata();
            return ServerMetadataResponse.newBuilder().setName(m.name()).setVersion(m.version())
                    .addAllExtensions(m.extensions()).build();
        });
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        answer(out, label(request.getName()), System.nanoTime(), () -> {
            ModelMetadata m = service.modelMetadata(request.getName(), request.getVersion());
            ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder().setName(m.name())
                    .addAllVersions(m.versions()).setPlatform(m.platform());
            for (ModelMetadata.TensorMetadata t : m.inputs()) {
                b.addInputs(tensorMetadata(t));
            }
            for (ModelMetadata.TensorMetadata t : m.outputs()) {
                b.addOutputs(tensorMetadata(t));
            }
            return b.build();
        });
    }

    private static ModelMetadataResponse.TensorMetadata tensorMetadata(ModelMetadata.TensorMetadata t) {
        ModelMetadataResponse.TensorMetadata.Builder b = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(t.name()).setDatatype(t.datatype().name());
        for (long d : t.shape()) {
            b.addShape(d);
        }
        return b.build();
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        long t0 = System.nanoTime();
        String model = label(request.getModelName());
        InferRequest req;
        try {
            req = fromProto(request);
        } catch (RuntimeException e) {
            fail(out, model, t0, InferenceException.of(e));
            return;
        }
        boolean raw = request.getRawInputContentsCount() > 0
                || Tensor.flag(req.parameters(), JsonCodec.BINARY_DATA_OUTPUT);
        service.infer(request.getModelName(), request.getModelVersion(), req).whenComplete((r, e) -> {
            if (e != null) {
                fail(out, model, t0, InferenceException.of(e));
                return;
            }
            out.onNext(toProto(r, raw));
            out.onCompleted();
            done(model, 200, t0);
        });
    }

    static InferRequest fromProto(ModelInferRequest r) {
        int raws = r.getRawInputContentsCount();
        if (raws > 0 && raws != r.getInputsCount()) {
            throw InferenceException.badRequest("raw_input_contents: expected one entry per input ("
                    + r.getInputsCount() + "), found " + raws);
        }
        List<Tensor> inputs = new ArrayList<>();
        for (int i = 0; i < r.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor in = r.getInputs(i);
            String where = "input '" + in.getName() + "'";
            Datatype type = Datatype.parse(in.getDatatype(), where + ".datatype");
            long[] shape = in.getShapeList().stream().mapToLong(Long::longValue).toArray();
            long count = Tensor.elements(shape);
            if (count < 0) {
                throw InferenceException.badRequest(where + ".shape: expected dimensions >= 0 and fewer than 2^31 "
                        + "elements, found " + in.getShapeList());
            }
            Map<String, Object> params = params(in.getParametersMap());
            if (raws > 0) {
                if (in.hasContents()) {
                    throw InferenceException.badRequest(where + ": expected raw_input_contents or contents, found "
                            + "both");
                }
                var raw = r.getRawInputContents(i).asReadOnlyByteBuffer();
                inputs.add(type == Datatype.BYTES
                        ? Tensor.bytes(in.getName(), shape, RawTensors.byteStrings(where, raw, count), params)
                        : Tensor.numeric(in.getName(), type, shape, RawTensors.numbers(where, type, raw, count),
                                params));
            } else {
                inputs.add(contents(where, in.getName(), type, shape, in.getContents(), params));
            }
        }
        List<InferRequest.RequestedOutput> outputs = new ArrayList<>();
        for (ModelInferRequest.InferRequestedOutputTensor o : r.getOutputsList()) {
            outputs.add(new InferRequest.RequestedOutput(o.getName(), params(o.getParametersMap())));
        }
        return new InferRequest(r.getId().isEmpty() ? null : r.getId(), inputs, outputs,
                params(r.getParametersMap()));
    }

    private static Tensor contents(String where, String name, Datatype type, long[] shape, InferTensorContents c,
            Map<String, Object> params) {
        if (type == Datatype.BYTES) {
            byte[][] b = new byte[c.getBytesContentsCount()][];
            for (int i = 0; i < b.length; i++) {
                b[i] = c.getBytesContents(i).toByteArray();
            }
            return Tensor.bytes(name, shape, b, params);
        }
        double[] v;
        switch (type) {
            case BOOL -> {
                v = new double[c.getBoolContentsCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = c.getBoolContents(i) ? 1 : 0;
                }
            }
            case INT8, INT16, INT32 -> v = c.getIntContentsList().stream().mapToDouble(Integer::doubleValue).toArray();
            case INT64 -> v = c.getInt64ContentsList().stream().mapToDouble(Long::doubleValue).toArray();
            case UINT8, UINT16, UINT32 -> v = c.getUintContentsList().stream()
                    .mapToDouble(x -> Integer.toUnsignedLong(x)).toArray();
            case UINT64 -> v = c.getUint64ContentsList().stream()
                    .mapToDouble(x -> Double.parseDouble(Long.toUnsignedString(x))).toArray();
            case FP32 -> {
                v = new double[c.getFp32ContentsCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = c.getFp32Contents(i);
                }
            }
            case FP64 -> v = c.getFp64ContentsList().stream().mapToDouble(Double::doubleValue).toArray();
            default -> throw InferenceException.badRequest(where + ": expected FP16 data in raw_input_contents (the "
                    + "protocol has no typed contents for it), found typed contents");
        }
        return Tensor.numeric(name, type, shape, v, params);
    }

    private static Map<String, Object> params(Map<String, InferParameter> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, p) -> out.put(k, switch (p.getParameterChoiceCase()) {
            case BOOL_PARAM -> p.getBoolParam();
            case INT64_PARAM -> p.getInt64Param();
            case STRING_PARAM -> p.getStringParam();
            default -> "";
        }));
        return out;
    }

    static ModelInferResponse toProto(InferResponse r, boolean raw) {
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder().setModelName(r.modelName())
                .setModelVersion(r.modelVersion());
        if (r.id() != null) {
            b.setId(r.id());
        }
        for (Tensor t : r.outputs()) {
            ModelInferResponse.InferOutputTensor.Builder o = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(t.name()).setDatatype(t.datatype().name());
            for (long d : t.shape()) {
                o.addShape(d);
            }
            if (raw) {
                b.addRawOutputContents(ByteString.copyFrom(RawTensors.encode(t)));
            } else {
                InferTensorContents.Builder c = InferTensorContents.newBuilder();
                for (double v : t.numbers()) {
                    if (t.datatype() == Datatype.BOOL) {
                        c.addBoolContents(v != 0);
                    } else {
                        c.addFp64Contents(v);
                    }
                }
                o.setContents(c);
            }
            b.addOutputs(o);
        }
        return b.build();
    }

    private String label(String name) {
        return service.repository().isKnown(name) ? name : "";
    }

    private <T> void answer(StreamObserver<T> out, String model, long t0, java.util.function.Supplier<T> call) {
        T value;
        try {
            value = call.get();
        } catch (RuntimeException e) {
            fail(out, model, t0, InferenceException.of(e));
            return;
        }
        out.onNext(value);
        out.onCompleted();
        done(model, 200, t0);
    }

    private void fail(StreamObserver<?> out, String model, long t0, InferenceException e) {
        Status s = switch (e.status()) {
            case BAD_REQUEST -> Status.INVALID_ARGUMENT;
            case NOT_FOUND -> Status.NOT_FOUND;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case INTERNAL -> Status.INTERNAL;
        };
        if (e.status() == InferenceException.Status.INTERNAL) {
            LoggerFactory.getLogger(GrpcService.class).error("gRPC: {}", e.getMessage(), e.getCause());
        }
        out.onError(s.withDescription(e.getMessage()).asRuntimeException());
        done(model, e.status().http(), t0);
    }

    private void done(String model, int status, long t0) {
        metrics.request(model, "grpc", status, t0);
        if (settings.accessLog()) {
            RestHandler.ACCESS.info("grpc {} {} {} ms", model, status, String.format(java.util.Locale.ROOT, "%.2f",
                    (System.nanoTime() - t0) / 1e6));
        }
    }
}
