"""A remote engine: any OpenAI-compatible server (llama.cpp server, vLLM, Ollama, a cloud API).

``RemoteEngine`` keeps the local engine's contract: ``stream_chat`` yields ``TextDelta``
events and ends with exactly one ``Finished``, and a ``CancelToken`` set from another
thread stops it promptly. The answer streams through ``POST /v1/chat/completions`` with
server-sent events; ``GET /v1/models`` lists what an endpoint offers.

Every failure becomes a one-line message that names the endpoint and keeps what the
server said: connection refused, timeouts, a rejected key, a model that is gone, rate
limits (with the server's Retry-After), server errors and a stream cut midway (the text
so far has already been yielded, so the caller keeps it).

Cancel while the engine waits for bytes: a watcher thread shuts the socket down, which
wakes the blocked read at once instead of waiting for the next token or a timeout.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any

import httpx

from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.engine.base import (
    CancelToken,
    ChatTurn,
    EngineCapabilities,
    EngineError,
    EngineEvent,
    Finished,
    GenerationParams,
    ModelInfo,
    TextDelta,
)
from desktop_app.core.engine.remote_spec import REMOTE_PREFIX as REMOTE_PREFIX
from desktop_app.core.engine.remote_spec import RemoteModelSpec as RemoteModelSpec
from desktop_app.core.engine.remote_spec import is_remote_spec as is_remote_spec
from desktop_app.core.engine.remote_spec import parse_remote_spec as parse_remote_spec
from desktop_app.core.tools.remote_calls import StreamedCalls, request_message, request_options

CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 300.0
"""How long to wait for the next bytes of an answer (a large prompt on a busy server)."""
LIST_TIMEOUT_S = 15.0
CANCEL_POLL_S = 0.05
_SERVER_TEXT_LIMIT = 300


class RemoteError(EngineError):
    """A request to an endpoint failed; the message names the endpoint and the cause."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after_s: float | None = None
    ):
        super().__init__(message)
        self.status = status
        self.retry_after_s = retry_after_s


def api_root(base_url: str) -> str:
    """The URL that ``/chat/completions`` and ``/models`` hang from.

    Users paste either ``http://host:8080`` or ``http://host:8080/v1``; both mean the same.
    """
    root = base_url.strip().rstrip("/")
    return root if root.endswith("/v1") else root + "/v1"


def _headers(api_key: str | None) -> dict[str, str]:
    headers = {"Accept": "application/json"}
    if api_key:
        headers["Authorization"] = f"Bearer {api_key}"
    return headers


def _server_text(response: httpx.Response) -> str:
    """What the server said about an error, from an OpenAI-style body or plain text."""
    try:
        body = response.read()
    except httpx.HTTPError:
        return ""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        error = data.get("error")
        if isinstance(error, dict) and error.get("message"):
            text = str(error["message"])
        elif isinstance(error, str):
            text = error
        elif data.get("detail"):
            text = str(data["detail"])
        elif data.get("message"):
            text = str(data["message"])
    text = " ".join(text.split())
    if len(text) > _SERVER_TEXT_LIMIT:
        text = text[: _SERVER_TEXT_LIMIT - 1] + "…"
    return text


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Parse a Retry-After header: seconds, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def status_error(endpoint: str, response: httpx.Response, model: str | None = None) -> RemoteError:
    """The user-facing error for an HTTP error status."""
    status = response.status_code
    said = _server_text(response)
    detail = f": {said}" if said else ""
    if status in (401, 403):
        message = (
            f"{endpoint} rejected the API key (HTTP {status}{detail}). "
            "Check the key in Settings → Endpoints."
        )
        return RemoteError(message, status=status)
    if status == 404:
        what = (
            f"The model {model!r} is not available on {endpoint}"
            if model
            else (f"{endpoint} has no such address; check the base URL")
        )
        return RemoteError(f"{what} (HTTP 404{detail}).", status=status)
    if status == 429:
        retry = retry_after_seconds(response.headers.get("Retry-After"))
        when = f"try again in {retry:.0f} s" if retry is not None else "try again later"
        return RemoteError(
            f"{endpoint} is limiting requests (HTTP 429{detail}); {when}.",
            status=status,
            retry_after_s=retry,
        )
    if status >= 500:
        return RemoteError(f"{endpoint} had a server error (HTTP {status}{detail}).", status=status)
    return RemoteError(f"{endpoint} refused the request (HTTP {status}{detail}).", status=status)


def transport_error(endpoint: str, url: str, exc: httpx.HTTPError) -> RemoteError:
    """The user-facing error for a failure below HTTP (no answer, a cut, a timeout)."""
    if isinstance(exc, httpx.ConnectTimeout):
        return RemoteError(f"{endpoint} at {url} did not accept a connection in time.")
    if isinstance(exc, httpx.ReadTimeout):
        return RemoteError(f"{endpoint} stopped answering (no data for {READ_TIMEOUT_S:.0f} s).")
    if isinstance(exc, httpx.TimeoutException):
        return RemoteError(f"{endpoint} at {url} timed out ({exc.__class__.__name__}).")
    if isinstance(exc, httpx.ConnectError):
        reason = str(exc) or "connection failed"
        if "refused" in reason.lower():
            reason = "connection refused; is the server running?"
        return RemoteError(f"Cannot connect to {endpoint} at {url}: {reason}")
    if isinstance(exc, httpx.UnsupportedProtocol):
        return RemoteError(f"{endpoint}: {url} is not an http:// or https:// address.")
    return RemoteError(f"The connection to {endpoint} failed: {exc or exc.__class__.__name__}")


def list_models(
    base_url: str,
    api_key: str | None = None,
    *,
    endpoint_name: str | None = None,
    timeout_s: float = LIST_TIMEOUT_S,
    transport: httpx.BaseTransport | None = None,
) -> list[str]:
    """The model ids an endpoint offers (``GET /v1/models``); raises ``RemoteError``."""
    name = endpoint_name or base_url
    url = api_root(base_url) + "/models"
    try:
        with httpx.Client(timeout=timeout_s, transport=transport) as client:
            response = client.get(url, headers=_headers(api_key))
            if response.status_code >= 400:
                raise status_error(name, response)
            data = response.json()
    except httpx.HTTPError as exc:
        raise transport_error(name, url, exc) from exc
    except ValueError as exc:
        raise RemoteError(f"{name} answered {url} with something that is not JSON.") from exc
    models = data.get("data") if isinstance(data, dict) else None
    if not isinstance(models, list):
        raise RemoteError(f"{name} answered {url} without a model list.")
    return [str(m["id"]) for m in models if isinstance(m, dict) and "id" in m]


class _CancelWatcher:
    """Shuts a response's socket down when the cancel token is set, waking a blocked read."""

    def __init__(self, cancel: CancelToken) -> None:
        self._cancel = cancel
        self._done = threading.Event()
        self._socket: socket.socket | None = None
        self._thread = threading.Thread(target=self._watch, name="HearthRemoteCancel", daemon=True)

    def start(self, response: httpx.Response) -> None:
        stream = response.extensions.get("network_stream")
        if stream is not None:
            try:
                self._socket = stream.get_extra_info("socket")
            except Exception:
                self._socket = None
        self._thread.start()

    def stop(self) -> None:
        self._done.set()

    def _watch(self) -> None:
        while not self._done.wait(CANCEL_POLL_S):
            if self._cancel.cancelled:
                if self._socket is not None:
                    with contextlib.suppress(OSError):
                        self._socket.shutdown(socket.SHUT_RDWR)
                return


def _sse_data(lines: Iterator[str]) -> Iterator[str]:
    """The ``data`` payloads of a server-sent event stream, one per event."""
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                yield "\n".join(data)
                data = []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if field == "data":
            data.append(value)
    if data:
        yield "\n".join(data)


_FINISH_REASONS = {"stop": FinishReason.STOP, "length": FinishReason.LENGTH}


class RemoteEngine:
    """A model on an OpenAI-compatible endpoint, used like a loaded local model.

    Creating one checks (unless ``check=False``) that the endpoint answers and offers
    ``model``, so that picking a model fails at "load" time with a clear message.
    ``extra_body`` is merged into every chat request (server-specific options).
    """

    capabilities = EngineCapabilities()
    """Chat only: the server keeps its own cache and counts its own tokens."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        *,
        endpoint_name: str | None = None,
        check: bool = True,
        connect_timeout_s: float = CONNECT_TIMEOUT_S,
        read_timeout_s: float = READ_TIMEOUT_S,
        transport: httpx.BaseTransport | None = None,
        extra_body: Mapping[str, Any] | None = None,
    ) -> None:
        self._name = endpoint_name or base_url
        self._root = api_root(base_url)
        self._model = model
        self._api_key = api_key
        self._extra = dict(extra_body or {})
        self._timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
        self._client = httpx.Client(timeout=self._timeout, transport=transport)
        if check:
            try:
                offered = list_models(
                    base_url,
                    api_key,
                    endpoint_name=self._name,
                    timeout_s=connect_timeout_s,
                    transport=transport,
                )
            except RemoteError:
                self._client.close()
                raise
            if offered and model not in offered:
                self._client.close()
                shown = ", ".join(offered[:5]) + (" …" if len(offered) > 5 else "")
                raise RemoteError(
                    f"The model {model!r} is not offered by {self._name} (it offers: {shown})."
                )
        spec = str(RemoteModelSpec(self._name, model)) if endpoint_name else model
        self._info = ModelInfo(
            name=model,
            path=spec,
            architecture="remote",
            context_length=0,
            chat_format=f"the server's own, on {self._name} ({self._root})",
            format_name="server",
            format_source="remote",
        )

    @property
    def info(self) -> ModelInfo:
        return self._info

    def close(self) -> None:
        self._client.close()

    def _body(self, turns: list[ChatTurn], params: GenerationParams) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self._model,
            "messages": [request_message(t) for t in turns],
            "stream": True,
            "stream_options": {"include_usage": True},
            "max_tokens": params.max_tokens,
            "temperature": params.temperature,
            "top_p": params.top_p,
        }
        if params.seed is not None:
            body["seed"] = params.seed
        if params.stop:
            body["stop"] = list(params.stop)[:4]
        body.update(request_options(params))
        body.update(self._extra)
        return body

    def stream_chat(
        self, turns: list[ChatTurn], params: GenerationParams, cancel: CancelToken | None = None
    ) -> Iterator[EngineEvent]:
        cancel = cancel or CancelToken()
        started = time.perf_counter()
        url = self._root + "/chat/completions"
        progress = _Progress(started)
        watcher = _CancelWatcher(cancel)
        try:
            with self._client.stream(
                "POST", url, json=self._body(turns, params), headers=_headers(self._api_key)
            ) as response:
                if response.status_code >= 400:
                    error = status_error(self._name, response, self._model)
                    yield Finished(FinishReason.ERROR, progress.stats(), error=str(error))
                    return
                watcher.start(response)
                yield from self._read_stream(response, cancel, progress)
        except httpx.HTTPError as exc:
            if cancel.cancelled:
                yield Finished(FinishReason.CANCELLED, progress.stats())
                return
            error = transport_error(self._name, url, exc)
            if progress.generated:
                message = (
                    f"The answer was cut off after {progress.generated} tokens: {error} "
                    "The text so far is kept."
                )
            else:
                message = str(error)
            yield Finished(FinishReason.ERROR, progress.stats(), error=message)
        finally:
            watcher.stop()

    def _read_stream(
        self, response: httpx.Response, cancel: CancelToken, progress: _Progress
    ) -> Iterator[EngineEvent]:
        reason: FinishReason | None = None
        done = False
        calls = StreamedCalls()
        for payload in _sse_data(response.iter_lines()):
            if cancel.cancelled:
                break
            if payload.strip() == "[DONE]":
                done = True
                break
            try:
                chunk = json.loads(payload)
            except ValueError:
                continue
            if not isinstance(chunk, dict):
                continue
            if chunk.get("error"):
                error = chunk["error"]
                said = error.get("message") if isinstance(error, dict) else str(error)
                yield Finished(
                    FinishReason.ERROR,
                    progress.stats(),
                    error=f"{self._name} reported an error mid-answer: {said}",
                )
                return
            usage = chunk.get("usage")
            if isinstance(usage, dict):
                progress.usage(usage)
            for choice in chunk.get("choices") or ():
                if not isinstance(choice, dict):
                    continue
                delta = choice.get("delta") or {}
                text = delta.get("content") if isinstance(delta, dict) else None
                if text:
                    progress.token()
                    yield TextDelta(text, progress.generated)
                if isinstance(delta, dict) and delta.get("tool_calls"):
                    calls.feed(delta["tool_calls"])
                finished = choice.get("finish_reason")
                if finished:
                    reason = _FINISH_REASONS.get(str(finished), FinishReason.STOP)
        if cancel.cancelled:
            yield Finished(FinishReason.CANCELLED, progress.stats())
            return
        if called := calls.text():
            yield TextDelta(called, progress.generated)
        if reason is None:
            ending = "" if done else " (the connection closed early)"
            yield Finished(
                FinishReason.ERROR,
                progress.stats(),
                error=(
                    f"{self._name} ended the answer without saying it was complete{ending}; "
                    "the text so far is kept."
                ),
            )
            return
        yield Finished(reason, progress.stats())


class _Progress:
    """Counts and times one answer; the server's own usage figures win when it sends them."""

    def __init__(self, started: float) -> None:
        self.started = started
        self.generated = 0
        self.first = 0.0
        self.last = 0.0
        self.prompt_tokens = 0
        self.completion_tokens: int | None = None

    def token(self) -> None:
        now = time.perf_counter()
        if not self.generated:
            self.first = now
        self.last = now
        self.generated += 1

    def usage(self, usage: dict[str, Any]) -> None:
        prompt = usage.get("prompt_tokens")
        completion = usage.get("completion_tokens")
        if isinstance(prompt, int):
            self.prompt_tokens = prompt
        if isinstance(completion, int):
            self.completion_tokens = completion

    def stats(self) -> GenerationStats:
        generated = self.completion_tokens if self.completion_tokens is not None else self.generated
        span = self.last - self.first
        return GenerationStats(
            prompt_tokens=self.prompt_tokens,
            generated_tokens=generated,
            time_to_first_token_s=(self.first - self.started) if self.first else None,
            tokens_per_s=(generated - 1) / span if generated > 1 and span > 0 else None,
        )
