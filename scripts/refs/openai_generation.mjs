// Drives a pxnode node's completions and chat completions with the official OpenAI client (npm
// `openai`, unchanged) and writes what it saw, for GenerationClientTest to check:
//
//   node scripts/refs/openai_generation.mjs BASE_URL OUT_DIR MODEL
//
// BASE_URL is the node's http://host:port/v1. For each call NAME it writes OUT_DIR/NAME.body (the
// response body bytes as the client received them: for a stream, every SSE byte, trailer
// included), NAME.headers (the response head in the form `curl -D` writes), and NAME.data.json
// (what the client's user got: the completion object, or for a stream the array of chunks the
// `for await` loop saw, in order). Errors go to NAME.error.json. Prints a one-line JSON summary.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';

const [baseURL, outDir, model] = process.argv.slice(2);
if (!baseURL || !outDir || !model) {
  console.error('usage: node openai_generation.mjs BASE_URL OUT_DIR MODEL');
  process.exit(2);
}

// The client's own fetch, wrapped only to keep a copy of the body bytes as they pass. Not
// response.clone(): a tee'd body's cancel waits for both branches, so the client's clean-up after
// `data: [DONE]` would wait forever for the copy nobody reads yet.
let last = {};
const recordingFetch = async (url, init) => {
  const response = await fetch(url, init);
  const copy = [];
  const body = response.body.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        copy.push(Buffer.from(chunk));
        controller.enqueue(chunk);
      },
    }),
  );
  last = { copy };
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
};
const client = new OpenAI({ baseURL, apiKey: 'not-used-by-pxnode', maxRetries: 0, fetch: recordingFetch });

function head(response) {
  let text = `HTTP/1.1 ${response.status} ${response.statusText}\r\n`;
  for (const [name, value] of response.headers) {
    text += `${name}: ${value}\r\n`;
  }
  return text + '\r\n';
}

async function save(name, response, data) {
  writeFileSync(path.join(outDir, `${name}.body`), Buffer.concat(last.copy));
  writeFileSync(path.join(outDir, `${name}.headers`), head(response), 'latin1');
  writeFileSync(path.join(outDir, `${name}.data.json`), JSON.stringify(data));
}

function saveError(name, e, extra) {
  if (!(e instanceof OpenAI.APIError)) {
    throw e;
  }
  const error = { class: e.constructor.name, status: e.status ?? null, type: e.type, code: e.code, param: e.param, message: e.message, ...extra };
  writeFileSync(path.join(outDir, `${name}.error.json`), JSON.stringify(error));
  return error.class;
}

const id = (name) => ({ headers: { 'Pxnode-Request-Id': `req_gen_${name}` } });
const prompt = 'Once upon a time';
const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: [{ type: 'text', text: 'Hi' }, { type: 'text', text: 'there' }] },
];
const summary = {};

// 1. Completions, whole and streamed, with the same seed: the same text.
{
  const request = { model, prompt, max_tokens: 12, seed: 7, logprobs: 2 };
  const { data, response } = await client.completions.create(request, id('completion')).withResponse();
  await save('completion', response, data);
  summary.completion = { poe: response.headers.get('pxnode-poe') !== null };
}
{
  const request = { model, prompt, max_tokens: 12, seed: 7, logprobs: 2, stream: true, stream_options: { include_usage: true } };
  const { data: stream, response } = await client.completions.create(request, id('completion-stream')).withResponse();
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
  }
  await save('completion-stream', response, chunks);
  summary['completion-stream'] = { chunks: chunks.length };
}

// 2. Chat, whole and streamed; and the client's own accumulator (chat.completions.stream()).
{
  const request = { model, messages, max_completion_tokens: 10, seed: 7, logprobs: true, top_logprobs: 2 };
  const { data, response } = await client.chat.completions.create(request, id('chat')).withResponse();
  await save('chat', response, data);
  summary.chat = { poe: response.headers.get('pxnode-poe') !== null };
}
{
  const request = { model, messages, max_completion_tokens: 10, seed: 7, logprobs: true, top_logprobs: 2, stream: true, stream_options: { include_usage: true } };
  const { data: stream, response } = await client.chat.completions.create(request, id('chat-stream')).withResponse();
  const chunks = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
  }
  await save('chat-stream', response, chunks);
  summary['chat-stream'] = { chunks: chunks.length };
}
{
  const runner = client.chat.completions.stream({ model, messages, max_completion_tokens: 10, seed: 7, n: 2 }, id('chat-helper'));
  const final = await runner.finalChatCompletion();
  writeFileSync(path.join(outDir, 'chat-helper.data.json'), JSON.stringify(final));
  summary['chat-helper'] = { choices: final.choices.length };
}

// 3. Failures: before the stream began (a status and an error body), and after (an error event).
try {
  await client.completions.create({ model: 'no-such-model', prompt, stream: true });
  summary['before-stream'] = 'accepted';
} catch (e) {
  summary['before-stream'] = saveError('before-stream', e, {});
}
{
  const chunks = [];
  try {
    const stream = await client.completions.create({ model, prompt: 'fake:fail-at:3', max_tokens: 10, stream: true }, id('mid-stream'));
    for await (const chunk of stream) {
      chunks.push(chunk);
    }
    summary['mid-stream'] = 'completed';
  } catch (e) {
    summary['mid-stream'] = saveError('mid-stream', e, { chunks: chunks.length });
  }
}

console.log(JSON.stringify(summary));
