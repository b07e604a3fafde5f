#!/usr/bin/env python3
"""Tables for scripts/bench.sh from node-daemon/target/bench/results.tsv (NodeBench's lines).

    report.py DIR          node tables (results.tsv)
    report.py --jmh DIR    JMH tables (jmh-*.json)

Every figure is the median over the repeats, with [min-max] where a spread matters. Ratios are
computed per repeat from points measured back to back, then their median is taken.
"""
import json
import os
import statistics
import sys
from collections import defaultdict

RESULT = ["mode", "workload", "provider", "c", "repeat", "count", "errors", "seconds", "rps",
          "p50", "p90", "p99", "max", "mean", "cpu", "gen_cpu", "other", "bytes"]
STAGES = ["queue", "decode", "instance_wait", "tensor", "run", "encode", "sign", "total"]


def load(path):
    results, stages, memory, paired = {}, {}, [], defaultdict(list)
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if f[0] == "RESULT":
            r = dict(zip(RESULT, f[1:]))
            for k in RESULT[3:]:
                r[k] = float(r[k])
            results[(r["mode"], r["workload"], r["provider"], int(r["c"]), int(r["repeat"]))] = r
        elif f[0] == "STAGES":
            stages[(f[1], f[2], int(f[3]), int(f[4]))] = [float(x) for x in f[5:]]
        elif f[0] == "MEMORY":
            memory.append(f[1:])
        elif f[0] == "PAIRED":
            paired[(f[2], f[3], f[1])].append([float(x) for x in f[5:]])
    return results, stages, memory, paired


def med(xs):
    xs = [x for x in xs if x == x]
    return statistics.median(xs) if xs else float("nan")


def num(x, digits=0):
    if x != x:
        return "–"
    return f"{x:,.{digits}f}"


def spread(xs, digits=0):
    xs = [x for x in xs if x == x]
    if not xs:
        return "–"
    if len(xs) == 1:
        return num(xs[0], digits)
    return f"{num(med(xs), digits)} [{num(min(xs), digits)}–{num(max(xs), digits)}]"


def table(head, rows):
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" if i < 3 else "---:" for i in range(len(head))) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


def node_report(d):
    results, stages, memory, paired = load(os.path.join(d, "results.tsv"))
    keys = sorted({(k[1], k[2], k[3]) for k in results}, key=lambda k: (wl_order(k[0]), k[1], k[2]))
    repeats = sorted({k[4] for k in results})
    print(f"repeats: {len(repeats)}; figures are medians [min–max] over the repeats\n")

    def series(mode, w, p, c, field):
        return [results[(mode, w, p, c, r)][field] for r in repeats if (mode, w, p, c, r) in results]

    def ratio(num_mode, den_mode, w, p, c, field="rps"):
        out = []
        for r in repeats:
            a, b = results.get((num_mode, w, p, c, r)), results.get((den_mode, w, p, c, r))
            if a and b and b[field] > 0:
                out.append(a[field] / b[field])
        return out

    print("### Throughput (requests/s) and the node ÷ limit ratios\n")
    rows = []
    for w, p, c in keys:
        rows.append([w, p, str(c)] + [spread(series(m, w, p, c, "rps")) for m in ("ort", "ort+sign", "service", "http")]
                    + [spread(ratio("http", "ort+sign", w, p, c), 3), spread(ratio("service", "ort+sign", w, p, c), 3),
                       spread(ratio("http", "ort", w, p, c), 3)])
    table(["workload", "crypto", "c", "ORT alone", "ORT + 1 sig", "service (no HTTP)", "HTTP",
           "HTTP ÷ (ORT+sig)", "service ÷ (ORT+sig)", "HTTP ÷ ORT"], rows)

    print("### Over HTTP: latency (µs), errors, CPU per request\n")
    rows = []
    for w, p, c in keys:
        if not series("http", w, p, c, "rps"):
            continue
        rows.append([w, p, str(c), spread(series("http", w, p, c, "rps"))]
                    + [num(med(series("http", w, p, c, f))) for f in ("p50", "p90", "p99", "max")]
                    + [num(sum(series("http", w, p, c, "errors"))),
                       num(med(series("http", w, p, c, "cpu"))), num(med(series("http", w, p, c, "gen_cpu")), 1),
                       num(med(series("http", w, p, c, "other")), 2)])
    table(["workload", "crypto", "c", "req/s", "p50", "p90", "p99", "max", "errors", "node CPU µs/req",
           "wrk CPU µs/req", "other load (cores)"], rows)

    print("### Stage means over HTTP from the node's /metrics (µs) vs the client's mean latency\n")
    rows = []
    for w, p, c in keys:
        st = [stages[(w, p, c, r)] for r in repeats if (w, p, c, r) in stages]
        if not st:
            continue
        means = [med([s[i] for s in st]) for i in range(len(STAGES))]
        http_mean = med(series("http", w, p, c, "mean"))
        rows.append([w, p, str(c)] + [num(x) for x in means] + [num(http_mean), num(http_mean - means[-1])])
    table(["workload", "crypto", "c"] + STAGES + ["client mean", "outside total"], rows)

    print("### Per-request overhead at c=1: p50 − ORT run p50 − one signature p50 (µs)\n")
    rows = []
    for w, p, c in keys:
        if c != 1:
            continue
        for mode in ("service", "http"):
            over = []
            for r in repeats:
                a = results.get((mode, w, p, 1, r))
                o = results.get(("ort", w, p, 1, r))
                s = results.get(("sign", w, p, 1, r))
                if a and o and s:
                    over.append(a["p50"] - o["p50"] - s["p50"])
            if over:
                rows.append([w, p, mode, num(med(series(mode, w, p, 1, "p50"))), num(med(series("ort", w, p, 1, "p50"))),
                             num(med(series("sign", w, p, 1, "p50"))), spread(over)])
    table(["workload", "crypto", "path", "p50", "ORT p50", "sign p50", "overhead"], rows)

    if paired:
        print("### Per-request overhead at c=1, paired request by request (µs, medians per window)\n")
        print("latency − run − sign stage, where the sign stage is the node's own PoE + signature + verify "
              "for that request; 'outside the node' is latency − the node's total (HTTP, hand-offs, client).\n")
        rows = []
        for (w, p, mode), reps in sorted(paired.items(), key=lambda kv: (wl_order(kv[0][0]), kv[0][1], kv[0][2])):
            col = lambda i: [r[i] for r in reps]
            rows.append([w, p, mode.replace("paired-", ""), num(sum(col(0))), num(med(col(1)))
                         , num(med(col(2))), num(med(col(3))), spread(col(4)), spread(col(5))])
        table(["workload", "crypto", "path", "requests", "latency", "run", "sign stage", "overhead",
               "outside the node"], rows)

    print("### Signing: cost, ceiling across the cores, share of the limit\n")
    rows = []
    for w, p, c in keys:
        if c != 1:
            continue
        cmax = max((k[3] for k in results if k[0] == "sign" and k[1] == w and k[2] == p), default=None)
        sat = max((k[3] for k in results if k[0] == "ort+sign" and k[1] == w and k[2] == p), default=None)
        share = [1 - x for x in ratio("ort+sign", "ort", w, p, 8)] if (("ort", w, p, 8, repeats[0]) in results) else []
        rows.append([w, p, num(med(series("sign", w, p, 1, "p50"))), num(med(series("signer", w, p, 1, "p50"))),
                     num(med(series("sign", w, p, 1, "rps"))),
                     f"{num(med(series('sign', w, p, cmax, 'rps')))} (c={cmax})" if cmax else "–",
                     spread(share, 3), spread(ratio("http", "ort", w, p, 8), 3) if sat else "–"])
    table(["workload", "crypto", "1 sig p50 µs", "ResultSigner p50 µs (PoE+sig+verify)", "sig/s 1 thread",
           "sig/s all cores", "sig share of the limit at c=8 (1 − (ORT+sig)/ORT)", "node ÷ ORT alone at c=8"], rows)

    print("### What bounds each workload (requests/s ceilings at saturation, medians)\n")
    print(f"run: ORT alone at its highest concurrency (the session's run permits); sign: signatures alone on "
          f"all {os.cpu_count()} cores; CPU: {os.cpu_count()} cores ÷ (ORT + one signature CPU per request, in "
          f"process, c=1); node CPU: {os.cpu_count()} cores ÷ (node + wrk CPU per request over HTTP at that c).\n")
    rows = []
    for w, p in sorted({(k[0], k[1]) for k in keys}, key=lambda k: (wl_order(k[0]), k[1])):
        cs = sorted({k[2] for k in keys if k[0] == w and k[1] == p})
        c_ort = max([c for c in cs if series("ort", w, p, c, "rps")], default=None)
        c_sign = max([c for c in cs if series("sign", w, p, c, "rps")], default=None)
        run_ceiling = med(series("ort", w, p, c_ort, "rps")) if c_ort else float("nan")
        sign_ceiling = med(series("sign", w, p, c_sign, "rps")) if c_sign else float("nan")
        cpu_per = med(series("ort", w, p, 1, "cpu")) + med(series("sign", w, p, 1, "cpu"))
        cpu_ceiling = os.cpu_count() * 1e6 / cpu_per if cpu_per == cpu_per else float("nan")
        ceilings = {"run": run_ceiling, "sign": sign_ceiling, "CPU (run + sign)": cpu_ceiling}
        bound = min((v, k) for k, v in ceilings.items() if v == v)[1] if any(v == v for v in ceilings.values()) else "–"
        for c in [c for c in cs if c >= 8 and series("http", w, p, c, "rps")]:
            node_cpu = med(series("http", w, p, c, "cpu")) + med(series("http", w, p, c, "gen_cpu"))
            node_ceiling = os.cpu_count() * 1e6 / node_cpu if node_cpu == node_cpu else float("nan")
            rows.append([w, p, str(c), num(run_ceiling), num(sign_ceiling), num(cpu_ceiling), bound,
                         num(med(series("ort+sign", w, p, c, "rps"))), num(med(series("http", w, p, c, "rps"))),
                         num(node_ceiling), num(med(series("http", w, p, c, "other")), 2)])
    table(["workload", "crypto", "c", "run", "sign", "CPU", "limit bound by", "ORT+sig measured", "HTTP measured",
           "node CPU ceiling", "other load (cores)"], rows)

    if memory:
        print("### Node memory (after a full GC: jcmd GC.run)\n")
        mib = lambda x: num(int(x) / 1048576, 1)
        table(["crypto", "phase", "requests served", "RSS MiB", "heap used MiB", "non-heap MiB", "direct MiB"],
              [[m[0], m[1], num(int(m[2])), mib(m[3]), mib(m[4]), mib(m[5]), mib(m[6])] for m in memory])


def wl_order(w):
    return (0, 0) if w == "add" else (1, int(w.split("-")[1])) if w.startswith("minilm-") else (2, w)


def jmh_report(d):
    for name in ("protocol", "engine", "crypto"):
        path = os.path.join(d, f"jmh-{name}.json")
        if not os.path.exists(path):
            continue
        print(f"### JMH: {name}\n")
        rows = []
        for r in json.load(open(path)):
            m = r["primaryMetric"]
            err = m["scoreError"]
            rows.append([r["benchmark"].rsplit(".", 1)[1], " ".join(f"{k}={v}" for k, v in r.get("params", {}).items()),
                         m["scoreUnit"], num(m["score"], 2), "" if err != err else num(err, 2)])
        table(["benchmark", "params", "unit", "score", "±"], rows)


if __name__ == "__main__":
    if sys.argv[1] == "--jmh":
        jmh_report(sys.argv[2])
    else:
        node_report(sys.argv[1])
        jmh_report(sys.argv[1])
