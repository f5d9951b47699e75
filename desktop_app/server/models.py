"""Which model file a ``--model`` argument or a request's ``model`` names.

One place for the lookup: an installed model's ID (from the model library) or a path
to a ``.gguf`` file. A file in the library is served under its library ID; any other
file under its stem.
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.engine.base import EngineError
from desktop_app.core.models.library import Library, LibraryError, models_dir_for
from desktop_app.core.paths import app_paths
from desktop_app.core.settings import load_settings


def _library() -> Library:
    paths = app_paths()
    settings, _ = load_settings(paths.config_dir)
    return Library(models_dir_for(paths.models_dir, settings.models_dir))


def resolve_model(name: str, fallback: str | None = None) -> tuple[str, Path]:
    """``(model id, file)`` for an ID or a path; ``fallback`` (the last model used) if empty.

    Raises ``EngineError`` with a one-line reason.
    """
    chosen = name or fallback
    if not chosen:
        raise EngineError("no model given and none used yet: pass --model ID|PATH")
    path = Path(chosen).expanduser()
    try:
        library = _library()
        if path.is_file():
            found = library.find_by_path(path.resolve())
            return (found.id if found else path.stem), path.resolve()
        installed = library.get(chosen)
    except (LibraryError, OSError, ValueError) as exc:
        raise EngineError(f"the model library could not be read: {exc}") from exc
    if installed is not None and installed.available:
        return installed.id, installed.path
    raise EngineError(
        f"no installed model or model file {chosen!r}; see 'hearth models list', or pass "
        "the path of a .gguf file"
    )


def matches(requested: str, model_id: str, path: Path) -> bool:
    """Whether a request's ``model`` names the loaded model (by id, file name or path)."""
    return requested in (model_id, path.name, path.stem, str(path))
