"""How a remote model is named: ``remote:<endpoint>/<model id>``.

Apart from ``remote`` so that naming a remote model does not import httpx: the window
checks and shows these names at start, long before anything talks to an endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.core.engine.base import EngineError

REMOTE_PREFIX = "remote:"


@dataclass(frozen=True)
class RemoteModelSpec:
    """Names a model on a saved endpoint: ``remote:<endpoint>/<model id>``.

    The endpoint name holds no ``/``; the model id may (``org/model``).
    """

    endpoint: str
    model: str

    def __str__(self) -> str:
        return f"{REMOTE_PREFIX}{self.endpoint}/{self.model}"


def is_remote_spec(text: str) -> bool:
    return text.startswith(REMOTE_PREFIX)


def parse_remote_spec(text: str) -> RemoteModelSpec:
    """Split ``remote:<endpoint>/<model>``; raises ``EngineError`` when it is malformed."""
    if not is_remote_spec(text):
        raise EngineError(f"{text!r} does not name a remote model (remote:ENDPOINT/MODEL)")
    endpoint, slash, model = text[len(REMOTE_PREFIX) :].partition("/")
    if not endpoint or not slash or not model:
        raise EngineError(f"{text!r} does not name a remote model (remote:ENDPOINT/MODEL)")
    return RemoteModelSpec(endpoint, model)
