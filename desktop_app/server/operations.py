"""Routes for operators: ``GET /health``, ``GET /metrics`` and ``GET /v1/ps``.

``/health`` answers 200 when the server can take requests and 503 while a model loads
(or, on the window's engine, while none is loaded); it needs no key and tells nothing
but that. ``/metrics`` (Prometheus text) and ``/v1/ps`` (what is loaded, memory each,
idle time: ``hearth ps``) need the key like every other route.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from desktop_app.server import protocol
from desktop_app.server.metrics import CONTENT_TYPE, ServerMetrics


def runner_status(runner: Any, model_id: Callable[[], str]) -> list[dict[str, Any]]:
    """What ``runner`` has loaded, as ``ModelPool.loaded()`` rows (any runner)."""
    loaded = getattr(runner, "loaded", None)
    if loaded is not None:
        return list(loaded())
    info = runner.info
    if info is None:
        return []
    busy = bool(getattr(runner, "busy", False))
    return [
        {
            "id": model_id(),
            "state": "ready",
            "remote": False,
            "memory_bytes": int(getattr(runner, "memory_bytes", 0)),
            "idle_s": None,
            "active": int(busy),
            "waiting": int(getattr(runner, "waiting", 0)),
            "parallel": int(getattr(runner, "parallel", 1) or 1),
            "context_length": info.context_length,
            "load_s": None,
            "error": None,
        }
    ]


def model_entries(pool: Any, created: int) -> list[dict[str, Any]]:
    """``GET /v1/models`` of a ``ModelPool``: every model a request may name, remote ones
    marked, with whether each is loaded now."""
    states = {row["id"]: row["state"] for row in pool.loaded()}
    entries = []
    for source in pool.listing():
        entry = protocol.model_entry(source.id, created)
        if source.remote:
            entry["owned_by"] = "remote"
        entry["remote"] = source.remote
        entry["state"] = states.get(source.id, "unloaded")
        entries.append(entry)
    return entries


def operation_routes(
    runner: Any,
    metrics: ServerMetrics,
    check_auth: Callable[[Request], None],
    model_id: Callable[[], str],
) -> list[Route]:
    async def health(request: Request) -> Response:
        loading = getattr(runner, "loading", None)
        if loading is not None:
            if loading:
                return JSONResponse({"status": "loading"}, status_code=503)
            return JSONResponse({"status": "ok"})
        if runner.info is None:
            return JSONResponse({"status": "no_model"}, status_code=503)
        return JSONResponse({"status": "ok"})

    async def prometheus(request: Request) -> Response:
        check_auth(request)
        return Response(metrics.render(), media_type=CONTENT_TYPE)

    async def ps(request: Request) -> Response:
        check_auth(request)
        return JSONResponse({"object": "list", "data": runner_status(runner, model_id)})

    return [
        Route("/health", health, methods=["GET"]),
        Route("/metrics", prometheus, methods=["GET"]),
        Route("/v1/ps", ps, methods=["GET"]),
    ]
