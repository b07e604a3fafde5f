// Drives a pxnode node with the official OpenAI client (npm `openai`, unchanged) and writes what it
// saw, for OpenAiClientTest to check with scripts/verify_envelope.py:
//
//   node scripts/refs/openai_embeddings.mjs BASE_URL OUT_DIR MODEL
//
// BASE_URL is the node's http://host:port/v1. For each call NAME it writes OUT_DIR/NAME.body (the
// response body bytes as the client received them), NAME.headers (the response head in the form
// `curl -D` writes), NAME.sent.json (the request body the client sent) and NAME.data.json (what
// the client's user got back: embeddings as number arrays, or strings when base64 was asked for
// explicitly). Errors go to NAME.error.json. Prints a one-line JSON summary; exits 1 on surprise.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import OpenAI from 'openai';

const [baseURL, outDir, model] = process.argv.slice(2);
if (!baseURL || !outDir || !model) {
  console.error('usage: node openai_embeddings.mjs BASE_URL OUT_DIR MODEL');
  process.exit(2);
}

// The client's own fetch, wrapped only to keep a copy of what went over the wire.
let last = {};
const recordingFetch = async (url, init) => {
  const response = await fetch(url, init);
  last = { sent: init?.body, raw: response.clone() };
  return response;
};

const client = new OpenAI({ baseURL, apiKey: 'not-used-by-pxnode', maxRetries: 0, fetch: recordingFetch });
const texts = ['The quick brown fox', 'jumps over the lazy dog', 'caf\u00e9 \u{1F600}'];

function head(response) {
  let text = `HTTP/1.1 ${response.status} ${response.statusText}\r\n`;
  for (const [name, value] of response.headers) {
    text += `${name}: ${value}\r\n`;
  }
  return text + '\r\n';
}

async function save(name, response, data) {
  const raw = Buffer.from(await last.raw.arrayBuffer());
  writeFileSync(path.join(outDir, `${name}.body`), raw);
  writeFileSync(path.join(outDir, `${name}.headers`), head(response), 'latin1');
  writeFileSync(path.join(outDir, `${name}.sent.json`), String(last.sent));
  if (data !== undefined) {
    writeFileSync(path.join(outDir, `${name}.data.json`), JSON.stringify(data));
  }
}

const summary = {};

// 1. As most code calls it: no encoding_format. The client asks for base64 and decodes it itself.
{
  const options = { headers: { 'Pxnode-Request-Id': 'req_openai_default' } };
  const { data, response } = await client.embeddings.create({ model, input: texts }, options).withResponse();
  await save('default', response, data);
  summary.default = { poe: response.headers.get('pxnode-poe') !== null, items: data.data.length };
}

// 2. encoding_format float: numbers in the JSON, given to the user as they are.
{
  const options = { headers: { 'Pxnode-Request-Id': 'req_openai_float' } };
  const request = { model, input: texts, encoding_format: 'float' };
  const { data, response } = await client.embeddings.create(request, options).withResponse();
  await save('float', response, data);
  summary.float = { poe: response.headers.get('pxnode-poe') !== null };
}

// 3. Without a request id (direct use): the node allocates one; raw access through asResponse().
{
  const response = await client.embeddings.create({ model, input: 'hello' }).asResponse();
  await save('direct', response, undefined);
  summary.direct = { requestId: response.headers.get('pxnode-request-id') };
}

// 4. Errors: what the client makes of the node's OpenAI-shaped errors.
for (const [name, request] of [
  ['unknown-model', { model: 'no-such-model', input: 'x' }],
  ['empty-input', { model, input: [] }],
]) {
  try {
    await client.embeddings.create(request);
    summary[name] = 'accepted';
  } catch (e) {
    if (!(e instanceof OpenAI.APIError)) {
      throw e;
    }
    const error = { class: e.constructor.name, status: e.status, type: e.type, code: e.code, param: e.param, message: e.message };
    writeFileSync(path.join(outDir, `${name}.error.json`), JSON.stringify(error));
    summary[name] = error.class;
  }
}

console.log(JSON.stringify(summary));
