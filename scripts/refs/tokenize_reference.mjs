// The independent reference for node-gpu's tokenizer tests (io.parallelix.node.gpu.text): the npm
// `tokenizers` package, Hugging Face's own Node binding of the Rust library, none of our code.
//
// Usage: node scripts/refs/tokenize_reference.mjs <tokenizer.json> <texts.json> [<tokens.json>]
//   texts.json: a JSON array of strings; tokens.json: a JSON array of token strings to look up.
// Prints one JSON object on stdout:
//   {"vocab_size": n, "results": [{"ids": [...], "ids_plain": [...], "decoded": "...",
//    "decoded_skip": "..."}], "token_ids": {"<token>": id or null}}
// ids: with special tokens; ids_plain: without; decoded / decoded_skip: decode(ids) keeping /
// skipping special tokens. Truncation and padding are off, as node-gpu's Tokenizer sets them
// (MiniLM's tokenizer.json pads and truncates to 128 by itself otherwise).
// Install the package first: scripts/refs.sh.
import { readFileSync } from 'node:fs';
import { Tokenizer } from 'tokenizers';

const [tokenizerPath, textsPath, tokensPath] = process.argv.slice(2);
if (!tokenizerPath || !textsPath) {
  console.error('usage: node tokenize_reference.mjs <tokenizer.json> <texts.json> [<tokens.json>]');
  process.exit(2);
}
const texts = JSON.parse(readFileSync(textsPath, 'utf8'));
if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string')) {
  console.error('texts.json must be a JSON array of strings');
  process.exit(2);
}
const tokens = tokensPath ? JSON.parse(readFileSync(tokensPath, 'utf8')) : [];

const tokenizer = Tokenizer.fromFile(tokenizerPath);
tokenizer.disableTruncation();
tokenizer.disablePadding();

const results = [];
for (const text of texts) {
  const ids = (await tokenizer.encode(text, null, { addSpecialTokens: true })).getIds();
  const idsPlain = (await tokenizer.encode(text, null, { addSpecialTokens: false })).getIds();
  results.push({
    ids,
    ids_plain: idsPlain,
    decoded: await tokenizer.decode(ids, false),
    decoded_skip: await tokenizer.decode(ids, true),
  });
}
const tokenIds = {};
for (const token of tokens) {
  tokenIds[token] = tokenizer.tokenToId(token) ?? null;
}
process.stdout.write(JSON.stringify({ vocab_size: tokenizer.getVocabSize(true), results, token_ids: tokenIds }));
