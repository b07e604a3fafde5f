#!/usr/bin/env python3
"""Where a JFR recording's CPU samples go: top self frames and top inclusive frames.

    jfr_top.py FILE.jfr [--event jdk.ExecutionSample] [--top 25] [--thread REGEX] [--match REGEX]

Reads `jfr print --json --events EVENT FILE` (JDK's jfr tool). Inclusive counts a method once per
sample however often it recurs. --match lists only inclusive frames whose name matches (e.g.
'io\\.parallelix|netty|jackson'). Used for the profiles in docs/benchmarks.md.
"""
import argparse
import collections
import json
import re
import subprocess

p = argparse.ArgumentParser()
p.add_argument("file")
p.add_argument("--event", default="jdk.ExecutionSample")
p.add_argument("--top", type=int, default=25)
p.add_argument("--thread", default=None)
p.add_argument("--match", default=None)
a = p.parse_args()

out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", a.event, a.file],
                     check=True, capture_output=True, text=True).stdout
events = json.loads(out)["recording"]["events"]
selfc, incl, threads = collections.Counter(), collections.Counter(), collections.Counter()
n = 0
for e in events:
    v = e["values"]
    t = (v.get("sampledThread") or {}).get("javaName") or "?"
    if a.thread and not re.search(a.thread, t):
        continue
    frames = (v.get("stackTrace") or {}).get("frames") or []
    if not frames:
        continue
    n += 1
    threads[re.sub(r"-\d+$", "-N", t)] += 1
    names = [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in frames]
    selfc[names[0]] += 1
    for name in set(names):
        incl[name] += 1
print(f"{n} samples")
print("\nthreads:")
for t, c in threads.most_common(10):
    print(f"  {100 * c / n:5.1f}%  {t}")
print("\nself:")
for m, c in selfc.most_common(a.top):
    print(f"  {100 * c / n:5.1f}%  {m}")
print("\ninclusive:")
shown = 0
for m, c in incl.most_common():
    if a.match and not re.search(a.match, m):
        continue
    print(f"  {100 * c / n:5.1f}%  {m}")
    shown += 1
    if shown >= a.top:
        break
