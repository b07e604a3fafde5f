package io.parallelix.node.daemon.task;

import io.parallelix.node.daemon.protocol.DecodedRequest;
import io.parallelix.node.daemon.protocol.Envelope;
import io.parallelix.node.daemon.service.TaskContext;
import io.parallelix.node.daemon.service.TaskOutput;
import io.parallelix.node.daemon.service.TaskRunner;
import io.parallelix.node.gpu.Engine;
import io.parallelix.node.gpu.InferenceException;
import io.parallelix.node.gpu.InferenceRequest;
import io.parallelix.node.gpu.InferenceResult;

/** The OIP tensor task: one whole engine run whose result is the canonical safetensors file. */
public final class TensorRunner implements TaskRunner<DecodedRequest> {
    private final Engine engine;

    public TensorRunner(Engine engine) {
        this.engine = engine;
    }

    @Override
    public boolean answersWhole() {
        return true;
    }

    @Override
    public TaskOutput run(DecodedRequest task, TaskContext context) throws InferenceException {
        InferenceResult r = engine.infer(new InferenceRequest(
                task.requestId(),
                context.model().name(),
                task.inputs(),
                task.outputs(),
                context.deadline(),
                context.runtime().metadata()));
        return new TaskOutput(
                r.safetensors(),
                Envelope.RESULT_FORMAT,
                r.modelSha256(),
                r.inputsSha256(),
                new TaskOutput.EngineNanos(r.waitNanos(), r.tensorNanos(), r.runNanos(), r.encodeNanos()));
    }
}
