"""Which model file a ``--model`` argument or a request's ``model`` names.

Kept in one place so that the installed-model library can take over the lookup: today
a path to a ``.gguf`` file is accepted and the file's stem is its model id.
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.engine.base import EngineError


def model_id_for(path: Path) -> str:
    """The id clients use for a model file."""
    return path.stem


def resolve_model(name: str, fallback: str | None = None) -> tuple[str, Path]:
    """``(model id, file)`` for an id or a path; ``fallback`` (the last model used) if empty.

    Raises ``EngineError`` with a one-line reason.
    """
    chosen = name or fallback
    if not chosen:
        raise EngineError("no model given and none used yet: pass --model PATH")
    path = Path(chosen).expanduser()
    if not path.is_file():
        raise EngineError(f"no model file {chosen!r}; pass the path of a .gguf file with --model")
    path = path.resolve()
    return model_id_for(path), path


def matches(requested: str, model_id: str, path: Path) -> bool:
    """Whether a request's ``model`` names the loaded model (by id, file name or path)."""
    return requested in (model_id, path.name, str(path))
