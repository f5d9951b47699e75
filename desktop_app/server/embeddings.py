"""``POST /v1/embeddings`` (OpenAI format) over the embedding model.

The embedding model runs on its own thread (``EmbeddingEngine``); the handler waits for
it off the event loop, so chat requests keep streaming meanwhile. ``input`` may be a
string or a list of strings; vectors come back as float lists, or as base64 of
little-endian float32 (``encoding_format: "base64"``, which the official client asks
for by default).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import numpy as np
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from desktop_app.server.errors import ApiError, invalid

MAX_INPUTS = 2048


class Embedder(Protocol):
    @property
    def info(self) -> Any: ...

    def embed(self, texts: list[str]) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


class _Api(Protocol):
    def check_auth(self, request: Request) -> None: ...

    async def read_json(self, request: Request) -> Any: ...


def _inputs(body: Any) -> list[str]:
    if not isinstance(body, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    value = body.get("input")
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        if len(value) > MAX_INPUTS:
            raise invalid("input", f"At most {MAX_INPUTS} inputs per request.")
        return value
    if isinstance(value, list) and value and all(isinstance(item, (int, list)) for item in value):
        raise invalid("input", "Token arrays are not supported here; send the text instead.")
    raise invalid("input", "'input' must be a non-empty string or a list of strings.")


def embeddings_route(
    api: _Api, embedder: Embedder | None
) -> Callable[[Request], Awaitable[Response]]:
    async def embeddings(request: Request) -> Response:
        api.check_auth(request)
        body = await api.read_json(request)
        texts = _inputs(body)
        if embedder is None:
            raise ApiError(
                503,
                "No embedding model is loaded. Start the server with "
                "'hearth serve --embedding-model ID|PATH' (or install one: "
                "hearth models catalog lists embedding models).",
                kind="server_error",
                code="model_not_loaded",
            )
        encoding = body.get("encoding_format", "float")
        if encoding not in ("float", "base64"):
            raise invalid("encoding_format", "'encoding_format' must be 'float' or 'base64'.")
        dimensions = body.get("dimensions")
        if dimensions is not None and dimensions != embedder.info.dimensions:
            raise invalid(
                "dimensions",
                f"This model gives {embedder.info.dimensions} dimensions; it cannot be changed.",
            )
        matrix = await asyncio.to_thread(embedder.embed, texts)
        tokens = await asyncio.to_thread(lambda: sum(embedder.count_tokens(t) for t in texts))
        data = []
        for number, row in enumerate(matrix):
            vector: Any = (
                base64.b64encode(np.asarray(row, dtype="<f4").tobytes()).decode("ascii")
                if encoding == "base64"
                else [float(x) for x in row]
            )
            data.append({"object": "embedding", "index": number, "embedding": vector})
        return JSONResponse(
            {
                "object": "list",
                "data": data,
                "model": body.get("model") or embedder.info.name,
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            }
        )

    return embeddings
