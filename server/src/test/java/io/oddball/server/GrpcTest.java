package io.oddball.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.oddball.runtime.pipeline.Pipeline;
import io.oddball.server.grpc.v2.GRPCInferenceServiceGrpc;
import io.oddball.server.grpc.v2.GrpcPredictV2.InferTensorContents;
import io.oddball.server.grpc.v2.GrpcPredictV2.ModelInferRequest;
import io.oddball.server.grpc.v2.GrpcPredictV2.ModelInferResponse;
import io.oddball.server.grpc.v2.GrpcPredictV2.ModelMetadataRequest;
import io.oddball.server.grpc.v2.GrpcPredictV2.ModelReadyRequest;
import io.oddball.server.grpc.v2.GrpcPredictV2.ServerLiveRequest;
import io.oddball.server.grpc.v2.GrpcPredictV2.ServerMetadataRequest;
import io.oddball.server.grpc.v2.GrpcPredictV2.ServerReadyRequest;
import io.oddball.tf.testing.Floats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The gRPC front door with a grpc-java stub: every method, typed and raw contents, the error statuses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcTest {
    TestModels models;
    OddballServer server;
    ManagedChannel channel;
    GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;
    Pipeline knn;
    Pipeline ae;

    @BeforeAll
    void start() {
        models = TestModels.get();
        server = OddballServer.start(models.oddball, TestModels.CTX, List.of(new ModelSpec("knn", models.knn),
                new ModelSpec("ae", models.ae)), ServerSettings.ephemeral());
        assertThat(server.awaitLoaded()).isEmpty();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        knn = models.oddball.load(models.knn, TestModels.CTX);
        ae = models.oddball.load(models.ae, TestModels.CTX);
    }

    @AfterAll
    void stop() {
        channel.shutdownNow();
        server.close();
        knn.close();
        ae.close();
    }

    static ModelInferRequest.InferInputTensor.Builder input(String type, int n) {
        return ModelInferRequest.InferInputTensor.newBuilder().setName("input-0").setDatatype(type)
                .addAllShape(List.of((long) n, 28L, 28L, 1L));
    }

    @Test
    void healthAndMetadata() {
        assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("knn").build()).getReady()).isTrue();
        assertThat(stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getExtensionsList())
                .contains("binary_tensor_data");
        var meta = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("ae").build());
        assertThat(meta.getPlatform()).isEqualTo("oddball_ae");
        assertThat(meta.getInputs(0).getShapeList()).containsExactly(-1L, 28L, 28L, 1L);
        assertThatThrownBy(() -> stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("nope").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(e.getStatus().getDescription()).contains("model 'nope'");
                });
    }

    @Test
    void typedAndRawContentsScoreAsDirectly() {
        float[] rows = TestModels.images(TestModels.FASHION, 1000, 3);
        float[] expected = knn.score(TestModels.batch(rows)).instanceScores();
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        for (float v : rows) {
            c.addUintContents((int) v);
        }
        ModelInferResponse typed = stub.modelInfer(ModelInferRequest.newBuilder().setModelName("knn").setId("t1")
                .addInputs(input("UINT8", 3).setContents(c)).build());
        assertThat(typed.getId()).isEqualTo("t1");
        assertThat(typed.getOutputs(0).getName()).isEqualTo("instance_score");
        float[] got = new float[3];
        for (int i = 0; i < 3; i++) {
            got[i] = (float) typed.getOutputs(0).getContents().getFp64Contents(i);
            assertThat(typed.getOutputs(1).getContents().getBoolContents(i)).isEqualTo(expected[i] > knn.threshold());
        }
        Floats.assertClose("typed", got, expected);

        ByteBuffer raw = ByteBuffer.allocate(rows.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : rows) {
            raw.putFloat(v);
        }
        ModelInferResponse r = stub.modelInfer(ModelInferRequest.newBuilder().setModelName("knn")
                .addInputs(input("FP32", 3)).addRawInputContents(ByteString.copyFrom(raw.array())).build());
        assertThat(r.getRawOutputContentsCount()).isEqualTo(2);
        ByteBuffer s = r.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 3; i++) {
            got[i] = (float) s.getDouble();
        }
        Floats.assertClose("raw", got, expected);
    }

    @Test
    void aeFeatureScoresAndImageBytes() throws Exception {
        float[] rows = TestModels.images(TestModels.MNIST, 1700, 2);
        var expected = ae.score(TestModels.batch(rows));
        ModelInferResponse r = stub.modelInfer(ModelInferRequest.newBuilder().setModelName("ae")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("img").setDatatype("BYTES")
                        .addShape(2).setContents(InferTensorContents.newBuilder()
                                .addBytesContents(ByteString.copyFrom(ServerTest.png(rows, 0)))
                                .addBytesContents(ByteString.copyFrom(ServerTest.png(rows, 1)))))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("feature_score"))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("instance_score"))
                .build());
        assertThat(r.getOutputs(0).getShapeList()).containsExactly(2L, 28L, 28L, 1L);
        float[] fs = new float[r.getOutputs(0).getContents().getFp64ContentsCount()];
        for (int i = 0; i < fs.length; i++) {
            fs[i] = (float) r.getOutputs(0).getContents().getFp64Contents(i);
        }
        Floats.assertClose("feature scores", fs, expected.featureScores());
    }

    @Test
    void badRequestsAreInvalidArgumentAndUnknownModelsNotFound() {
        var wrongShape = ModelInferRequest.newBuilder().setModelName("knn").addInputs(input("FP32", 1)
                .setContents(InferTensorContents.newBuilder().addFp32Contents(1f))).build();
        assertThatThrownBy(() -> stub.modelInfer(wrongShape)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("expected 784 values", "found 1");
                });
        var rawMismatch = ModelInferRequest.newBuilder().setModelName("knn").addInputs(input("FP32", 1))
                .addRawInputContents(ByteString.copyFrom(new byte[10])).build();
        assertThatThrownBy(() -> stub.modelInfer(rawMismatch)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getDescription()).contains("3136 bytes of raw data", "found 10"));
        var unknown = ModelInferRequest.newBuilder().setModelName("nope").addInputs(input("FP32", 1)).build();
        assertThatThrownBy(() -> stub.modelInfer(unknown)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
        assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    }
}
