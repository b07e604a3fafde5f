#!/usr/bin/env python3
"""The node's CPU by part, from async-profiler's collapsed stacks (scripts/bench.sh profile with
BENCH_PROFILER=async): each sample goes to the first part whose frame is on its stack, in the order
below, so a signature made inside the service counts as signing. With the node's CPU per request
(µs, from /proc) as the second argument, it also prints µs per request per part.

  cpu_by_part.py STACKS.collapsed [CPU_US_PER_REQUEST]
"""
import collections
import sys

PARTS = [
    ("ONNX Runtime (run)", ("libonnxruntime", "OrtSession.run")),
    ("signing (PoE, signature, verify)", ("ResultSigner.sign", "ResultSigner.signChallenge")),
    ("JIT compiler", ("CompileBroker",)),
    ("GC", ("G1", "GCTaskThread", "WorkerThread::run", "ConcurrentGCThread")),
    ("tokenizer", ("tokenizers", "HuggingFaceTokenizer")),
    ("HTTP (Netty: sockets, codec, event loops)", ("io/netty",)),
    ("service (decode, validate, tensors, encode, JSON, metrics, log)", ("io/parallelix",)),
]


def main():
    path = sys.argv[1]
    per_request = float(sys.argv[2]) if len(sys.argv) > 2 else None
    parts, examples, total = collections.Counter(), collections.defaultdict(collections.Counter), 0
    for line in open(path):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        n = int(count)
        total += n
        part = "other (JVM, idle pools, ...)"
        for name, marks in PARTS:
            if any(m in stack for m in marks):
                part = name
                break
        parts[part] += n
        examples[part][stack.split(";")[-1][:100]] += n
    if not total:
        print("no samples")
        return
    print(f"{total} samples")
    print("| part | share | µs per request | top frames |")
    print("|---|---:|---:|---|")
    for part, n in parts.most_common():
        us = f"{per_request * n / total:,.0f}" if per_request else "–"
        top = ", ".join(f"{f} {100 * c / total:.1f}%" for f, c in examples[part].most_common(3))
        print(f"| {part} | {100 * n / total:.1f}% | {us} | {top} |")


if __name__ == "__main__":
    main()
