// Greedy generation computed OUTSIDE our Java code, by @huggingface/transformers' generate() (its
// own decode loop, cache handling and onnxruntime-node), on a model directory the tests wrote: a
// reference of node-gpu's DecoderTransformersJsTest. Offline: remote models are off, the folder is
// local; model.onnx at the directory's root (Optimum's layout) or onnx/model.onnx (transformers.js').
//
//   node scripts/refs/generate_reference.mjs <models dir> <model name> <max new tokens> <ids> [<ids> ...]
// <ids> is a prompt as comma-separated token ids. Prints {"results": [{"prompt", "tokens",
// "logits", "text"}]}: the generated tokens (generate stops early at an eos id of
// generation_config.json), the logits each was chosen from, and the tokenizer's decoding of them.
import { env, AutoModelForCausalLM, AutoTokenizer, LogitsProcessor, Tensor } from '@huggingface/transformers';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const [modelsDir, name, maxNewTokens, ...prompts] = process.argv.slice(2);
if (prompts.length === 0) {
  console.error('usage: node generate_reference.mjs <models dir> <model name> <max new tokens> <ids> [<ids> ...]');
  process.exit(2);
}
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = modelsDir.endsWith('/') ? modelsDir : modelsDir + '/';
env.useBrowserCache = false;
env.useFSCache = false;

/** Records the logits generate() chooses each token from (no other processor runs for greedy). */
class Recorder extends LogitsProcessor {
  constructor() {
    super();
    this.steps = [];
  }
  _call(inputIds, logits) {
    this.steps.push(Array.from(logits.data));
    return logits;
  }
}

const subfolder = existsSync(join(modelsDir, name, 'onnx', 'model.onnx')) ? 'onnx' : '';
const model = await AutoModelForCausalLM.from_pretrained(name, { dtype: 'fp32', device: 'cpu', subfolder });
const tokenizer = await AutoTokenizer.from_pretrained(name);
const results = [];
for (const prompt of prompts) {
  const ids = prompt.split(',').map((t) => BigInt(t));
  const recorder = new Recorder();
  const input_ids = new Tensor('int64', BigInt64Array.from(ids), [1, ids.length]);
  const attention_mask = new Tensor('int64', BigInt64Array.from(ids.map(() => 1n)), [1, ids.length]);
  const out = await model.generate({
    input_ids,
    attention_mask,
    max_new_tokens: Number(maxNewTokens),
    do_sample: false,
    logits_processor: [recorder],
  });
  const tokens = Array.from(out.data, Number).slice(ids.length);
  results.push({ prompt: ids.map(Number), tokens, logits: recorder.steps, text: tokenizer.decode(tokens) });
}
await model.dispose();
process.stdout.write(JSON.stringify({ results }));
