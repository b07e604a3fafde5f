// Sentence embeddings computed OUTSIDE our Java code, by @huggingface/transformers (its own
// tokenizer and onnxruntime-node), on the same model directory the node serves: the reference of
// node-gpu's EmbeddingReferenceTest. Offline: remote models are off, the folder is local.
//
//   node scripts/refs/embed_reference.mjs <models dir> <model name> <pooling> <normalize> <texts.json>
// prints {"vectors": [[...], ...]} on stdout. The model directory needs config.json,
// tokenizer.json, tokenizer_config.json and onnx/model.onnx (transformers.js' layout).
import { env, pipeline } from '@huggingface/transformers';
import { readFileSync } from 'node:fs';

const [modelsDir, name, pooling, normalize, textsFile] = process.argv.slice(2);
if (!textsFile) {
  console.error('usage: node embed_reference.mjs <models dir> <model name> <pooling> <normalize> <texts.json>');
  process.exit(2);
}
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = modelsDir.endsWith('/') ? modelsDir : modelsDir + '/';
env.useBrowserCache = false;
env.useFSCache = false;

const texts = JSON.parse(readFileSync(textsFile, 'utf8'));
const extract = await pipeline('feature-extraction', name, { dtype: 'fp32', device: 'cpu' });
const vectors = [];
// One text per call: the reference must not depend on how its own batching pads.
for (const text of texts) {
  const out = await extract(text, { pooling, normalize: normalize === 'true' });
  vectors.push(Array.from(out.data));
}
process.stdout.write(JSON.stringify({ vectors }));
