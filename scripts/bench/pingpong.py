#!/usr/bin/env python3
"""The host's floor for a request over loopback at c=1: one byte to a second process and back over
TCP (TCP_NODELAY, blocking sockets), 3,000 round trips per gap; a gap is spent spinning between
round trips, as a client waits out the node's signature. Each round trip is two thread wake-ups,
the least any HTTP answer pays (docs/benchmarks.md, "Second round").

    python3 scripts/bench/pingpong.py [ROUNDS]
"""
import os
import socket
import sys
import time


def echo(listener):
    conn, _ = listener.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while data := conn.recv(64):
        conn.sendall(data)


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    if os.fork() == 0:
        echo(listener)
        os._exit(0)
    s = socket.create_connection(listener.getsockname())
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for gap_us in (0, 300, 1000):
        rtt = []
        for _ in range(rounds):
            t = time.perf_counter_ns()
            s.sendall(b"x")
            s.recv(64)
            rtt.append((time.perf_counter_ns() - t) / 1000)
            until = time.perf_counter() + gap_us / 1e6
            while time.perf_counter() < until:
                pass
        rtt.sort()
        print(f"gap {gap_us} us: round trip p50 {rtt[len(rtt) // 2]:.0f} us, p90 {rtt[len(rtt) * 9 // 10]:.0f} us")
    s.close()
    os.wait()


if __name__ == "__main__":
    main()
