#!/usr/bin/env python3
"""Hostile phase of the soak (issue 12): what a hostile client or a careless operator sends.

    python3 scripts/soak/hostile.py BASE_URL PID [--minilm MODEL] [--rounds N]

Phases, each on loopback, each counting requests sent and answers received (every request must be
answered: 2xx, 4xx or 503, never a reset without an answer):
  unknown-names  unique unknown model names on /v2/models/<name>/ready (metrics must stay flat)
  pipelining     bursts of pipelined infers on many connections
  shapes         oversized input shapes ([1, 1000000]) to the MiniLM model, binary tensors
  big-bodies     many connections each sending a 60 MiB body at once
Prints one line per phase and round: `HOSTILE <phase> round=R sent=N answered=N statuses={...}
rss_mb=A->B metrics_kb=A->B`, then `HOSTILE rounds rss_mb=...` with the RSS after each round.
Exits 1 when any request went unanswered, a 5xx other than 503 came back, or the last round ended
with RSS more than 64 MB or /metrics more than 16 KB above the first round's end (the first round
fills the heap and Netty's pooled arenas to what the limits allow; the next ones must not grow).
Only the standard library; no project code.
"""
import json
import socket
import struct
import sys
import threading
import time
import urllib.request
import uuid
from collections import Counter

ADD = ('{"id":"%s","inputs":[{"name":"a","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]},'
       '{"name":"b","shape":[1,4],"datatype":"FP32","data":[5,6,7,8]}]}')


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return -1


def metrics_kb(base):
    with urllib.request.urlopen(base + "/metrics", timeout=30) as r:
        return len(r.read()) / 1024


def request(method, path, body=b"", ctype="application/json", extra=""):
    head = f"{method} {path} HTTP/1.1\r\nHost: soak\r\n{extra}"
    if body or method == "POST":
        head += f"Content-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def recv_some(sock):
    """The next bytes from the node, or None at EOF, reset or timeout."""
    try:
        return sock.recv(65536) or None
    except (ConnectionResetError, socket.timeout, OSError):
        return None


def read_answers(sock, want, timeout=60):
    """Reads up to `want` whole HTTP answers; returns their statuses (stops at EOF or reset)."""
    sock.settimeout(timeout)
    buf = b""
    statuses = []
    while len(statuses) < want:
        while b"\r\n\r\n" not in buf:
            chunk = recv_some(sock)
            if chunk is None:
                return statuses
            buf += chunk
        head, buf = buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        statuses.append(int(lines[0].split()[1]))
        length = 0
        for l in lines[1:]:
            k, _, v = l.partition(":")
            if k.strip().lower() == "content-length":
                length = int(v.strip())
        while len(buf) < length:
            chunk = recv_some(sock)
            if chunk is None:
                return statuses
            buf += chunk
        buf = buf[length:]
    return statuses


def connect(port):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def run_parallel(n, fn):
    results = [None] * n

    def work(i):
        try:
            results[i] = fn(i)
        except Exception as e:  # a phase's own bug must not look like a node failure
            results[i] = ("error", repr(e))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def phase_unknown_names(port, total=20000, per_conn=500):
    def conn(i):
        s = connect(port)
        got = []
        for off in range(0, per_conn, 50):  # pipelined in batches of 50
            batch = b"".join(request("GET", f"/v2/models/u-{uuid.uuid4().hex}/ready") for _ in range(50))
            s.sendall(batch)
            got += read_answers(s, 50)
        s.close()
        return got
    res = run_parallel(total // per_conn, conn)
    return total, [x for r in res for x in r]


def phase_pipelining(port, conns=32, burst=20, rounds=3):
    def conn(i):
        s = connect(port)
        got = []
        for r in range(rounds):
            s.sendall(b"".join(request("POST", "/v2/models/add/infer", (ADD % f"pl-{i}-{r}-{k}").encode())
                               for k in range(burst)))
            got += read_answers(s, burst)
        s.close()
        return got
    res = run_parallel(conns, conn)
    return conns * burst * rounds, [x for r in res for x in r]


def minilm_binary(n):
    """A binary-extension infer of MiniLM's three INT64 inputs, each of shape [1, n]."""
    header = json.dumps({"id": "shape-%d-%s" % (n, uuid.uuid4().hex[:8]), "inputs": [
        {"name": name, "shape": [1, n], "datatype": "INT64", "parameters": {"binary_data_size": 8 * n}}
        for name in ("input_ids", "attention_mask", "token_type_ids")]}).encode()
    ids = struct.pack("<q", 101) * n
    ones = struct.pack("<q", 1) * n
    zeros = struct.pack("<q", 0) * n
    return header, header + ids + ones + zeros


def phase_shapes(port, model, total=20):
    def one(i):
        header, body = minilm_binary(1_000_000 if i % 2 == 0 else 600)
        s = connect(port)
        s.sendall(request("POST", f"/v2/models/{model}/infer", body, "application/octet-stream",
                          f"Inference-Header-Content-Length: {len(header)}\r\n"))
        got = read_answers(s, 1)
        s.close()
        return got
    res = run_parallel(total, one)
    return total, [x for r in res for x in r]


def phase_big_bodies(port, conns=40, size=60 << 20):
    def one(i):
        s = connect(port)
        s.sendall(f"POST /v2/models/add/infer HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {size}\r\n\r\n".encode())
        answer = []
        reader = threading.Thread(target=lambda: answer.extend(read_answers(s, 1, timeout=120)))
        reader.start()
        block = b" " * (1 << 20)
        try:
            for _ in range(size >> 20):  # whitespace, then nothing: the node refuses or answers 400
                if answer:
                    break
                s.sendall(block)
        except OSError:
            pass  # refused and closed before the body was all sent: the answer says why
        reader.join()
        s.close()
        return answer
    res = run_parallel(conns, one)
    return conns, [x for r in res for x in r]


def main():
    base, pid = sys.argv[1], int(sys.argv[2])
    model = sys.argv[sys.argv.index("--minilm") + 1] if "--minilm" in sys.argv else None
    port = int(base.rsplit(":", 1)[1])
    phases = [("unknown-names", lambda: phase_unknown_names(port)),
              ("pipelining", lambda: phase_pipelining(port))]
    if model:
        phases.append(("shapes", lambda: phase_shapes(port, model)))
    phases.append(("big-bodies", lambda: phase_big_bodies(port)))
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 2
    failed = False
    ends = []
    for rnd in range(1, rounds + 1):
        for name, run in phases:
            r0, m0 = rss_mb(pid), metrics_kb(base)
            t0 = time.time()
            sent, statuses = run()
            answered = len([s for s in statuses if isinstance(s, int)])
            counts = dict(sorted(Counter(s for s in statuses if isinstance(s, int)).items()))
            r1, m1 = rss_mb(pid), metrics_kb(base)
            bad = answered != sent or any(s >= 500 and s != 503 for s in counts)
            failed |= bad
            print(f"HOSTILE {name} round={rnd} sent={sent} answered={answered} statuses={counts} "
                  f"rss_mb={r0:.0f}->{r1:.0f} metrics_kb={m0:.0f}->{m1:.0f} seconds={time.time() - t0:.1f}"
                  f"{' FAIL' if bad else ''}", flush=True)
        ends.append((rss_mb(pid), metrics_kb(base)))
    grew = len(ends) > 1 and (ends[-1][0] > ends[0][0] + 64 or ends[-1][1] > ends[0][1] + 16)
    print("HOSTILE rounds rss_mb=" + "->".join(f"{r:.0f}" for r, _ in ends)
          + " metrics_kb=" + "->".join(f"{m:.0f}" for _, m in ends) + (" FAIL: grew" if grew else ""), flush=True)
    sys.exit(1 if failed or grew else 0)


if __name__ == "__main__":
    main()
