#!/usr/bin/env python3
"""Independent reference for the sampling pipeline of docs/generation.md (Python 3 + numpy only,
none of the project's code). It recomputes every value in a vector file and reports each mismatch.

    python3 scripts/sampling_reference.py docs/test-vectors/sampling-v1.json

Exit status 0 when every vector reproduces exactly, 1 with one line per mismatch otherwise, 2 on
bad usage. Deliberately written another way than the Java code: the candidates are fully sorted
(numpy lexsort) instead of partitioned, exp runs on every token (no cut-off), the random source is
plain Python integers, and top-p's threshold is an exact Fraction.
"""
import hashlib
import json
import struct
import sys
from collections import Counter
from fractions import Fraction
from math import ceil

import numpy as np

U32 = 0xFFFFFFFF
U64 = 0xFFFFFFFFFFFFFFFF

# Random123's published known answers for philox4x32_10 (counter, key, output).
RANDOM123_KAT = [
    ((0, 0, 0, 0), (0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
    ((U32,) * 4, (U32, U32), (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
    ((0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), (0xA4093822, 0x299F31D0),
     (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1)),
]


def philox4x32_10(counter, key):
    x0, x1, x2, x3 = counter
    k0, k1 = key
    for rnd in range(10):
        if rnd:
            k0 = (k0 + 0x9E3779B9) & U32
            k1 = (k1 + 0xBB67AE85) & U32
        p0 = 0xD2511F53 * x0
        p1 = 0xCD9E8D57 * x2
        x0, x1, x2, x3 = (p1 >> 32) ^ x1 ^ k0, p1 & U32, (p0 >> 32) ^ x3 ^ k1, p0 & U32
    return x0, x1, x2, x3


def uniform53(seed, choice, step):
    key = seed & U64
    domain = b"pxsampv1"
    counter = (step, choice, int.from_bytes(domain[0:4], "little"), int.from_bytes(domain[4:8], "little"))
    x = philox4x32_10(counter, (key & U32, key >> 32))
    return (x[0] << 21) | (x[1] >> 11)


def bits_to_double(bits):
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def double_to_bits(d):
    return struct.unpack("<Q", struct.pack("<d", d))[0]


INV_LN2 = bits_to_double(0x3FF71547652B82FE)
LN2_HI = bits_to_double(0x3FE62E42FEE00000)
LN2_LO = bits_to_double(0x3DEA39EF35793C76)
SQRT2 = bits_to_double(0x3FF6A09E667F3BCD)
EXP_C = [float(Fraction(1, f)) for f in (1, 1, 2, 6, 24, 120, 720, 5040, 40320, 362880, 3628800, 39916800, 479001600)]
LN_C = [float(Fraction(1, 2 * k + 1)) for k in range(11)]


def exp_px(x):
    """docs/generation.md exp_px, elementwise over a float64 array of values <= 0 (or -inf)."""
    x = np.asarray(x, dtype=np.float64)
    out = np.zeros_like(x)
    live = x >= -708.0
    v = x[live]
    n = np.rint(v * INV_LN2)
    r = (v - n * LN2_HI) - n * LN2_LO
    p = np.full_like(r, EXP_C[12])
    for c in reversed(EXP_C[:12]):
        p = p * r + c
    out[live] = np.ldexp(p, n.astype(np.int32))
    return out


EXPW_TABLE = None


def expw(x):
    """docs/generation.md expw, elementwise: T[k] * P(r) for x >= -32, exp_px below."""
    global EXPW_TABLE
    if EXPW_TABLE is None:
        EXPW_TABLE = exp_px(-np.arange(2049, dtype=np.float64) * 2.0 ** -6)
    x = np.asarray(x, dtype=np.float64)
    out = exp_px(np.where(x >= -32.0, -1000.0, x))
    near = x >= -32.0
    v = x[near]
    t = np.rint(v * 64.0)
    r = v - t * 2.0 ** -6
    p = np.full_like(r, EXP_C[6])
    for c in reversed(EXP_C[:6]):
        p = p * r + c
    out[near] = EXPW_TABLE[(-t).astype(np.int64)] * p
    return out


def ln_px(y):
    """docs/generation.md ln_px for one finite double y >= 1."""
    bits = double_to_bits(y)
    e = (bits >> 52) - 1023
    m = bits_to_double((bits & ((1 << 52) - 1)) | (1023 << 52))
    if m > SQRT2:
        m = m * 0.5
        e = e + 1
    f = m - 1.0
    s = f / (2.0 + f)
    z = s * s
    p = LN_C[10]
    for c in reversed(LN_C[:10]):
        p = p * z + c
    de = float(e)
    return de * LN2_HI + (de * LN2_LO + (2.0 * s) * p)


def seed_from_request_id(request_id):
    digest = hashlib.sha256(b"pxnode-seed-v1\0" + request_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def number(v):
    return float(v) if isinstance(v, str) else v


def logits_of(spec):
    if "values" in spec:
        return np.array([number(v) for v in spec["values"]], dtype=np.float32)
    h = spec["hashed"]
    ids = np.arange(h["vocab"], dtype=np.uint64)
    v = ((ids * np.uint64(h["mul"]) + np.uint64(h["add"])) & np.uint64(U32)) >> np.uint64(8)
    out = ((v.astype(np.int64) - (1 << 23)).astype(np.float64) * 2.0 ** h["scale_log2"]).astype(np.float32)
    for token, logit in h["peaks"]:
        out[token] = np.float32(logit)
    return out


def penalise(z, prompt, generated, p):
    counts = Counter(generated)
    for t in sorted(set(prompt) | set(generated)):
        v = float(z[t])
        if p["repetition_penalty"] != 1.0:
            v = v / p["repetition_penalty"] if v > 0 else v * p["repetition_penalty"]
        c = counts[t]
        if c > 0:
            if p["frequency_penalty"] != 0.0:
                v = v - c * p["frequency_penalty"]
            if p["presence_penalty"] != 0.0:
                v = v - p["presence_penalty"]
        z[t] = v


def ceil_mul(fraction, integer):
    return ceil(Fraction(fraction) * integer)


def sample(case):
    """Returns (token, draw details or None, logprob details or None) for one vector."""
    logits = logits_of(case["logits"])
    p = case["params"]
    z = logits.astype(np.float64)
    penalise(z, case["prompt"], case["generated"], p)
    if p["temperature"] == 0:
        token, draw = int(np.argmax(z)), None
    else:
        x = (z - z.max()) / p["temperature"]
        w = np.floor(expw(x) * 2.0 ** 42).astype(np.int64)
        ids = np.nonzero(w > 0)[0]
        order = ids[np.lexsort((ids, -w[ids]))]
        if p["top_k"] > 0:
            order = order[: p["top_k"]]
        if p["top_p"] < 1.0:
            cum = np.cumsum(w[order])
            need = ceil_mul(p["top_p"], int(cum[-1]))
            order = order[: int(np.searchsorted(cum, need, side="left")) + 1]
        if p["min_p"] > 0.0:
            floor = ceil_mul(p["min_p"], int(w[order[0]]))
            order = order[w[order] >= floor]
        cum = np.cumsum(w[order])
        total = int(cum[-1])
        u = uniform53(p["seed"], case["choice"], case["step"])
        target = (u * total) >> 53
        token = int(order[int(np.searchsorted(cum, target, side="right"))])
        draw = {"kept": len(order), "total_weight": total, "u53": u, "target": target}
    lp = None
    if p["logprobs"]:
        big = float(logits.max())
        d = logits.astype(np.float64) - big
        s = 0.0
        for e in expw(d).tolist():  # left to right, token id ascending
            s += e
        lse = ln_px(s)
        finite = np.nonzero(np.isfinite(logits))[0]
        ranked = finite[np.lexsort((finite, -logits[finite]))][: p["top_logprobs"]]
        lp = {"logprob": float(d[token]) - lse, "top_logprobs": [[int(t), float(d[t]) - lse] for t in ranked]}
    return token, draw, lp


def check(vectors):
    bad = []

    def expect(what, got, want):
        if got != want or type(got) is not type(want):
            bad.append(f"{what}: reference {got!r}, file {want!r}")

    for counter, key, output in RANDOM123_KAT:
        expect(f"philox4x32_10{counter}{key} (Random123 known answer)", philox4x32_10(counter, key), output)
    for v in vectors["philox4x32_10"]:
        words = lambda xs: tuple(int(w, 16) for w in xs)
        got = philox4x32_10(words(v["counter"]), words(v["key"]))
        expect(f"philox4x32_10 {v['counter']} {v['key']}", got, words(v["output"]))
    for v in vectors["uniform53"]:
        expect(f"uniform53 {v['seed']}/{v['choice']}/{v['step']}", uniform53(v["seed"], v["choice"], v["step"]),
               v["u53"])
    for v in vectors["exp_px"]:
        got = float(exp_px(np.array([number(v["x"])]))[0])
        expect(f"exp_px({v['x']})", double_to_bits(got), double_to_bits(float(v["y"])))
    for v in vectors["expw"]:
        got = float(expw(np.array([number(v["x"])]))[0])
        expect(f"expw({v['x']})", double_to_bits(got), double_to_bits(float(v["y"])))
    for v in vectors["ln_px"]:
        expect(f"ln_px({v['y']})", double_to_bits(ln_px(v["y"])), double_to_bits(float(v["ln"])))
    for v in vectors["seed_from_request_id"]:
        expect(f"seed_from_request_id({v['request_id']!r})", seed_from_request_id(v["request_id"]), v["seed"])
    for case in vectors["cases"]:
        token, draw, lp = sample(case)
        want = case["expect"]
        name = case["name"]
        expect(f"{name}: token", token, want["token"])
        if draw is not None:
            for k in ("kept", "total_weight", "u53", "target"):
                expect(f"{name}: {k}", draw[k], want.get(k))
        elif "u53" in want:
            bad.append(f"{name}: the file has a draw for a greedy case")
        if lp is not None:
            expect(f"{name}: logprob", lp["logprob"], want.get("logprob"))
            expect(f"{name}: top_logprobs", lp["top_logprobs"], want.get("top_logprobs"))
        elif "logprob" in want:
            bad.append(f"{name}: the file has logprobs that were not asked for")
    return bad


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        vectors = json.load(f)
    bad = check(vectors)
    for line in bad:
        print("MISMATCH " + line)
    cases = len(vectors["cases"])
    if bad:
        print(f"{len(bad)} mismatches over {cases} cases", file=sys.stderr)
        return 1
    print(f"ok: {cases} cases, {len(vectors['uniform53'])} uniforms, {len(vectors['exp_px'])} exp_px, "
          f"{len(vectors['expw'])} expw, "
          f"{len(vectors['ln_px'])} ln_px, {len(vectors['seed_from_request_id'])} seeds, Random123 known answers")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
