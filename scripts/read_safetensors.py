#!/usr/bin/env python3
"""Independent reader for pxnode's canonical safetensors results (used by node-gpu's
SafetensorsPythonReaderTest; needs only numpy).

Usage: read_safetensors.py FILE...   prints one JSON object per file:
  {"metadata": {...}, "tensors": {name: {"dtype": .., "shape": [..], "values": [..]}}}
BYTES tensors (U8 named by an "oip_bytes:<name>" metadata key) are decoded to strings and given
their real shape. The canonical form is checked on the way (exit 1 with a message if not):
8-byte little-endian header length, header JSON with sorted keys and no whitespace, padded with
spaces to a multiple of 8, tensors in name order with contiguous data offsets.
"""
import json
import struct
import sys

import numpy as np

DTYPES = {"BOOL": "|b1", "U8": "|u1", "I8": "|i1", "I16": "<i2", "I32": "<i4", "I64": "<i8",
          "F16": "<f2", "F32": "<f4", "F64": "<f8"}


def fail(message):
    sys.stderr.write("not canonical: " + message + "\n")
    sys.exit(1)


def code_point_key(s):
    return s.encode("utf-8")


def read(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    if (8 + n) % 8:
        fail("8 + header length %d is not a multiple of 8" % n)
    text = raw[8:8 + n].decode("utf-8")
    body = text.rstrip(" ")
    if len(text) - len(body) >= 8:
        fail("more padding than needed")
    header = json.loads(body)
    keys = sorted(header, key=code_point_key)
    canonical = json.dumps({k: header[k] for k in keys}, separators=(",", ":"), ensure_ascii=False, sort_keys=False)
    if canonical != body:
        fail("header differs from its sorted, whitespace-free form")
    data = raw[8 + n:]
    meta = header.pop("__metadata__", {})
    out = {"metadata": meta, "tensors": {}}
    offset = 0
    for name in sorted(header, key=code_point_key):
        t = header[name]
        if list(t) != ["data_offsets", "dtype", "shape"]:
            fail("tensor %r keys %r" % (name, list(t)))
        begin, end = t["data_offsets"]
        if begin != offset:
            fail("tensor %r starts at %d, expected %d" % (name, begin, offset))
        offset = end
        chunk = data[begin:end]
        shape = t["shape"]
        if t["dtype"] == "BF16":
            array = (np.frombuffer(chunk, dtype="<u2").astype("<u4") << 16).view("<f4")
        else:
            array = np.frombuffer(chunk, dtype=DTYPES[t["dtype"]])
        shape_key = "oip_bytes:" + name
        if shape_key in meta:
            shape = json.loads(meta[shape_key])
            values, i = [], 0
            while i < len(chunk):
                (length,) = struct.unpack("<I", chunk[i:i + 4])
                values.append(chunk[i + 4:i + 4 + length].decode("utf-8"))
                i += 4 + length
        else:
            values = array.reshape(shape).flatten().tolist()
            if int(np.prod(shape)) != len(values):
                fail("tensor %r has %d values for shape %r" % (name, len(values), shape))
        out["tensors"][name] = {"dtype": t["dtype"], "shape": shape, "values": values}
    if offset != len(data):
        fail("data is %d bytes, tensors cover %d" % (len(data), offset))
    return out


if __name__ == "__main__":
    for p in sys.argv[1:]:
        print(json.dumps(read(p), ensure_ascii=False))
