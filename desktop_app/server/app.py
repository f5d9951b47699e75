"""The ASGI application: OpenAI-compatible routes over one engine thread.

Handlers never call the engine: they check the request, submit a job and relay its
events (through ``relay``, into an ``asyncio.Queue``). A client that disconnects
cancels its job, whether it is still queued or already generating.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol, cast

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from desktop_app.core.chats.model import FinishReason
from desktop_app.core.engine.base import Finished, ModelInfo, TextDelta
from desktop_app.core.engine.remote import is_remote_spec
from desktop_app.server import protocol, timings, tools_api
from desktop_app.server.embeddings import Embedder, embeddings_route
from desktop_app.server.engine_thread import JOB_STARTED, Job, JobEvent, QueueFull
from desktop_app.server.errors import ApiError, error_body
from desktop_app.server.metrics import ServerMetrics
from desktop_app.server.models import matches
from desktop_app.server.operations import model_entries, operation_routes, runner_status
from desktop_app.server.pacing import STREAM_INTERVAL_S
from desktop_app.server.protocol import GenerationRequest
from desktop_app.server.relay import relay_for
from desktop_app.server.security import AccessGuard, AccessPolicy

_log = logging.getLogger(__name__)

MAX_BODY_BYTES = 4 * 1024 * 1024
DISCONNECT_POLL_S = 0.5


class JobRunner(Protocol):
    """Where jobs run: ``EngineThread``, or the window's engine thread when shared."""

    @property
    def info(self) -> ModelInfo | None: ...

    def submit(self, job: Job) -> None: ...


class ModelRouter(Protocol):
    """Many models, loaded on demand (``ModelPool``): each request is routed to one."""

    @property
    def info(self) -> ModelInfo | None: ...

    def route(self, requested: str | None) -> tuple[str, int, JobRunner]: ...

    def find(self, requested: str | None) -> Any: ...

    def listing(self) -> list[Any]: ...

    def loaded(self) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class ServerConfig:
    model_id: str
    """Empty: serve whatever model the runner has loaded (the window's, when shared)."""
    model_path: Path
    api_key: str | None = None
    """When set, every request must send ``Authorization: Bearer <key>``."""
    max_body_bytes: int = MAX_BODY_BYTES
    access: AccessPolicy = field(default_factory=AccessPolicy)
    """Which Host and Origin headers are answered (``security``)."""
    stream_interval_s: float = STREAM_INTERVAL_S
    """A streamed answer's text is sent at most this often (``STREAM_INTERVAL_S``)."""


def _error_response(error: ApiError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


def _sse(data: dict[str, Any] | str) -> str:
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return f"data: {payload}\n\n"


class _Api:
    def __init__(self, engine: JobRunner | ModelRouter, config: ServerConfig) -> None:
        self.router = cast(ModelRouter, engine) if hasattr(engine, "route") else None
        self.engine = cast(JobRunner, engine)
        self.config = config
        self.created = protocol.now()
        self.metrics = ServerMetrics(lambda: runner_status(engine, self.served_id))

    def served_id(self) -> str:
        return self.current_model()[0]

    # Checks

    def check_auth(self, request: Request) -> None:
        key = self.config.api_key
        if not key:
            return
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), key.encode()
        ):
            raise ApiError(
                401,
                "Missing or wrong API key. Send 'Authorization: Bearer <key>' with the key "
                "hearth serve printed when it created it.",
                code="invalid_api_key",
            )

    async def read_json(self, request: Request) -> Any:
        limit = self.config.max_body_bytes
        too_big = ApiError(
            413, f"The request body is larger than {limit} bytes.", code="request_too_large"
        )
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise too_big
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise too_big
            chunks.append(chunk)
        try:
            return json.loads(b"".join(chunks))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError(400, f"The request body is not valid JSON ({exc}).") from exc
        except RecursionError as exc:
            raise ApiError(400, "The request body nests JSON too deeply.") from exc

    def current_model(self) -> tuple[str, Path, int]:
        """The served model's id, file (or remote spec) and context length."""
        info = self.engine.info
        if info is None:
            raise ApiError(
                503,
                "No model is loaded in Hearth. Load one in the window, then try again.",
                kind="server_error",
                code="model_not_loaded",
            )
        if self.config.model_id:
            return self.config.model_id, self.config.model_path, info.context_length
        path = Path(info.path)
        model_id = info.name if is_remote_spec(info.path) else path.stem
        return model_id, path, info.context_length

    def check_model(self, requested: str | None) -> str:
        model_id, path, _ = self.current_model()
        if requested is None or matches(requested, model_id, path):
            return model_id
        raise ApiError(
            404,
            f"The model {requested!r} does not exist here; this server offers "
            f"{model_id!r} (see GET /v1/models).",
            param="model",
            code="model_not_found",
        )

    # Routes

    async def models(self, request: Request) -> Response:
        self.check_auth(request)
        if self.router is not None:
            data = await asyncio.to_thread(model_entries, self.router, self.created)
        else:
            data = [protocol.model_entry(self.current_model()[0], self.created)]
        return JSONResponse({"object": "list", "data": data})

    async def model(self, request: Request) -> Response:
        self.check_auth(request)
        requested = request.path_params["model"]
        if self.router is not None:
            entries = await asyncio.to_thread(model_entries, self.router, self.created)
            for entry in entries:
                if entry["id"] == requested:
                    return JSONResponse(entry)
            source = await asyncio.to_thread(self.router.find, requested)  # or the 404
            return JSONResponse(protocol.model_entry(source.id, self.created))
        model_id = self.check_model(requested)
        return JSONResponse(protocol.model_entry(model_id, self.created))

    async def target(self, body: Any) -> tuple[str, int, JobRunner]:
        """The model a request names, its context length and the runner to submit to."""
        if not isinstance(body, dict):
            raise ApiError(400, "The request body must be a JSON object.")
        requested = body.get("model")
        if not isinstance(requested, str):
            requested = None
        if self.router is not None:  # models on demand (ModelPool)
            return await asyncio.to_thread(self.router.route, requested)
        return self.check_model(requested), self.current_model()[2], self.engine

    async def chat(self, request: Request) -> Response:
        self.check_auth(request)
        body = await self.read_json(request)
        model_id, context, runner = await self.target(body)
        parsed = protocol.parse_chat(body, context or 4096)
        return await self.generate(request, parsed, True, model_id, runner)

    async def completions(self, request: Request) -> Response:
        self.check_auth(request)
        body = await self.read_json(request)
        model_id, context, runner = await self.target(body)
        parsed = protocol.parse_completion(body, context or 4096)
        return await self.generate(request, parsed, False, model_id, runner)

    # Generation

    async def generate(
        self,
        request: Request,
        parsed: GenerationRequest,
        chat: bool,
        model_id: str,
        runner: JobRunner,
    ) -> Response:
        relay = relay_for(asyncio.get_running_loop())
        events: asyncio.Queue[JobEvent] = asyncio.Queue()

        def sink(event: JobEvent) -> None:
            relay.send(events, event)

        job = Job(
            replace(parsed.params, stream_interval_s=self.config.stream_interval_s),
            self.metrics.track(model_id, sink),
            turns=parsed.turns,
            prompt=parsed.prompt,
        )
        try:
            runner.submit(job)
        except QueueFull:
            raise ApiError(
                503,
                "The server is busy: too many requests are waiting for the model. "
                "Try again shortly.",
                kind="server_error",
                code="queue_full",
                headers={"Retry-After": "1"},
            ) from None
        shape = _Shape(
            chat, model_id, protocol.new_id("chatcmpl" if chat else "cmpl"), job, parsed.tool_names
        )
        if parsed.stream:
            return StreamingResponse(
                self.stream(events, job, shape, parsed.include_usage),
                media_type="text/event-stream",
                headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
            )
        return await self.collect(request, events, job, shape)

    async def collect(
        self, request: Request, events: asyncio.Queue[JobEvent], job: Job, shape: _Shape
    ) -> Response:
        parts: list[str] = []
        try:
            while True:
                try:
                    event = await asyncio.wait_for(events.get(), DISCONNECT_POLL_S)
                except asyncio.TimeoutError:
                    if await request.is_disconnected():
                        job.cancel.cancel()
                        return Response(status_code=499)
                    continue
                if isinstance(event, TextDelta):
                    parts.append(event.text)
                elif isinstance(event, Finished):
                    break
        finally:
            job.cancel.cancel()  # a no-op once finished; stops the job if this handler ends
        if event.reason is FinishReason.ERROR:
            raise ApiError(500, event.error or "Generation failed.", kind="server_error")
        return JSONResponse(shape.whole("".join(parts), event))

    async def stream(
        self, events: asyncio.Queue[JobEvent], job: Job, shape: _Shape, include_usage: bool
    ) -> AsyncIterator[str]:
        calls = tools_api.stream_filter(shape.tool_names)
        try:
            while True:
                batch = [await events.get()]
                while not events.empty():
                    batch.append(events.get_nowait())
                text: list[str] = []
                for event in batch:
                    if event is JOB_STARTED:
                        if shape.chat:
                            yield _sse(shape.chunk({"role": "assistant", "content": ""}))
                    elif isinstance(event, TextDelta):
                        text.append(calls.feed(event.text) if calls else event.text)
                    elif isinstance(event, Finished):
                        made: list[Any] = []
                        if calls is not None:
                            rest, made = calls.finish()
                            text.append(rest)
                        if "".join(text):
                            yield _sse(shape.chunk(shape.delta("".join(text))))
                            text = []
                        if made:
                            deltas = tools_api.tool_call_deltas(made)
                            yield _sse(shape.chunk({"tool_calls": deltas}))
                        for line in shape.ending(event, include_usage, bool(made)):
                            yield _sse(line)
                        return
                if "".join(text):
                    yield _sse(shape.chunk(shape.delta("".join(text))))
        finally:
            job.cancel.cancel()  # the client went away, or the answer is complete


@dataclass(frozen=True)
class _Shape:
    """Builds chat or text completion objects for one response."""

    chat: bool
    model: str
    id: str
    job: Job
    tool_names: tuple[str, ...] = ()

    @property
    def created(self) -> int:
        return protocol.now()

    def delta(self, text: str) -> dict[str, Any] | str:
        return {"content": text} if self.chat else text

    def chunk(self, delta: dict[str, Any] | str, finish: str | None = None) -> dict[str, Any]:
        if self.chat:
            choice: dict[str, Any] = {"index": 0, "delta": delta, "finish_reason": finish}
            kind = "chat.completion.chunk"
        else:
            choice = {"index": 0, "text": delta, "logprobs": None, "finish_reason": finish}
            kind = "text_completion"
        return {
            "id": self.id,
            "object": kind,
            "created": self.created,
            "model": self.model,
            "choices": [choice],
        }

    def ending(
        self, finished: Finished, include_usage: bool, called: bool = False
    ) -> list[dict[str, Any] | str]:
        if finished.reason is FinishReason.ERROR:
            error = error_body(finished.error or "Generation failed.", "server_error")
            return [error, "[DONE]"]
        empty: dict[str, Any] | str = {} if self.chat else ""
        reason = "tool_calls" if called else protocol.finish_reason(finished.reason)
        last = self.chunk(empty, reason)
        last["timings"] = timings.timings(finished.stats, self.job)
        lines: list[dict[str, Any] | str] = [last]
        if include_usage:
            lines.append(
                {
                    "id": self.id,
                    "object": "chat.completion.chunk" if self.chat else "text_completion",
                    "created": self.created,
                    "model": self.model,
                    "choices": [],
                    "usage": timings.usage(finished.stats),
                }
            )
        lines.append("[DONE]")
        return lines

    def whole(self, text: str, finished: Finished) -> dict[str, Any]:
        reason = protocol.finish_reason(finished.reason)
        if self.chat:
            content, calls = tools_api.answer_parts(text, self.tool_names)
            message: dict[str, Any] = {"role": "assistant", "content": content}
            if calls:
                message["tool_calls"] = [call.to_openai() for call in calls]
                reason = "tool_calls"
            choice: dict[str, Any] = {"index": 0, "message": message, "finish_reason": reason}
        else:
            choice = {"index": 0, "text": text, "logprobs": None, "finish_reason": reason}
        return {
            "id": self.id,
            "object": "chat.completion" if self.chat else "text_completion",
            "created": self.created,
            "model": self.model,
            "choices": [choice],
            "usage": timings.usage(finished.stats),
            "timings": timings.timings(finished.stats, self.job),
        }


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return _error_response(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        error = ApiError(404, f"There is no {request.url.path} here.", code="not_found")
    elif exc.status_code == 405:
        error = ApiError(
            405, f"{request.method} is not allowed on {request.url.path}.", code="bad_method"
        )
    else:
        error = ApiError(exc.status_code, str(exc.detail))
    return _error_response(error)


async def _unexpected(request: Request, exc: Exception) -> Response:
    _log.exception("request failed")
    return _error_response(
        ApiError(500, f"Internal error: {exc.__class__.__name__}: {exc}", kind="server_error")
    )


def create_app(
    engine: JobRunner | ModelRouter, config: ServerConfig, embedder: Embedder | None = None
) -> Starlette:
    """The ASGI app; ``engine`` must already be started."""
    api = _Api(engine, config)
    routes = [
        *operation_routes(engine, api.metrics, api.check_auth, api.served_id),
        Route("/v1/models", api.models, methods=["GET"]),
        Route("/v1/models/{model:path}", api.model, methods=["GET"]),
        Route("/v1/chat/completions", api.chat, methods=["POST"]),
        Route("/v1/completions", api.completions, methods=["POST"]),
        Route("/v1/embeddings", embeddings_route(api, embedder), methods=["POST"]),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(AccessGuard, policy=config.access)],
        exception_handlers={
            ApiError: _api_error,
            HTTPException: _http_error,
            Exception: _unexpected,
        },
    )
