package io.parallelix.node.daemon.http;

import io.parallelix.node.daemon.service.ChallengeSigner;
import io.parallelix.node.daemon.service.NodeStatus;
import io.parallelix.node.daemon.service.TaskService;
import java.util.Map;

/**
 * What a listener serves once the engine is ready: the task service, the node's status, the
 * challenge signer, and the wire form of each kind of task by the endpoint that takes it.
 */
public record Serving(
        TaskService tasks, NodeStatus status, ChallengeSigner challenges, Map<Endpoint, TaskEndpoint> taskEndpoints) {
    public Serving {
        taskEndpoints = Map.copyOf(taskEndpoints);
    }
}
