// Tokenization computed OUTSIDE our Java code, by Hugging Face's Rust tokenizers (npm `tokenizers`),
// on a tokenizer.json the tests wrote: the reference of node-gpu's DecoderTokenizerTest.
//
//   node scripts/refs/tokenize_reference.mjs <tokenizer.json> <texts.json>
// prints {"vocab_size": N, "results": [{"text", "ids", "tokens", "ids_with_special", "decoded",
// "decoded_skip_special"}]} on stdout; decoded is decode(ids_with_special, false).
import { Tokenizer } from 'tokenizers';
import { readFileSync } from 'node:fs';

const [tokenizerFile, textsFile] = process.argv.slice(2);
if (!textsFile) {
  console.error('usage: node tokenize_reference.mjs <tokenizer.json> <texts.json>');
  process.exit(2);
}
const tokenizer = Tokenizer.fromFile(tokenizerFile);
const texts = JSON.parse(readFileSync(textsFile, 'utf8'));
const results = [];
for (const text of texts) {
  const plain = await tokenizer.encode(text, null, { addSpecialTokens: false });
  const special = await tokenizer.encode(text, null, { addSpecialTokens: true });
  results.push({
    text,
    ids: plain.getIds(),
    tokens: plain.getTokens(),
    ids_with_special: special.getIds(),
    decoded: await tokenizer.decode(special.getIds(), false),
    decoded_skip_special: await tokenizer.decode(special.getIds(), true),
  });
}
process.stdout.write(JSON.stringify({ vocab_size: tokenizer.getVocabSize(true), results }));
