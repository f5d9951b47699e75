"""The installed models: GGUF files in the models folder, listed in a small manifest.

``library.json`` in the models folder records each model's ID, source repository,
files (with sha256 and size) and whether Hearth copied the files in or only refers to
them where they are. A file becomes a model only once it is complete and verified: a
download in progress lives under ``.downloads`` and is never listed. A model split into
``NAME-00001-of-0000N.gguf`` shards is one model, loaded from its first shard.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.files import keep_aside, write_json_atomically
from desktop_app.core.models.gguf_info import GGUFError, GGUFInfo, read_gguf_info

MANIFEST = "library.json"
DOWNLOADS_FOLDER = ".downloads"
SPLIT_PATTERN = re.compile(r"^(?P<base>.+)-(?P<index>\d{5})-of-(?P<count>\d{5})\.gguf$", re.I)
_CHUNK = 1024 * 1024


class LibraryError(Exception):
    """A library operation failed; the message is for the user."""


@dataclass(frozen=True)
class ModelFile:
    path: Path
    sha256: str
    size: int


@dataclass(frozen=True)
class InstalledModel:
    id: str
    files: tuple[ModelFile, ...]
    repo: str = ""
    """The Hub repository it came from; empty for an imported file."""
    referenced: bool = False
    """True when the files stay where the user keeps them (imported by reference)."""
    quant: str = ""
    added_at: float = 0.0

    @property
    def path(self) -> Path:
        """The file to load (the first shard of a split model)."""
        return self.files[0].path

    @property
    def size(self) -> int:
        return sum(item.size for item in self.files)

    @property
    def available(self) -> bool:
        return all(item.path.is_file() for item in self.files)

    @property
    def source(self) -> str:
        if self.repo:
            return self.repo
        return "imported (referenced)" if self.referenced else "imported"


def split_parts(name: str) -> tuple[str, int, int] | None:
    """("base", index, count) for a shard name like ``x-00001-of-00003.gguf``, else None."""
    match = SPLIT_PATTERN.match(name)
    if match is None:
        return None
    return match["base"], int(match["index"]), int(match["count"])


def model_stem(name: str) -> str:
    """The model's name without the shard suffix and extension."""
    parts = split_parts(name)
    if parts is not None:
        return parts[0]
    return name[:-5] if name.lower().endswith(".gguf") else name


def slug(text: str) -> str:
    cleaned = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-.")
    return cleaned or "model"


def sha256_file(path: Path, progress: Callable[[int], None] | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            if progress is not None:
                progress(len(chunk))
    return digest.hexdigest()


def shard_paths(first: Path) -> list[Path]:
    """All shards of a split model given any one of them (or ``[first]`` if not split)."""
    parts = split_parts(first.name)
    if parts is None:
        return [first]
    base, _, count = parts
    suffix = first.name[-5:]
    return [
        first.with_name(f"{base}-{index:05d}-of-{count:05d}{suffix}")
        for index in range(1, count + 1)
    ]


class Library:
    """Installed models in one models folder. Safe to use from several threads."""

    def __init__(self, models_dir: Path) -> None:
        self.models_dir = models_dir
        self._lock = threading.RLock()

    @property
    def downloads_dir(self) -> Path:
        return self.models_dir / DOWNLOADS_FOLDER

    # Reading

    def models(self) -> list[InstalledModel]:
        with self._lock:
            return sorted(self._read(), key=lambda model: model.id)

    def get(self, model_id: str) -> InstalledModel | None:
        return next((model for model in self.models() if model.id == model_id), None)

    def find_by_path(self, path: Path) -> InstalledModel | None:
        target = path.resolve()
        return next(
            (m for m in self.models() if any(f.path.resolve() == target for f in m.files)), None
        )

    def info(self, model_id: str) -> GGUFInfo:
        model = self.require(model_id)
        try:
            return read_gguf_info(model.path)
        except GGUFError as exc:
            raise LibraryError(f"{model.path.name} is not a usable GGUF model: {exc}") from exc
        except OSError as exc:
            raise LibraryError(f"cannot read {model.path}: {exc.strerror or exc}") from exc

    def require(self, model_id: str) -> InstalledModel:
        model = self.get(model_id)
        if model is None:
            raise LibraryError(
                f"no installed model with ID {model_id!r} (see 'hearth models list')"
            )
        return model

    def disk_used(self) -> int:
        """Bytes the models folder holds for copied and downloaded models."""
        return sum(model.size for model in self.models() if not model.referenced)

    # Changing

    def import_file(
        self, source: Path, *, copy: bool = True, progress: Callable[[int], None] | None = None
    ) -> InstalledModel:
        """Add a local GGUF (all shards of a split one), after checking its header."""
        source = source.expanduser()
        if not source.is_file():
            raise LibraryError(f"no such file: {source}")
        shards = shard_paths(source)
        missing = [path.name for path in shards if not path.is_file()]
        if missing:
            raise LibraryError(f"the split model is incomplete: missing {', '.join(missing)}")
        try:
            info = read_gguf_info(shards[0])
            for shard in shards[1:]:
                read_gguf_info(shard)
        except GGUFError as exc:
            raise LibraryError(f"{source.name} is not a usable GGUF model: {exc}") from exc
        except OSError as exc:
            raise LibraryError(f"cannot read {source}: {exc.strerror or exc}") from exc
        with self._lock:
            existing = self.find_by_path(shards[0])
            if existing is not None:
                raise LibraryError(f"{source.name} is already installed as {existing.id}")
            model_id = self._new_id(model_stem(shards[0].name))
            if copy:
                folder = self.models_dir / model_id
                files = self._copy_in(shards, folder, progress)
            else:
                files = tuple(
                    ModelFile(path.resolve(), sha256_file(path, progress), path.stat().st_size)
                    for path in shards
                )
            model = InstalledModel(model_id, files, "", not copy, info.quantization, time.time())
            self._write([*self._read(), model])
        return model

    def add_verified(
        self, repo: str, files: list[ModelFile], quant: str, model_id: str | None = None
    ) -> InstalledModel:
        """Move downloaded, verified files into the library and list them."""
        with self._lock:
            model_id = self._new_id(model_id or model_stem(files[0].path.name))
            folder = self.models_dir / model_id
            folder.mkdir(parents=True, exist_ok=True)
            placed = []
            for item in files:
                target = folder / item.path.name
                os.replace(item.path, target)
                placed.append(ModelFile(target, item.sha256, item.size))
            model = InstalledModel(model_id, tuple(placed), repo, False, quant, time.time())
            self._write([*self._read(), model])
        return model

    def remove(self, model_id: str) -> InstalledModel:
        """Forget a model and delete its files (a referenced file is left where it is)."""
        with self._lock:
            model = self.require(model_id)
            if not model.referenced:
                for item in model.files:
                    item.path.unlink(missing_ok=True)
                folder = self.models_dir / model.id
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
            self._write([m for m in self._read() if m.id != model_id])
        return model

    # Internals

    def _new_id(self, stem: str) -> str:
        taken = {model.id for model in self._read()}
        base = slug(stem)
        candidate, counter = base, 1
        while candidate in taken or (self.models_dir / candidate).exists():
            counter += 1
            candidate = f"{base}-{counter}"
        return candidate

    def _copy_in(
        self, shards: list[Path], folder: Path, progress: Callable[[int], None] | None
    ) -> tuple[ModelFile, ...]:
        folder.mkdir(parents=True, exist_ok=True)
        copied: list[ModelFile] = []
        try:
            for shard in shards:
                free = shutil.disk_usage(folder).free
                size = shard.stat().st_size
                if size > free:
                    raise LibraryError(
                        f"not enough disk space to copy {shard.name}: it needs {size} bytes, "
                        f"{free} are free"
                    )
                temp = folder / f".{shard.name}.copying"
                digest = hashlib.sha256()
                with shard.open("rb") as src, temp.open("wb") as dst:
                    while chunk := src.read(_CHUNK):
                        digest.update(chunk)
                        dst.write(chunk)
                        if progress is not None:
                            progress(len(chunk))
                target = folder / shard.name
                os.replace(temp, target)
                copied.append(ModelFile(target, digest.hexdigest(), size))
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise LibraryError(f"cannot copy the model: {exc.strerror or exc}") from exc
        except LibraryError:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return tuple(copied)

    def _read(self) -> list[InstalledModel]:
        manifest = self.models_dir / MANIFEST
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except OSError:
            return []
        except ValueError:
            # Not JSON: keep it aside, so the next change does not overwrite the only copy.
            with contextlib.suppress(OSError):
                keep_aside(manifest)
            return []
        models = []
        for item in data.get("models", []) if isinstance(data, dict) else []:
            try:
                files = tuple(
                    ModelFile(self._absolute(f["path"]), str(f["sha256"]), int(f["size"]))
                    for f in item["files"]
                )
                if not files:
                    continue
                models.append(
                    InstalledModel(
                        str(item["id"]),
                        files,
                        str(item.get("repo", "")),
                        bool(item.get("referenced", False)),
                        str(item.get("quant", "")),
                        float(item.get("added_at", 0.0)),
                    )
                )
            except (KeyError, TypeError, ValueError):
                continue
        return models

    def _absolute(self, stored: str) -> Path:
        path = Path(stored)
        return path if path.is_absolute() else self.models_dir / path

    def _relative(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.models_dir))
        except ValueError:
            return str(path)

    def _write(self, models: list[InstalledModel]) -> None:
        self.models_dir.mkdir(parents=True, exist_ok=True)
        data = {
            "version": 1,
            "models": [
                {
                    "id": m.id,
                    "repo": m.repo,
                    "referenced": m.referenced,
                    "quant": m.quant,
                    "added_at": m.added_at,
                    "files": [
                        {"path": self._relative(f.path), "sha256": f.sha256, "size": f.size}
                        for f in m.files
                    ],
                }
                for m in models
            ],
        }
        write_json_atomically(self.models_dir / MANIFEST, data)


def models_dir_for(default: Path, configured: str) -> Path:
    """The models folder: the one set in the settings, else the default."""
    return Path(configured).expanduser() if configured.strip() else default
