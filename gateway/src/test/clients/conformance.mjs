// The official OpenAI Node SDK as an application uses it, through the gateway.
// Environment: OPENAI_BASE_URL, OPENAI_API_KEY, MODEL, RESPONSES (1 when the endpoint serves the
// Responses API). Prints one JSON object: each check's name with "ok" or what went wrong.
import OpenAI from 'openai';

const client = new OpenAI({ maxRetries: 0, timeout: 30_000 });
const model = process.env.MODEL;
const results = {};
const WEATHER = [{
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}];

function assert(condition, what) {
  if (!condition) throw new Error(`assertion failed: ${JSON.stringify(what)}`);
}

async function check(name, fn) {
  try {
    await fn();
    results[name] = 'ok';
  } catch (e) {
    results[name] = `${e.constructor.name}: ${e.message}`;
  }
}

async function expectError(type, status, fn) {
  try {
    await fn();
  } catch (e) {
    assert(e instanceof type && e.status === status, `${e.constructor.name} ${e.status}`);
    return;
  }
  throw new Error(`no ${type.name}`);
}

await check('chat', async () => {
  const r = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });
  assert(r.choices[0].message.content && r.usage.total_tokens > 0, r);
});

await check('chat_stream_usage', async () => {
  let text = '';
  let usage = null;
  const stream = await client.chat.completions.create({
    model, messages: [{ role: 'user', content: 'stream please' }], stream: true,
    stream_options: { include_usage: true },
  });
  for await (const chunk of stream) {
    if (chunk.choices?.length && chunk.choices[0].delta?.content) text += chunk.choices[0].delta.content;
    if (chunk.usage) usage = chunk.usage;
  }
  assert(text && usage?.total_tokens > 0, { text, usage });
});

await check('forced_tool_and_result', async () => {
  const messages = [{ role: 'user', content: 'Paris' }];
  const r = await client.chat.completions.create({
    model, messages, tools: WEATHER,
    tool_choice: { type: 'function', function: { name: 'get_weather' } },
  });
  const call = r.choices[0].message.tool_calls[0];
  assert(call.function.name === 'get_weather', call);
  assert(JSON.parse(call.function.arguments).city === 'Paris', call.function.arguments);
  messages.push(r.choices[0].message, { role: 'tool', tool_call_id: call.id, content: 'sunny' });
  const after = await client.chat.completions.create({ model, messages, tools: WEATHER });
  assert(after.choices[0].message.content.includes('sunny'), after);
});

await check('forced_tool_stream', async () => {
  // The SDK's stream helper assembles the tool call from its chunks.
  const runner = client.chat.completions.stream({
    model, messages: [{ role: 'user', content: 'Rome' }], tools: WEATHER, tool_choice: 'required',
  });
  const done = await runner.finalChatCompletion();
  const call = done.choices[0].message.tool_calls[0];
  assert(call.function.name === 'get_weather', call);
  assert(JSON.parse(call.function.arguments).city === 'Rome', call.function.arguments);
  assert(done.choices[0].finish_reason === 'tool_calls', done.choices[0].finish_reason);
});

await check('models', async () => {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert(ids.includes(model), ids);
});

if (process.env.RESPONSES === '1') {
  await check('responses_create_and_follow_up', async () => {
    const first = await client.responses.create({ model, input: 'remember 42' });
    assert(first.output_text, first);
    const second = await client.responses.create({
      model, input: 'what did I say?', previous_response_id: first.id,
    });
    assert(second.output_text, second);
  });

  await check('responses_stream', async () => {
    let deltas = '';
    const stream = client.responses.stream({ model, input: 'stream a response' });
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') deltas += event.delta;
    }
    const final = await stream.finalResponse();
    assert(deltas && final.output_text === deltas, { deltas, final: final.output_text });
  });
}

await check('error_bad_key', () => expectError(OpenAI.AuthenticationError, 401, () =>
  new OpenAI({ apiKey: 'not-the-key', maxRetries: 0 }).chat.completions.create({
    model, messages: [{ role: 'user', content: 'x' }],
  })));

await check('error_bad_request', () => expectError(OpenAI.BadRequestError, 400, () =>
  client.chat.completions.create({ model, messages: 'not a list' })));

await check('error_unknown_model', () => expectError(OpenAI.NotFoundError, 404, () =>
  client.models.retrieve('no-such-model')));

console.log(JSON.stringify(results));
