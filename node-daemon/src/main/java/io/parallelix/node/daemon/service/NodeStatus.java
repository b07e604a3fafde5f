package io.parallelix.node.daemon.service;

import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.PoeVersion;
import io.parallelix.node.crypto.ProofOfExecution;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.protocol.Envelope;
import io.parallelix.node.daemon.protocol.ModelMetadata;
import io.parallelix.node.daemon.protocol.NodeDocument;
import io.parallelix.node.daemon.protocol.ServerMetadata;
import io.parallelix.node.gpu.Engine;
import io.parallelix.node.gpu.ModelInfo;
import io.parallelix.node.gpu.TensorSpec;
import java.util.Arrays;
import java.util.List;

/** Everything the node says about itself: health, readiness, metadata and identity. */
public final class NodeStatus {
    private final Engine engine;
    private final TaskService service;
    private final NodeDocument document;
    private final ServerMetadata server;

    public NodeStatus(Engine engine, TaskService service, NodeKey key, ResultSigner signer, String version) {
        this.engine = engine;
        this.service = service;
        this.server =
                new ServerMetadata("pxnode", version, List.of("binary_tensor_data", "pxnode_poe_v1", "pxnode_poe_v2"));
        this.document = new NodeDocument(
                key.nodeId().hex(),
                KeyFiles.publicKeyPem(key.publicKey()),
                signer.sigAlg().wireName(),
                ProofOfExecution.VERSION,
                Arrays.stream(PoeVersion.values()).map(PoeVersion::number).toList(),
                Envelope.RESULT_FORMAT,
                version,
                signer.providerDescription(),
                engine.fingerprint(),
                engine.models().stream()
                        .map(m -> new NodeDocument.Model(
                                m.name(), m.sha256(), m.provider(), m.deterministic(), m.ready()))
                        .toList());
    }

    /** Live as long as the process answers. */
    public boolean live() {
        return true;
    }

    /** Ready when every model is ready and the node is not draining. */
    public boolean ready() {
        return !service.draining() && engine.models().stream().allMatch(ModelInfo::ready);
    }

    public boolean modelReady(String name) {
        return !service.draining() && model(name).ready();
    }

    public ModelMetadata modelMetadata(String name) {
        ModelInfo m = model(name);
        return new ModelMetadata(
                m.name(),
                List.of("1"),
                "onnxruntime_onnx",
                tensors(m.inputs()),
                tensors(m.outputs()),
                m.sha256(),
                m.provider(),
                m.deterministic(),
                m.ready());
    }

    public List<ModelInfo> models() {
        return engine.models();
    }

    public NodeDocument document() {
        return document;
    }

    public ServerMetadata server() {
        return server;
    }

    /** The served model of that name; 404 otherwise. */
    public ModelInfo model(String name) {
        return engine.model(name).orElseThrow(() -> new ApiException.NotFound("unknown model '" + name + "'"));
    }

    private static List<ModelMetadata.Tensor> tensors(List<TensorSpec> specs) {
        return specs.stream()
                .map(s -> new ModelMetadata.Tensor(s.name(), s.datatype().oipName(), s.shape()))
                .toList();
    }
}
