// The bench's independent reference (issue 17): onnxruntime-node, a second ONNX Runtime binding
// outside our Java code, on the same model and request as NodeBench's ORT loops, so the node ÷
// limit ratio does not rest on our own Java loop alone. NodeBench runs it as mode "ortnode".
//
//   node scripts/bench/ort_reference.mjs --check            # prints the package's version, or fails
//   node scripts/bench/ort_reference.mjs MODEL BODY SECONDS CONCURRENCY [WARMUP_MS]
//
// BODY is the workload's OIP JSON request (inputs: name, shape, datatype, data). For each
// candidate, intraOpNumThreads 1 and the machine's cores (spinning on, sequential execution), one
// session, CONCURRENCY callers awaiting run back to back: a warm-up, then a window of SECONDS
// counting the runs that complete in it. Prints one line per candidate, then the best (most runs/s):
//   ORTNODE label=i1 intra=1 runs=… seconds=… rps=… p50_us=… p90_us=… p99_us=… max_us=… mean_us=… cpu_us=… other=…
//   ORTNODE label=best intra=2 …
// cpu_us: this process's CPU time per run (process.cpuUsage); other: the cores the rest of the
// machine kept busy meanwhile (/proc/stat). onnxruntime-node has no deterministic-compute switch;
// on the CPU provider it changes nothing for these models.
//
// The package resolves from scripts/refs/node_modules (bash scripts/refs.sh), whatever the CWD.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import os from 'node:os';

const require = createRequire(new URL('../refs/package.json', import.meta.url));
const ort = require('onnxruntime-node');

if (process.argv[2] === '--check') {
  console.log(`ORTNODE version=${ort.env.versions?.node ?? 'unknown'}`);
  process.exit(0);
}
const [model, bodyFile, secsArg, cArg, warmArg] = process.argv.slice(2);
if (!cArg) {
  console.error('usage: node ort_reference.mjs MODEL BODY.json SECONDS CONCURRENCY [WARMUP_MS]');
  process.exit(2);
}
const secs = Number(secsArg);
const c = Number(cArg);
const warmupMs = Number(warmArg ?? 300);

// OIP datatypes as ORT tensor types and their typed arrays (64-bit integers as BigInt)
const TYPES = {
  BOOL: ['bool', Uint8Array], UINT8: ['uint8', Uint8Array], INT8: ['int8', Int8Array],
  UINT16: ['uint16', Uint16Array], INT16: ['int16', Int16Array], UINT32: ['uint32', Uint32Array],
  INT32: ['int32', Int32Array], UINT64: ['uint64', BigUint64Array], INT64: ['int64', BigInt64Array],
  FP32: ['float32', Float32Array], FP64: ['float64', Float64Array],
};

function feeds(body) {
  const out = {};
  for (const input of body.inputs) {
    const type = TYPES[input.datatype];
    if (!type) throw new Error(`datatype ${input.datatype} of ${input.name} is not supported here`);
    const flat = [input.data].flat(Infinity);
    const big = type[1] === BigInt64Array || type[1] === BigUint64Array;
    const data = type[1].from(flat, (v) => (big ? BigInt(v) : type[1] === Uint8Array && input.datatype === 'BOOL' ? Number(!!v) : v));
    out[input.name] = new ort.Tensor(type[0], data, input.shape);
  }
  return out;
}

function busyNs() { // the same /proc/stat fields as NodeBench's MachineCpu (USER_HZ = 100)
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    return [1, 2, 3, 6, 7, 8].reduce((s, i) => s + Number(f[i]), 0) * 1e7;
  } catch {
    return 0;
  }
}

const pct = (sorted, p) => sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];

async function measure(intra, input) {
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'], executionMode: 'sequential', intraOpNumThreads: intra, interOpNumThreads: 1,
    extra: { session: { intra_op: { allow_spinning: '1' } } },
  });
  // As ClosedLoop: callers run from the start, the window opens after the warm-up, and every run
  // that completes inside it counts; the window closes when the last caller's run returns.
  let t0 = Infinity, end = Infinity, u0, b0;
  const lat = [];
  const opened = new Promise((r) => setTimeout(r, warmupMs)).then(() => {
    t0 = performance.now();
    end = t0 + secs * 1000;
    u0 = process.cpuUsage();
    b0 = busyNs();
  });
  const caller = async () => {
    while (performance.now() < end) {
      const s = performance.now();
      await session.run(input);
      const e = performance.now();
      if (e >= t0) lat.push((e - s) * 1000);
    }
  };
  await Promise.all([opened, ...Array.from({ length: c }, caller)]);
  const seconds = (performance.now() - t0) / 1000;
  const u = process.cpuUsage(u0);
  const busy = busyNs() - b0;
  await session.release();
  lat.sort((a, b) => a - b);
  const cpuNs = (u.user + u.system) * 1000;
  return {
    intra, runs: lat.length, seconds, rps: lat.length / seconds, p50_us: pct(lat, 50), p90_us: pct(lat, 90),
    p99_us: pct(lat, 99), max_us: lat[lat.length - 1], mean_us: lat.reduce((s, x) => s + x, 0) / lat.length,
    cpu_us: cpuNs / 1000 / lat.length, other: Math.max(0, busy - cpuNs) / 1e9 / seconds,
  };
}

const line = (label, r) => console.log(`ORTNODE label=${label} ` + Object.entries(r)
  .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(k === 'seconds' ? 4 : 1)}`).join(' '));

const input = feeds(JSON.parse(readFileSync(bodyFile, 'utf8')));
const cores = os.availableParallelism();
let best = null;
for (const intra of [...new Set([1, cores])]) {
  const r = await measure(intra, input);
  line(`i${intra}`, r);
  if (!best || r.rps > best.rps) best = r;
}
line('best', best);
