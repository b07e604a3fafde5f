#!/usr/bin/env python3
"""Greedy generation from a generated test decoder, recomputed WITHOUT a key/value cache.

An independent reference for the node's cached decode loop (node-gpu's decoder tests): Python 3 and
numpy only, none of the project's code, no ONNX. It reads the model directory the tests wrote:
config.json (Hugging Face GPT2Config or LlamaConfig keys) and reference_weights.npz (the weights
under HF's state-dict names and layouts: GPT-2's Conv1D [in, out], Llama's nn.Linear [out, in]),
and follows HF's modeling_gpt2 / modeling_llama in float64. At every step it runs the whole
sequence so far through full causal attention, takes the last position's logits and appends the
greedy token (ties to the lowest id, which numpy's argmax gives).

  decoder_reference.py MODEL_DIR STEPS PROMPT [PROMPT ...] [--kv-fp16]

PROMPT is comma-separated token ids, e.g. 1,2,3. --kv-fp16 rounds every key and value to IEEE
half precision before attention, as a model whose cache is FLOAT16 stores them. Prints JSON:
{"results": [{"prompt": [...], "tokens": [...], "logits": [[...vocab...] per step]}]}.
"""
import json
import math
import os
import sys

import numpy as np


def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def rms_norm(x, w, eps):
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * w


def gelu_new(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def attend(q, k, v, kv_fp16):
    """q [heads, n, d], k and v [kv_heads, n, d]: causal attention, HF's repeat_kv for fewer kv heads."""
    if kv_fp16:
        k = k.astype(np.float16).astype(np.float64)
        v = v.astype(np.float16).astype(np.float64)
    groups = q.shape[0] // k.shape[0]
    k = np.repeat(k, groups, axis=0)
    v = np.repeat(v, groups, axis=0)
    n, d = q.shape[1], q.shape[2]
    scores = q @ k.transpose(0, 2, 1) / math.sqrt(d)
    scores = np.where(np.tril(np.ones((n, n), dtype=bool)), scores, -np.inf)
    return softmax(scores) @ v


def split_heads(x, heads):
    n, width = x.shape
    return x.reshape(n, heads, width // heads).transpose(1, 0, 2)


def merge_heads(x):
    heads, n, d = x.shape
    return x.transpose(1, 0, 2).reshape(n, heads * d)


def gpt2_logits(c, w, ids, kv_fp16):
    heads = c["n_head"]
    eps = c["layer_norm_epsilon"]
    x = w["transformer.wte.weight"][ids] + w["transformer.wpe.weight"][np.arange(len(ids))]
    for i in range(c["n_layer"]):
        p = f"transformer.h.{i}."
        h = layer_norm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = h @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        q, k, v = np.split(qkv, 3, axis=-1)
        a = attend(split_heads(q, heads), split_heads(k, heads), split_heads(v, heads), kv_fp16)
        x = x + merge_heads(a) @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        h = layer_norm(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        m = gelu_new(h @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        x = x + m @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
    x = layer_norm(x, w["transformer.ln_f.weight"], w["transformer.ln_f.bias"], eps)
    head = w["transformer.wte.weight"] if c.get("tie_word_embeddings", True) else w["lm_head.weight"]
    return x @ head.T


def rotate_half(x):
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], axis=-1)


def llama_logits(c, w, ids, kv_fp16):
    heads = c["num_attention_heads"]
    kv_heads = c.get("num_key_value_heads", heads)
    dim = c.get("head_dim") or c["hidden_size"] // heads
    eps = c["rms_norm_eps"]
    # HF's default rotary embedding: inv_freq in float32, as LlamaRotaryEmbedding computes it
    inv_freq = (1.0 / (c["rope_theta"] ** (np.arange(0, dim, 2, dtype=np.float32) / dim))).astype(np.float32)
    angles = np.arange(len(ids), dtype=np.float64)[:, None] * inv_freq.astype(np.float64)[None, :]
    emb = np.concatenate([angles, angles], axis=-1)
    cos, sin = np.cos(emb), np.sin(emb)
    x = w["model.embed_tokens.weight"][ids]
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = split_heads(h @ w[p + "self_attn.q_proj.weight"].T, heads)
        k = split_heads(h @ w[p + "self_attn.k_proj.weight"].T, kv_heads)
        v = split_heads(h @ w[p + "self_attn.v_proj.weight"].T, kv_heads)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        x = x + merge_heads(attend(q, k, v, kv_fp16)) @ w[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = h @ w[p + "mlp.gate_proj.weight"].T
        up = h @ w[p + "mlp.up_proj.weight"].T
        x = x + (gate / (1.0 + np.exp(-gate)) * up) @ w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if c.get("tie_word_embeddings", False) else w["lm_head.weight"]
    return x @ head.T


def main(argv):
    kv_fp16 = "--kv-fp16" in argv
    args = [a for a in argv if a != "--kv-fp16"]
    if len(args) < 3:
        sys.exit(__doc__)
    model_dir, steps, prompts = args[0], int(args[1]), [[int(t) for t in p.split(",")] for p in args[2:]]
    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    with np.load(os.path.join(model_dir, "reference_weights.npz")) as npz:
        weights = {name: npz[name].astype(np.float64) for name in npz.files}
    forward = {"gpt2": gpt2_logits, "llama": llama_logits}.get(config["model_type"])
    if forward is None:
        sys.exit(f"model_type {config['model_type']!r} is neither gpt2 nor llama")
    results = []
    for prompt in prompts:
        ids, tokens, logits = list(prompt), [], []
        for _ in range(steps):
            last = forward(config, weights, np.array(ids), kv_fp16)[-1]
            token = int(np.argmax(last))
            logits.append([float(v) for v in last])
            tokens.append(token)
            ids.append(token)
        results.append({"prompt": prompt, "tokens": tokens, "logits": logits})
    json.dump({"results": results}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
