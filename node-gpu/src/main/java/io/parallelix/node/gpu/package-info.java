/**
 * The engine room: ONNX Runtime sessions on CUDA or CPU, the model repository with its pins,
 * warm-up and canary, input validation, deadlines and the canonical safetensors result. No HTTP,
 * no crypto. Entry: {@link io.parallelix.node.gpu.InferenceEngine} (opened from an
 * {@link io.parallelix.node.gpu.EngineConfig}), seen from above through the narrow
 * {@link io.parallelix.node.gpu.Engine} interface so the daemon's tests can use a fake.
 */
@NullMarked
package io.parallelix.node.gpu;

import org.jspecify.annotations.NullMarked;
