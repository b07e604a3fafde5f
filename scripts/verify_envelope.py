#!/usr/bin/env python3
"""Reference coordinator verifier for pxnode result envelopes (Proof-of-Execution v1).

Independent of pxnode's own code: Python, pyca/cryptography, hashlib and numpy only. It states the
protocol of docs/protocol.md a second time, in another language, so that the two can be checked
against each other.

  verify_envelope.py ENVELOPE.json --public-key KEY [--print-tensors]
      ENVELOPE.json: the node's envelope ("-" reads stdin). KEY: the node's public key as
      "PUBLIC KEY" PEM, or an identity document (JSON) with a "public_key" PEM field.
      Prints "valid" and exits 0, or "invalid: <check>: <detail>" and exits 1. With
      --print-tensors, a valid envelope's safetensors result is decoded and printed as one JSON
      object after the verdict line: {"tensors": {name: {"dtype", "shape", "data"}}, "metadata"}.

  verify_envelope.py --body BODY --headers HEADERS --public-key KEY [--request-id ID] [--print-embeddings]
      An answer whose body is the result (OpenAI-shaped JSON, OIP octet-stream) with its PoE in
      the Pxnode-* response headers. BODY: the body bytes exactly as received; HEADERS: the raw
      header block as `curl -D` writes it (the last response in it counts). --request-id: the id
      the coordinator allocated; the header must equal it. --print-embeddings: after "valid",
      the body's embeddings as float32 values, one JSON object: {"encoding", "vectors"}.

  verify_envelope.py --stream STREAM --public-key KEY [--request-id ID] [--print-text]
      A streamed answer (Server-Sent Events, OpenAI stream: true) with its PoE in the trailer
      line ": pxnode-poe {...}" before "data: [DONE]". STREAM: the body's bytes exactly as
      received ("-" reads stdin), e.g. from curl -N. --print-text: after "valid", the generated
      text of each choice, one JSON object: {"object", "choices": [{"index", "text", "finish_reason"}]}.

  verify_envelope.py --vectors docs/test-vectors/poe-v1.json
  verify_envelope.py --vectors docs/test-vectors/openai-embeddings-v1.json
  verify_envelope.py --vectors docs/test-vectors/openai-stream-v1.json
      Checks every test vector (poe, RS256 byte-exact and PS256 signatures, negative cases; for
      the header vectors also each embedding's float32 bits and shortest decimal form; for the
      stream vectors also each stream's text).
      One line per vector and a summary; exits 0 when all pass, 1 otherwise.

Usage errors (bad arguments, unreadable key) exit 2.
"""

import argparse
import base64
import binascii
import hashlib
import hmac
import json
import math
import re
import struct
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

POE_VERSIONS = (1, 2)  # 1: the default; 2: framed, asked for per request
POE_V2_CONTEXT = b"pxnode-poe-v2\x00"
MIN_KEY_BITS = 2048
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
HEX64 = re.compile(r"[0-9a-f]{64}")  # lowercase: the wire's only spelling
MIB_FORMULA = "result[i] = i % 251 for i in 0 .. 1048575"


class Invalid(Exception):
    """The envelope fails a check; check is one of envelope, headers, stream, request_id, sig_alg,
    node_id, poe, signature, result."""

    def __init__(self, check, detail):
        super().__init__(f"{check}: {detail}")
        self.check = check
        self.detail = detail


class UsageError(Exception):
    pass


def scheme(sig_alg):
    """PS256: PSS with MGF1-SHA-256 and a 32-byte salt, stated explicitly (not pyca's MAX_LENGTH
    from its examples, which would accept other salt lengths). RS256: PKCS#1 v1.5."""
    if sig_alg == "PS256":
        return padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    if sig_alg == "RS256":
        return padding.PKCS1v15()
    return None


def node_id_of(public_key):
    spki = public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).digest()


def poe_v1(request_id, result, node_id):
    return hashlib.sha256(request_id.encode("utf-8") + result + node_id).digest()


def poe_v2(request_id, result, node_id):
    """SHA-256("pxnode-poe-v2\\0" || u16be(len(id)) || id || u64be(len(result)) || result || node_id),
    written from docs/protocol.md, not from pxnode's code."""
    rid = request_id.encode("utf-8")
    if len(rid) > 0xFFFF:
        raise Invalid("poe", "a v2 request id is at most 65535 bytes")
    h = hashlib.sha256()
    for part in (POE_V2_CONTEXT, struct.pack(">H", len(rid)), rid, struct.pack(">Q", len(result)), result, node_id):
        h.update(part)
    return h.digest()


POE_FORMULA = {
    1: "SHA-256(request_id || result || node_id)",
    2: 'SHA-256("pxnode-poe-v2\\0" || u16be(len(request_id)) || request_id || u64be(len(result)) || result || node_id)',
}


def poe_of(version, request_id, result, node_id):
    return (poe_v2 if version == 2 else poe_v1)(request_id, result, node_id)


def known_version(text):
    """The version from its exact decimal digits ("1", "2"), or None."""
    return next((v for v in POE_VERSIONS if str(v) == text), None)


def printable(text, limit=40):
    text = "".join(c if " " <= c <= "~" else "?" for c in str(text))
    return text if len(text) <= limit else text[:limit] + "..."


def verify(request_id, result, node_id_hex, poe, sig, sig_alg, public_key, poe_version=1):
    """Raises Invalid naming the first failed check, in pxnode's order."""
    if not isinstance(request_id, str) or not REQUEST_ID.fullmatch(request_id):
        raise Invalid("request_id", f"'{printable(request_id)}' is not 1-128 characters of [A-Za-z0-9._:-]")
    pad = scheme(sig_alg)
    if pad is None:
        raise Invalid("sig_alg", f"unknown sig_alg '{printable(sig_alg)}'; expected PS256 or RS256")
    if not isinstance(node_id_hex, str) or not HEX64.fullmatch(node_id_hex):
        raise Invalid("node_id", "not 64 lowercase hex digits")
    actual = node_id_of(public_key)
    if not hmac.compare_digest(bytes.fromhex(node_id_hex), actual):
        raise Invalid("node_id", f"{node_id_hex.lower()} is not SHA-256 of the public key ({actual.hex()})")
    if poe_version not in POE_VERSIONS:
        raise Invalid("poe", f"poe_version is {printable(poe_version)}; this verifier knows 1, 2")
    if len(poe) != 32:
        raise Invalid("poe", f"poe is {len(poe)} bytes; a v{poe_version} poe is 32")
    if not hmac.compare_digest(poe_of(poe_version, request_id, result, actual), poe):
        raise Invalid("poe", f"poe does not equal {POE_FORMULA[poe_version]}")
    if public_key.key_size < MIN_KEY_BITS:
        raise Invalid("signature", f"the public key is {public_key.key_size} bits; at least {MIN_KEY_BITS} required")
    if len(sig) != (public_key.key_size + 7) // 8:
        raise Invalid("signature", f"signature is {len(sig)} bytes; the key makes {(public_key.key_size + 7) // 8}")
    try:
        public_key.verify(sig, result + poe, pad, hashes.SHA256())
    except InvalidSignature:
        raise Invalid("signature", f"signature does not verify as {sig_alg} under this key") from None


def load_public_key(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise UsageError(f"cannot read public key {path}: {e.strerror}") from None
    if data.lstrip().startswith(b"{"):
        try:
            data = json.loads(data)["public_key"].encode("ascii")
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeEncodeError):
            raise UsageError(f"{path}: an identity document needs a \"public_key\" PEM field") from None
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        raise UsageError(f"{path}: not a PEM public key") from None
    if not isinstance(key, rsa.RSAPublicKey):
        raise UsageError(f"{path}: not an RSA public key")
    return key


def b64(value, field, check):
    if not isinstance(value, str):
        raise Invalid(check, f"{field} must be a base64 string")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(check, f"{field} is not valid base64") from None


def verify_envelope(envelope, public_key):
    """Returns the decoded result bytes of a valid envelope; raises Invalid otherwise."""
    if not isinstance(envelope, dict):
        raise Invalid("envelope", "not a JSON object")
    for field in ("request_id", "node_id", "result", "poe", "sig", "sig_alg", "poe_version"):
        if field not in envelope:
            raise Invalid("envelope", f"missing field '{field}'")
    version = envelope["poe_version"]
    if type(version) is not int or version not in POE_VERSIONS:
        raise Invalid("envelope", f"poe_version {printable(version)} is not 1 or 2")
    result = b64(envelope["result"], "result", "envelope")
    poe_hex = envelope["poe"]
    if not isinstance(poe_hex, str) or not re.fullmatch(r"(?:[0-9a-f]{2})*", poe_hex):
        raise Invalid("poe", "poe is not lowercase hex")
    sig = b64(envelope["sig"], "sig", "signature")
    verify(
        envelope["request_id"],
        result,
        envelope["node_id"],
        bytes.fromhex(poe_hex),
        sig,
        envelope["sig_alg"],
        public_key,
        version,
    )
    return result


SIGNED_HEADERS = ("pxnode-request-id", "pxnode-sig-alg", "pxnode-node-id", "pxnode-poe-version", "pxnode-poe", "pxnode-sig")
HEADER_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def parse_header_block(text):
    """{lowercase name: [values]} of the last response in a raw block (curl -D: CRLF or LF lines,
    a status line per response, interim 1xx and redirects before the final one)."""
    current = []
    for line in re.split(r"\r?\n", text):
        if line.startswith("HTTP/"):
            current = []
        elif line:
            current.append(line)
    headers = {}
    for number, line in enumerate(current, 1):
        name, colon, value = line.partition(":")
        if not colon or not HEADER_TOKEN.fullmatch(name):
            raise Invalid("headers", f"header line {number} is not 'Name: value': '{printable(line)}'")
        headers.setdefault(name.lower(), []).append(value.strip(" \t"))
    return headers


def one_header(headers, name, check):
    values = [v for k, vs in headers.items() if k.lower() == name.lower() for v in vs]
    pretty = "-".join(part.capitalize() for part in name.split("-"))
    if not values:
        raise Invalid(check, f"missing header {pretty}")
    if len(values) > 1:
        raise Invalid(check, f"header {pretty} appears {len(values)} times; it must appear once")
    return values[0]


def strict_b64(text, what, check):
    """Standard base64 with its padding, exactly as the node writes it: one form for every verifier."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raw = None
    if raw is None or base64.b64encode(raw).decode("ascii") != text:
        raise Invalid(check, f"{what} is not canonical base64")
    return raw


def check_request_id(request_id, expected_request_id):
    if not REQUEST_ID.fullmatch(request_id):
        raise Invalid("request_id", f"'{printable(request_id)}' is not 1-128 characters of [A-Za-z0-9._:-]")
    if expected_request_id is not None and request_id != expected_request_id:
        raise Invalid("request_id", f"'{printable(request_id)}' is not the allocated id '{printable(expected_request_id)}'")


def check_node_id(node_id, public_key):
    if not HEX64.fullmatch(node_id):
        raise Invalid("node_id", "not 64 lowercase hex digits")
    if not hmac.compare_digest(bytes.fromhex(node_id), node_id_of(public_key)):
        raise Invalid("node_id", f"{node_id.lower()} is not SHA-256 of the public key ({node_id_of(public_key).hex()})")


def verify_headers(body, headers, public_key, expected_request_id=None):
    """The envelope's checks, in its order, with the fields taken from the Pxnode-* headers; a
    missing or repeated header fails the check it belongs to."""
    request_id = one_header(headers, "pxnode-request-id", "request_id")
    check_request_id(request_id, expected_request_id)
    sig_alg = one_header(headers, "pxnode-sig-alg", "sig_alg")
    if scheme(sig_alg) is None:
        raise Invalid("sig_alg", f"unknown sig_alg '{printable(sig_alg)}'; expected PS256 or RS256")
    node_id = one_header(headers, "pxnode-node-id", "node_id")
    check_node_id(node_id, public_key)
    version_text = one_header(headers, "pxnode-poe-version", "poe")
    version = known_version(version_text)
    if version is None:
        raise Invalid("poe", f"Pxnode-Poe-Version is '{printable(version_text)}'; this verifier knows 1, 2")
    poe_hex = one_header(headers, "pxnode-poe", "poe")
    if not re.fullmatch(r"(?:[0-9a-f]{2})*", poe_hex):
        raise Invalid("poe", "header Pxnode-Poe is not lowercase hex")
    poe = bytes.fromhex(poe_hex)
    if len(poe) == 32 and hmac.compare_digest(poe_of(version, request_id, body, node_id_of(public_key)), poe):
        sig = strict_b64(one_header(headers, "pxnode-sig", "signature"), "header Pxnode-Sig", "signature")
    else:
        sig = b""  # verify() reports the poe before it looks at the signature
    verify(request_id, body, node_id, poe, sig, sig_alg, public_key, version)


def embeddings_of(body):
    """The float32 vectors of an OpenAI embeddings body, from float or base64 items."""
    import numpy as np

    try:
        doc = json.loads(body)
        items = doc["data"]
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise Invalid("result", "not an OpenAI embeddings list") from None
    vectors, encodings = [], set()
    for item in items:
        e = item.get("embedding") if isinstance(item, dict) else None
        if isinstance(e, str):
            raw = base64.b64decode(e, validate=True)
            vectors.append(np.frombuffer(raw, dtype="<f4"))
            encodings.add("base64")
        elif isinstance(e, list) and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in e):
            vectors.append(np.array(e, dtype=np.float64).astype(np.float32))
            encodings.add("float")
        else:
            raise Invalid("result", "an item's embedding is neither a number array nor base64")
    return vectors, "/".join(sorted(encodings))


def run_headers(body_path, headers_path, key_path, request_id, print_embeddings):
    public_key = load_public_key(key_path)
    try:
        body = open(body_path, "rb").read()
        block = open(headers_path, "rb").read().decode("iso-8859-1")
    except OSError as e:
        raise UsageError(f"cannot read {e.filename}: {e.strerror}") from None
    try:
        verify_headers(body, parse_header_block(block), public_key, request_id)
        printed = None
        if print_embeddings:
            vectors, encoding = embeddings_of(body)
            printed = {"encoding": encoding, "vectors": [[float(x) for x in v] for v in vectors]}
    except Invalid as e:
        print(f"invalid: {e.check}: {e.detail}")
        return 1
    print("valid")
    if printed is not None:
        print(json.dumps(printed))
    return 0


STREAM_PREFIX = b": pxnode-poe "
STREAM_END = b"\n\ndata: [DONE]\n\n"
MAX_TRAILER = 16 * 1024
MAX_TRAILER_DEPTH = 32
TRAILER_FIELDS = {
    "request_id": "text",
    "node_id": "text",
    "result_format": "text",
    "poe": "text",
    "sig": "text",
    "sig_alg": "text",
    "poe_version": "integer",
    "meta": "object",
}
TRAILER_LINE = re.compile(rb"(?:^|(?<=[\r\n]))" + re.escape(STREAM_PREFIX))
JSON_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class TrailerSyntax(Exception):
    pass


class TrailerReader:
    """The trailer's JSON, read strictly: one flat object of strings, integers and objects, no
    whitespace between tokens, no repeated names; a nested object is kept as its raw text (a
    bracket scan that respects strings). Not json.loads: that takes whitespace, floats, NaN and
    repeated names, and the verifiers must take and refuse the same texts."""

    def __init__(self, text):
        self.s, self.at = text, 0

    def fail(self, at, what):
        raise TrailerSyntax(f"column {at + 1}: {what}")

    def peek(self):
        if self.at >= len(self.s):
            self.fail(self.at, "the text ends early")
        return self.s[self.at]

    def next(self, inside):
        if self.at >= len(self.s):
            self.fail(self.at, f"the text ends inside {inside}")
        self.at += 1
        return self.s[self.at - 1]

    def accept(self, c):
        if self.s.startswith(c, self.at):
            self.at += 1
            return True
        return False

    def expect(self, c):
        if not self.accept(c):
            found = f"found '{self.s[self.at]}'" if self.at < len(self.s) else "the text ends"
            self.fail(self.at, f"expected '{c}', {found}")

    def object(self):
        self.expect("{")
        members = {}
        if self.peek() == "}":
            self.at += 1
        else:
            while True:
                name_at = self.at
                name = self.string()
                self.expect(":")
                value = self.value()
                if name in members:
                    self.fail(name_at, f"name \"{printable(name)}\" appears twice")
                members[name] = value
                if not self.accept(","):
                    break
            self.expect("}")
        if self.at != len(self.s):
            self.fail(self.at, "text after the object's end")
        return members

    def value(self):
        c = self.peek()
        if c == '"':
            return ("text", self.string())
        if c == "-" or "0" <= c <= "9":
            return ("integer", self.integer())
        if c == "{":
            return ("object", self.nested())
        self.fail(self.at, "a value here must be a string, an integer or an object")

    def string(self):
        self.expect('"')
        out = []
        while True:
            c = self.next("a string")
            if c == '"':
                return "".join(out)
            if c != "\\":
                out.append(c)
                continue
            e = self.next("an escape")
            if e in JSON_ESCAPES:
                out.append(JSON_ESCAPES[e])
            elif e == "u":
                digits = "".join(self.next("a \\u escape") for _ in range(4))
                if not re.fullmatch(r"[0-9a-fA-F]{4}", digits):
                    self.fail(self.at - 1, "\\u needs four hex digits")
                out.append(chr(int(digits, 16)))
            else:
                self.fail(self.at - 1, f"\\{e} is not a JSON escape")

    def integer(self):
        start = self.at
        self.accept("-")
        first = self.next("an integer")
        if first != "0":
            if not "1" <= first <= "9":
                self.fail(self.at - 1, "an integer needs a digit after '-'")
            while self.at < len(self.s) and "0" <= self.s[self.at] <= "9":
                self.at += 1
        return self.s[start : self.at]

    def nested(self):
        start, owed = self.at, []
        while True:
            c = self.next("an object")
            if c in "{[":
                owed.append("}" if c == "{" else "]")
            elif c in "}]":
                if c != owed[-1]:
                    self.fail(self.at - 1, f"'{c}' closes a '{'[' if c == '}' else '{'}'")
                owed.pop()
            elif c == '"':
                while (d := self.next("a string")) != '"':
                    if d == "\\":
                        self.next("an escape")
            if len(owed) > MAX_TRAILER_DEPTH:
                self.fail(self.at - 1, f"nested deeper than {MAX_TRAILER_DEPTH}")
            if not owed:
                return self.s[start : self.at]


def split_stream(raw):
    """(result, trailer fields) of a signed stream as received; raises Invalid("stream") when it is
    not one: exactly one line (at byte 0 or after CR or LF) starts with ": pxnode-poe ", it is the
    first line or follows "\\n\\n", exactly "\\n\\ndata: [DONE]\\n\\n" follows it, and its JSON is
    printable ASCII of at most 16 KiB with exactly the trailer's fields and types."""
    starts = [m.start() for m in TRAILER_LINE.finditer(raw)]
    if not starts:
        raise Invalid("stream", "no trailer: no line starts with ': pxnode-poe '; the stream is unsigned")
    if len(starts) > 1:
        raise Invalid("stream", f"{len(starts)} lines start with ': pxnode-poe '; a signed stream has one trailer")
    at = starts[0]
    if at > 0 and raw[max(0, at - 2) : at] != b"\n\n":
        raise Invalid("stream", "the trailer line does not follow a blank line (\\n\\n) as an event's end")
    end = at
    while end < len(raw) and raw[end] not in b"\r\n":
        end += 1
    if raw[end:] != STREAM_END:
        tail = raw[end:]
        raise Invalid("stream", f"the trailer line is followed by {printable(repr(tail))} ({len(tail)} bytes), not exactly \\n\\ndata: [DONE]\\n\\n")
    line = raw[at + len(STREAM_PREFIX) : end]
    if len(line) > MAX_TRAILER:
        raise Invalid("stream", f"the trailer is {len(line)} bytes; at most {MAX_TRAILER} are read")
    for column, byte in enumerate(line, 1):
        if not 0x20 <= byte <= 0x7E:
            raise Invalid("stream", f"the trailer has byte 0x{byte:02x} at column {column}; it is printable ASCII")
    try:
        members = TrailerReader(line.decode("ascii")).object()
    except TrailerSyntax as e:
        raise Invalid("stream", f"trailer: {e}") from None
    for name in members:
        if name not in TRAILER_FIELDS:
            raise Invalid("stream", f"trailer: unknown field \"{printable(name)}\"")
    fields = {}
    for name, kind in TRAILER_FIELDS.items():
        if name not in members:
            raise Invalid("stream", f"trailer: no field \"{name}\"")
        if members[name][0] != kind:
            raise Invalid("stream", f"trailer: field \"{name}\" must be {'an' if kind != 'text' else 'a'} {'string' if kind == 'text' else kind}")
        fields[name] = members[name][1]
    return raw[:at], fields


def verify_stream(raw, public_key, expected_request_id=None):
    """The envelope's checks, in its order, after the framing (the stream check), with the fields
    taken from the trailer; the result is every byte before the trailer line. Returns the result."""
    result, t = split_stream(raw)
    check_request_id(t["request_id"], expected_request_id)
    if scheme(t["sig_alg"]) is None:
        raise Invalid("sig_alg", f"unknown sig_alg '{printable(t['sig_alg'])}'; expected PS256 or RS256")
    check_node_id(t["node_id"], public_key)
    version = known_version(t["poe_version"])
    if version is None:
        raise Invalid("poe", f"poe_version is {printable(t['poe_version'])}; this verifier knows 1, 2")
    if not re.fullmatch(r"[0-9a-f]{64}", t["poe"]):
        raise Invalid("poe", "poe is not 64 lowercase hex digits")
    poe = bytes.fromhex(t["poe"])
    if hmac.compare_digest(poe_of(version, t["request_id"], result, node_id_of(public_key)), poe):
        sig = strict_b64(t["sig"], "sig", "signature")
    else:
        sig = b""  # verify() reports the poe before it looks at the signature
    verify(t["request_id"], result, t["node_id"], poe, sig, t["sig_alg"], public_key, version)
    return result


CHUNK_OBJECTS = ("text_completion", "chat.completion.chunk")


def stream_text(result):
    """{"object", "choices": [{"index", "text", "finish_reason"}]}: each choice's text joined over
    the stream's chunks (text, or delta.content for chat), its last finish_reason."""
    kind, choices = None, {}
    for number, line in enumerate(result.split(b"\n"), 1):
        if not line or line.startswith(b":"):
            continue
        if not line.startswith(b"data: "):
            raise Invalid("result", f"line {number} is not a data line")
        try:
            chunk = json.loads(line[len(b"data: ") :])
            obj, items = chunk["object"], chunk["choices"]
        except (UnicodeDecodeError, ValueError, KeyError, TypeError):
            raise Invalid("result", f"line {number} is not an OpenAI chunk") from None
        if obj not in CHUNK_OBJECTS or (kind is not None and obj != kind) or not isinstance(items, list):
            raise Invalid("result", f"line {number}: a chunk of object '{printable(obj)}' in a stream of '{printable(kind)}'")
        kind = obj
        for item in items:
            try:
                index = item["index"]
                piece = item.get("text") if obj == "text_completion" else (item.get("delta") or {}).get("content")
                reason = item.get("finish_reason")
            except (KeyError, TypeError, AttributeError):
                raise Invalid("result", f"line {number}: a choice without an index") from None
            if not isinstance(index, int) or isinstance(index, bool) or not isinstance(piece, (str, type(None))):
                raise Invalid("result", f"line {number}: a choice whose index or text has the wrong type")
            entry = choices.setdefault(index, {"index": index, "text": "", "finish_reason": None})
            entry["text"] += piece or ""
            if reason is not None:
                entry["finish_reason"] = reason
    return {"object": kind, "choices": [choices[i] for i in sorted(choices)]}


def run_stream(stream_path, key_path, request_id, print_text):
    public_key = load_public_key(key_path)
    try:
        raw = sys.stdin.buffer.read() if stream_path == "-" else open(stream_path, "rb").read()
    except OSError as e:
        raise UsageError(f"cannot read stream {stream_path}: {e.strerror}") from None
    try:
        result = verify_stream(raw, public_key, request_id)
        text = stream_text(result) if print_text else None
    except Invalid as e:
        print(f"invalid: {e.check}: {e.detail}")
        return 1
    print("valid")
    if text is not None:
        print(json.dumps(text))
    return 0


NUMPY_DTYPES = {
    "BOOL": "?",
    "U8": "u1",
    "I8": "i1",
    "I16": "<i2",
    "I32": "<i4",
    "I64": "<i8",
    "F16": "<f2",
    "BF16": "<u2",
    "F32": "<f4",
    "F64": "<f8",
}


def json_number(x):
    if isinstance(x, float) and not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")
    return x


def decode_safetensors(blob):
    """{"tensors": {name: {"dtype", "shape", "data": flat list}}, "metadata": {...}}"""
    import numpy as np  # only needed here

    if len(blob) < 8:
        raise Invalid("result", "shorter than the 8-byte safetensors header length")
    (header_len,) = struct.unpack("<Q", blob[:8])
    if header_len > len(blob) - 8:
        raise Invalid("result", f"safetensors header length {header_len} runs past the end")
    try:
        header = json.loads(blob[8 : 8 + header_len].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Invalid("result", "safetensors header is not JSON") from None
    if not isinstance(header, dict):
        raise Invalid("result", "safetensors header is not a JSON object")
    data = blob[8 + header_len :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        try:
            dtype, shape, (start, end) = info["dtype"], info["shape"], info["data_offsets"]
        except (KeyError, TypeError, ValueError):
            raise Invalid("result", f"tensor '{printable(name)}' lacks dtype/shape/data_offsets") from None
        if dtype not in NUMPY_DTYPES:
            raise Invalid("result", f"tensor '{printable(name)}' has unsupported dtype {printable(dtype)}")
        np_dtype = np.dtype(NUMPY_DTYPES[dtype])
        count = math.prod(shape)
        if not (0 <= start <= end <= len(data)) or end - start != count * np_dtype.itemsize:
            raise Invalid("result", f"tensor '{printable(name)}' has data_offsets that do not fit its shape")
        array = np.frombuffer(data[start:end], dtype=np_dtype)
        if dtype == "BF16":
            array = (array.astype(np.uint32) << 16).view(np.float32)
        values = [json_number(v) for v in array.tolist()]
        tensors[name] = {"dtype": dtype, "shape": list(shape), "data": values}
    return {"tensors": tensors, "metadata": header.get("__metadata__", {})}


def run_envelope(path, key_path, print_tensors):
    public_key = load_public_key(key_path)
    try:
        raw = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()
    except OSError as e:
        raise UsageError(f"cannot read envelope {path}: {e.strerror}") from None
    try:
        try:
            envelope = json.loads(raw)
        except (UnicodeDecodeError, ValueError):
            raise Invalid("envelope", "not JSON") from None
        result = verify_envelope(envelope, public_key)
        tensors = None
        if print_tensors:
            if envelope.get("result_format") != "safetensors":
                raise Invalid("result", f"result_format is '{printable(envelope.get('result_format'))}', not safetensors")
            tensors = decode_safetensors(result)
    except Invalid as e:
        print(f"invalid: {e.check}: {e.detail}")
        return 1
    print("valid")
    if tensors is not None:
        print(json.dumps(tensors))
    return 0


def vector_result(case):
    if "result_b64" in case:
        return base64.b64decode(case["result_b64"], validate=True)
    gen = case["result_generator"]
    if gen["formula"] != MIB_FORMULA:
        raise Invalid("result", f"unknown generator {gen['formula']!r}")
    result = bytes(i % 251 for i in range(gen["length"]))
    if hashlib.sha256(result).hexdigest() != gen["sha256"]:
        raise Invalid("result", "generated result does not match its recorded sha256")
    return result


def run_vectors(path):
    try:
        with open(path, "rb") as f:
            doc = json.load(f)
        private_key = serialization.load_pem_private_key(doc["key"]["private_key_pem"].encode("ascii"), None)
        public_key = serialization.load_pem_public_key(doc["key"]["public_key_pem"].encode("ascii"))
    except (OSError, ValueError, KeyError) as e:
        raise UsageError(f"cannot load vectors {path}: {e}") from None
    if "header_cases" in doc:
        return run_header_vectors(doc, private_key, public_key)
    if "stream_cases" in doc:
        return run_stream_vectors(doc, private_key, public_key)
    version = doc.get("poe_version", 1)
    tally = Tally()
    report = tally.report

    report(
        public_key.public_numbers() == private_key.public_key().public_numbers()
        and node_id_of(public_key).hex() == doc["key"]["node_id"],
        f"key {doc['key']['name']}: public key matches private key, node_id = SHA-256(SPKI)",
    )
    for case in doc["cases"]:
        name = case["name"]
        try:
            result = vector_result(case)
            poe = bytes.fromhex(case["poe"])
            rs256 = base64.b64decode(case["rs256_sig_b64"], validate=True)
            ps256 = base64.b64decode(case["ps256_sig_b64"], validate=True)
            verify(case["request_id"], result, case["node_id"], poe, rs256, "RS256", public_key, version)
            verify(case["request_id"], result, case["node_id"], poe, ps256, "PS256", public_key, version)
            resigned = private_key.sign(result + poe, padding.PKCS1v15(), hashes.SHA256())
            if resigned != rs256:
                raise Invalid("signature", "RS256 re-signed with the test key differs from the vector")
            report(True, f"{name}: poe v{version}, RS256 (byte-exact re-sign), PS256 (salt 32)")
        except Invalid as e:
            report(False, f"{name}: {e.check}: {e.detail}")
    for case in doc["negative_cases"]:
        name = case["name"]
        expected = case["expect_failed_check"]
        try:
            verify(
                case["request_id"],
                base64.b64decode(case["result_b64"], validate=True),
                case["node_id"],
                bytes.fromhex(case["poe"]),
                base64.b64decode(case["sig_b64"], validate=True),
                case["sig_alg"],
                public_key,
                version,
            )
            report(False, f"negative {name}: accepted, expected rejection at {expected}")
        except Invalid as e:
            report(e.check == expected, f"negative {name}: rejected at {e.check} (expected {expected}): {e.detail}")
    return tally.finish()


class Tally:
    """The vector modes' one line per check, and the summary and exit status at the end."""

    def __init__(self):
        self.failures = self.total = 0

    def report(self, ok, line):
        self.total += 1
        self.failures += 0 if ok else 1
        print(("ok   " if ok else "FAIL ") + line)

    def finish(self):
        print(f"{self.total} checks: {self.total - self.failures} passed, {self.failures} failed")
        return 0 if self.failures == 0 else 1


def shortest_digits_ok(text, f32):
    """Java's Float.toString digits: numpy's shortest (Dragon4, unique) ones, or for a one-digit
    shortest form the closest of one or two digits."""
    import numpy as np

    def digits(s):
        return s.lower().split("e")[0].lstrip("-").replace(".", "").lstrip("0").rstrip("0") or "0"

    ours, ref = digits(text), digits(np.format_float_scientific(f32, unique=True))
    return ours == ref if len(ref) >= 2 else len(ours) <= 2


def check_embedding_bits(case):
    """The body's vectors are exactly the vector bits the case lists, and every float is written
    in its shortest round-trip form."""
    import numpy as np

    body = case["body"].encode("utf-8")
    vectors, _ = embeddings_of(body)
    expected = [np.frombuffer(bytes.fromhex(h), dtype=">u4").view(">f4").astype(np.float32) for h in case["vectors_f32_hex"]]
    if len(vectors) != len(expected) or any(not np.array_equal(a.view(np.uint32), b.view(np.uint32)) for a, b in zip(vectors, expected)):
        raise Invalid("result", "the body's vectors are not the case's float32 bits")
    for raw in re.findall(rb'"embedding":\[([^\]]*)\]', body):
        for text in raw.decode().split(","):
            f = np.float32(float(text))
            if not shortest_digits_ok(text, f):
                raise Invalid("result", f"{text} is not the shortest form of float32 {f!r}")


def run_header_vectors(doc, private_key, public_key):
    tally = Tally()
    report = tally.report

    for case in doc["header_cases"]:
        name = case["name"]
        try:
            body = case["body"].encode("utf-8")
            for field in ("rs256_headers", "ps256_headers"):
                verify_headers(body, parse_header_block(case[field]), public_key)
            rs = parse_header_block(case["rs256_headers"])
            poe = bytes.fromhex(rs["pxnode-poe"][0])
            resigned = base64.b64encode(private_key.sign(body + poe, padding.PKCS1v15(), hashes.SHA256())).decode()
            if resigned != rs["pxnode-sig"][0]:
                raise Invalid("signature", "RS256 re-signed with the test key differs from the vector")
            check_embedding_bits(case)
            report(True, f"{name}: headers verify (RS256 byte-exact re-sign, PS256), vectors bit-exact, floats shortest")
        except Invalid as e:
            report(False, f"{name}: {e.check}: {e.detail}")
    for case in doc["negative_header_cases"]:
        name, expected = case["name"], case["expect_failed_check"]
        try:
            verify_headers(base64.b64decode(case["body_b64"]), parse_header_block(case["headers"]), public_key)
            report(False, f"negative {name}: accepted, expected rejection at {expected}")
        except Invalid as e:
            report(e.check == expected, f"negative {name}: rejected at {e.check} (expected {expected}): {e.detail}")
    return tally.finish()


def run_stream_vectors(doc, private_key, public_key):
    tally = Tally()
    report = tally.report

    for case in doc["stream_cases"]:
        name = case["name"]
        try:
            for field in ("rs256_stream", "ps256_stream"):
                raw = case[field].encode("utf-8")
                result = verify_stream(raw, public_key, case["request_id"])
                if result != base64.b64decode(case["result_b64"], validate=True):
                    raise Invalid("result", f"{field}: the bytes before the trailer are not result_b64")
            raw = case["rs256_stream"].encode("utf-8")
            result, trailer = split_stream(raw)
            resigned = private_key.sign(result + bytes.fromhex(trailer["poe"]), padding.PKCS1v15(), hashes.SHA256())
            if base64.b64encode(resigned).decode("ascii") != trailer["sig"]:
                raise Invalid("signature", "RS256 re-signed with the test key differs from the vector")
            if stream_text(result) != case["text"]:
                raise Invalid("result", f"the stream's text is {stream_text(result)}, not the case's")
            report(True, f"{name}: RS256 (byte-exact re-sign) and PS256 streams verify, text as recorded")
        except Invalid as e:
            report(False, f"{name}: {e.check}: {e.detail}")
    for case in doc["negative_stream_cases"]:
        name, expected = case["name"], case["expect_failed_check"]
        try:
            verify_stream(base64.b64decode(case["stream_b64"]), public_key, case.get("expected_request_id"))
            report(False, f"negative {name}: accepted, expected rejection at {expected}")
        except Invalid as e:
            report(e.check == expected, f"negative {name}: rejected at {e.check} (expected {expected}): {e.detail}")
    return tally.finish()


def main(argv):
    parser = argparse.ArgumentParser(
        description="Reference verifier for pxnode PoE v1 envelopes.",
        epilog="Exit status: 0 valid, 1 invalid, 2 usage error.",
    )
    parser.add_argument("envelope", nargs="?", help="envelope JSON file, or - for stdin")
    parser.add_argument("--public-key", help="PEM public key or identity document JSON")
    parser.add_argument("--print-tensors", action="store_true", help="decode and print the safetensors result")
    parser.add_argument("--vectors", metavar="FILE", help="check every vector in FILE instead")
    parser.add_argument("--body", metavar="FILE", help="the body of an answer whose PoE is in its headers")
    parser.add_argument("--headers", metavar="FILE", help="that answer's raw header block (curl -D)")
    parser.add_argument("--stream", metavar="FILE", help="a streamed answer (SSE) with its signed trailer, - for stdin")
    parser.add_argument("--request-id", help="with --body or --stream: the id the coordinator allocated")
    parser.add_argument("--print-embeddings", action="store_true", help="with --body: print the embeddings")
    parser.add_argument("--print-text", action="store_true", help="with --stream: print each choice's text")
    args = parser.parse_args(argv)
    try:
        if args.vectors:
            if args.envelope or args.public_key or args.print_tensors or args.body or args.headers or args.stream:
                parser.error("--vectors takes no envelope, --body, --headers, --stream, --public-key or --print-tensors")
            return run_vectors(args.vectors)
        if args.stream:
            if not args.public_key or args.envelope or args.body or args.headers or args.print_tensors or args.print_embeddings:
                parser.error("--stream takes --public-key, and no envelope, --body, --headers or other --print-*")
            return run_stream(args.stream, args.public_key, args.request_id, args.print_text)
        if args.print_text:
            parser.error("--print-text goes with --stream")
        if args.body or args.headers:
            if not (args.body and args.headers and args.public_key) or args.envelope or args.print_tensors:
                parser.error("--body and --headers go together, with --public-key and no envelope")
            return run_headers(args.body, args.headers, args.public_key, args.request_id, args.print_embeddings)
        if args.request_id or args.print_embeddings:
            parser.error("--request-id goes with --body and --headers or --stream; --print-embeddings with --body")
        if not args.envelope or not args.public_key:
            parser.error("an envelope and --public-key are required (or --vectors FILE)")
        return run_envelope(args.envelope, args.public_key, args.print_tensors)
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
