"""The official OpenAI Python SDK as an application uses it, through the gateway.

Environment: OPENAI_BASE_URL, OPENAI_API_KEY, MODEL, RESPONSES (1 when the endpoint serves the
Responses API). Prints one JSON object: each check's name with "ok" or what went wrong.
"""
import json
import os

import openai

client = openai.OpenAI(max_retries=0, timeout=30)
model = os.environ["MODEL"]
results = {}

WEATHER = [{
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}]


def check(name):
    def run(fn):
        try:
            fn()
            results[name] = "ok"
        except Exception as e:  # what a check raises is its failure, reported by name
            results[name] = f"{type(e).__name__}: {e}"
        return fn
    return run


@check("chat")
def _():
    r = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "hi"}])
    assert r.choices[0].message.content, r
    assert r.usage.total_tokens > 0, r


@check("chat_stream_usage")
def _():
    text, usage = "", None
    stream = client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "stream please"}], stream=True,
        stream_options={"include_usage": True})
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            text += chunk.choices[0].delta.content
        if chunk.usage:
            usage = chunk.usage
    assert text, "no content"
    assert usage and usage.total_tokens > 0, "no usage"


@check("forced_tool_and_result")
def _():
    messages = [{"role": "user", "content": "Paris"}]
    r = client.chat.completions.create(
        model=model, messages=messages, tools=WEATHER,
        tool_choice={"type": "function", "function": {"name": "get_weather"}})
    call = r.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather", call
    assert json.loads(call.function.arguments) == {"city": "Paris"}, call.function.arguments
    messages.append(r.choices[0].message.model_dump(exclude_none=True))
    messages.append({"role": "tool", "tool_call_id": call.id, "content": "sunny"})
    after = client.chat.completions.create(model=model, messages=messages, tools=WEATHER)
    assert "sunny" in after.choices[0].message.content, after


@check("forced_tool_stream")
def _():
    stream = client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "Rome"}], tools=WEATHER,
        tool_choice="required", stream=True)
    name, arguments, finish = "", "", None
    for chunk in stream:
        if not chunk.choices:
            continue
        for call in chunk.choices[0].delta.tool_calls or []:
            name += call.function.name or ""
            arguments += call.function.arguments or ""
        finish = chunk.choices[0].finish_reason or finish
    assert name == "get_weather" and json.loads(arguments) == {"city": "Rome"}, (name, arguments)
    assert finish == "tool_calls", finish


@check("models")
def _():
    assert model in [m.id for m in client.models.list()]


if os.environ.get("RESPONSES") == "1":
    @check("responses_create_and_follow_up")
    def _():
        first = client.responses.create(model=model, input="remember 42")
        assert first.output_text, first
        second = client.responses.create(
            model=model, input="what did I say?", previous_response_id=first.id)
        assert second.output_text, second

    @check("responses_stream")
    def _():
        deltas = ""
        with client.responses.stream(model=model, input="stream a response") as stream:
            for event in stream:
                if event.type == "response.output_text.delta":
                    deltas += event.delta
            final = stream.get_final_response()
        assert deltas and final.output_text == deltas, (deltas, final.output_text)


@check("error_bad_key")
def _():
    bad = openai.OpenAI(api_key="not-the-key", max_retries=0)
    try:
        bad.chat.completions.create(model=model, messages=[{"role": "user", "content": "x"}])
    except openai.AuthenticationError as e:
        assert e.status_code == 401
        return
    raise AssertionError("no AuthenticationError")


@check("error_bad_request")
def _():
    try:
        client.chat.completions.create(model=model, messages="not a list")
    except openai.BadRequestError as e:
        assert e.status_code == 400
        return
    raise AssertionError("no BadRequestError")


@check("error_unknown_model")
def _():
    try:
        client.models.retrieve("no-such-model")
    except openai.NotFoundError as e:
        assert e.status_code == 404
        return
    raise AssertionError("no NotFoundError")


print(json.dumps(results))
