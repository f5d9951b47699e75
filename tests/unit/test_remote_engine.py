"""RemoteEngine against scripted HTTP answers (httpx.MockTransport): every failure is clear."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest

from desktop_app.core.chats.model import FinishReason
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    EngineError,
    Finished,
    GenerationParams,
    TextDelta,
)
from desktop_app.core.engine.remote import (
    RemoteEngine,
    RemoteError,
    RemoteModelSpec,
    api_root,
    list_models,
    parse_remote_spec,
    retry_after_seconds,
)

TURNS = [ChatTurn("user", "Hello")]
MODELS = {"object": "list", "data": [{"id": "small", "object": "model"}]}


def sse(*chunks: object, done: bool = True) -> bytes:
    lines = [f"data: {json.dumps(c)}\n\n" for c in chunks]
    if done:
        lines.append("data: [DONE]\n\n")
    return "".join(lines).encode()


def chunk(text: str | None = None, finish: str | None = None, usage: dict | None = None) -> dict:
    delta = {"content": text} if text is not None else {}
    body: dict = {
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    if usage is not None:
        body = {"object": "chat.completion.chunk", "choices": [], "usage": usage}
    return body


def engine_for(
    handler: Callable[[httpx.Request], httpx.Response], **kwargs: object
) -> RemoteEngine:
    def route(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/models"):
            return httpx.Response(200, json=MODELS)
        return handler(request)

    return RemoteEngine(
        "http://lab.test:8080",
        "small",
        "sk-test",
        endpoint_name="lab",
        transport=httpx.MockTransport(route),
        **kwargs,  # type: ignore[arg-type]
    )


def run(engine: RemoteEngine, cancel: CancelToken | None = None) -> tuple[str, Finished]:
    events = list(engine.stream_chat(TURNS, GenerationParams(max_tokens=50), cancel))
    assert isinstance(events[-1], Finished)
    assert all(isinstance(e, TextDelta) for e in events[:-1])
    return "".join(e.text for e in events[:-1]), events[-1]  # type: ignore[union-attr]


def test_streams_deltas_and_uses_the_servers_usage() -> None:
    seen: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        assert request.headers["Authorization"] == "Bearer sk-test"
        assert request.url.path == "/v1/chat/completions"
        body = sse(
            chunk("Hel"),
            chunk("lo"),
            chunk(None, "stop"),
            chunk(usage={"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12}),
        )
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    text, finished = run(engine_for(handler))
    assert text == "Hello"
    assert finished.reason is FinishReason.STOP
    assert finished.stats.prompt_tokens == 9
    assert finished.stats.generated_tokens == 3
    assert finished.stats.time_to_first_token_s is not None
    assert seen[0]["stream"] is True
    assert seen[0]["stream_options"] == {"include_usage": True}
    assert seen[0]["messages"] == [{"role": "user", "content": "Hello"}]
    assert seen[0]["max_tokens"] == 50


def test_counts_deltas_when_the_server_sends_no_usage() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=sse(chunk("a"), chunk("b"), chunk("c", "length")))

    text, finished = run(engine_for(handler))
    assert text == "abc"
    assert finished.reason is FinishReason.LENGTH
    assert finished.stats.generated_tokens == 3


@pytest.mark.parametrize(
    ("status", "headers", "body", "expected"),
    [
        (
            401,
            {},
            {"error": {"message": "Invalid API key"}},
            "rejected the API key (HTTP 401: Invalid API key)",
        ),
        (403, {}, {"detail": "forbidden"}, "rejected the API key (HTTP 403: forbidden)"),
        (
            404,
            {},
            {"error": {"message": "model gone"}},
            "The model 'small' is not available on lab (HTTP 404: model gone)",
        ),
        (
            429,
            {"Retry-After": "17"},
            {"error": {"message": "slow down"}},
            "lab is limiting requests (HTTP 429: slow down); try again in 17 s.",
        ),
        (500, {}, "boom", "lab had a server error (HTTP 500: boom)."),
        (
            503,
            {},
            {"error": {"message": "overloaded"}},
            "lab had a server error (HTTP 503: overloaded).",
        ),
        (
            400,
            {},
            {"error": {"message": "bad temperature"}},
            "lab refused the request (HTTP 400: bad temperature).",
        ),
    ],
)
def test_http_errors_are_clear(status: int, headers: dict, body: object, expected: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if isinstance(body, str):
            return httpx.Response(status, text=body, headers=headers)
        return httpx.Response(status, json=body, headers=headers)

    text, finished = run(engine_for(handler))
    assert text == ""
    assert finished.reason is FinishReason.ERROR
    assert expected in (finished.error or "")


def test_rate_limit_keeps_the_retry_after_value() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("not called")

    def models(request: httpx.Request) -> httpx.Response:
        return httpx.Response(429, headers={"Retry-After": "30"}, json={})

    with pytest.raises(RemoteError) as caught:
        list_models("http://lab.test", endpoint_name="lab", transport=httpx.MockTransport(models))
    assert caught.value.retry_after_s == 30
    assert "try again in 30 s" in str(caught.value)


def test_retry_after_as_an_http_date() -> None:
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_a_stream_cut_midway_keeps_the_text_and_says_so() -> None:
    class Cut(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            yield sse(chunk("partial "), chunk("answer"), done=False)
            raise httpx.RemoteProtocolError(
                "peer closed connection without sending complete message body"
            )

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Cut())

    text, finished = run(engine_for(handler))
    assert text == "partial answer"
    assert finished.reason is FinishReason.ERROR
    assert "cut off after 2 tokens" in (finished.error or "")
    assert "The text so far is kept" in (finished.error or "")
    assert finished.stats.generated_tokens == 2


def test_a_stream_that_ends_without_a_finish_reason_is_an_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=sse(chunk("half"), done=False))

    text, finished = run(engine_for(handler))
    assert text == "half"
    assert finished.reason is FinishReason.ERROR
    assert "closed early" in (finished.error or "")


def test_an_error_event_mid_stream() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=sse(chunk("x"), {"error": {"message": "out of memory"}}))

    text, finished = run(engine_for(handler))
    assert text == "x"
    assert finished.reason is FinishReason.ERROR
    assert "out of memory" in (finished.error or "")


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (
            httpx.ConnectError("[Errno 111] Connection refused"),
            "Cannot connect to lab at http://lab.test:8080/v1/chat/completions: "
            "connection refused; is the server running?",
        ),
        (httpx.ConnectTimeout("timed out"), "did not accept a connection in time"),
        (httpx.ReadTimeout("timed out"), "lab stopped answering"),
    ],
)
def test_transport_failures_are_clear(exc: Exception, expected: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    _text, finished = run(engine_for(handler))
    assert finished.reason is FinishReason.ERROR
    assert expected in (finished.error or "")


def test_cancel_between_chunks_stops_the_answer() -> None:
    cancel = CancelToken()

    class Endless(httpx.SyncByteStream):
        def __iter__(self) -> Iterator[bytes]:
            while True:
                yield sse(chunk("tok "), done=False)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=Endless())

    engine = engine_for(handler)
    received = []
    for event in engine.stream_chat(TURNS, GenerationParams(), cancel):
        received.append(event)
        if len(received) == 3:
            cancel.cancel()
    assert isinstance(received[-1], Finished)
    assert received[-1].reason is FinishReason.CANCELLED
    assert len(received) <= 5


def test_loading_a_model_the_endpoint_does_not_offer_fails_clearly() -> None:
    with pytest.raises(EngineError, match="'big' is not offered by lab \\(it offers: small\\)"):
        RemoteEngine(
            "http://lab.test",
            "big",
            endpoint_name="lab",
            transport=httpx.MockTransport(lambda r: httpx.Response(200, json=MODELS)),
        )


def test_specs_and_urls() -> None:
    spec = parse_remote_spec("remote:lab/org/model-7b")
    assert spec == RemoteModelSpec("lab", "org/model-7b")
    assert str(spec) == "remote:lab/org/model-7b"
    for bad in ("remote:lab", "remote:/m", "lab/m"):
        with pytest.raises(EngineError):
            parse_remote_spec(bad)
    assert api_root("http://h:8080/") == "http://h:8080/v1"
    assert api_root("http://h:8080/v1/") == "http://h:8080/v1"
    assert api_root("https://api.example.com/v1") == "https://api.example.com/v1"
