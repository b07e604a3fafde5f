// The official OpenAI client (npm `openai`, unchanged) reading pxnode's signed streams, for
// OpenAiStreamClientTest: the trailer line ": pxnode-poe {...}" is an SSE comment, which the
// client must skip.
//
//   node scripts/refs/openai_signed_stream.mjs BASE_URL
//
// Calls completions.create and chat.completions.create with stream: true and prints one JSON
// object, {"completions": [chunk, ...], "chat": [chunk, ...]}: every chunk the client yielded, in
// order. A client error (a line it could not parse) exits non-zero with the error on stderr.
import OpenAI from 'openai';

const [baseURL] = process.argv.slice(2);
if (!baseURL) {
  console.error('usage: node openai_signed_stream.mjs BASE_URL');
  process.exit(2);
}

const client = new OpenAI({ baseURL, apiKey: 'not-used-by-pxnode', maxRetries: 0 });
const out = { completions: [], chat: [] };
const completions = await client.completions.create({ model: 'test-gen', prompt: 'Hello', stream: true });
for await (const chunk of completions) {
  out.completions.push(chunk);
}
const chat = await client.chat.completions.create({
  model: 'test-gen',
  messages: [{ role: 'user', content: 'Hi' }],
  stream: true,
});
for await (const chunk of chat) {
  out.chat.push(chunk);
}
process.stdout.write(JSON.stringify(out));
