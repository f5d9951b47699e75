"""The curated list of recommended models (``resources/catalog.json``: data, not code)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.models.fit import GIB, Machine
from desktop_app.resources import resource_path

CATALOG_FILE = "catalog.json"


class CatalogError(Exception):
    """The catalog file is missing or malformed (a packaging mistake)."""


@dataclass(frozen=True)
class CatalogEntry:
    id: str
    name: str
    repo: str
    files: tuple[str, ...]
    quant: str
    size_bytes: int
    parameters_b: float
    context_length: int
    kv_bytes_per_token: int
    license: str
    min_ram_gb: float
    recommend: bool
    descriptions: dict[str, str]
    kind: str = "chat"
    """"chat", or "embedding" (a model that turns text into vectors for document search)."""

    @property
    def page_url(self) -> str:
        return f"https://huggingface.co/{self.repo}"

    def description(self, language: str = "en") -> str:
        """The one-line description in ``language`` ("zh", "zh_CN"…), English otherwise."""
        short = language.split("_")[0].split("-")[0].lower()
        return self.descriptions.get(short) or self.descriptions.get("en", "")

    def pull_spec(self) -> str:
        return f"{self.repo}:{self.files[0]}"


def _entry(data: dict[str, object]) -> CatalogEntry:
    try:
        files = data["files"]
        descriptions = data["description"]
        if not isinstance(files, list) or not files or not isinstance(descriptions, dict):
            raise TypeError("files must be a non-empty list and description an object")
        return CatalogEntry(
            id=str(data["id"]),
            name=str(data["name"]),
            repo=str(data["repo"]),
            files=tuple(str(name) for name in files),
            quant=str(data["quant"]),
            size_bytes=int(data["size_bytes"]),  # type: ignore[call-overload]
            parameters_b=float(data["parameters_b"]),  # type: ignore[arg-type]
            context_length=int(data["context_length"]),  # type: ignore[call-overload]
            kv_bytes_per_token=int(data["kv_bytes_per_token"]),  # type: ignore[call-overload]
            license=str(data["license"]),
            min_ram_gb=float(data["min_ram_gb"]),  # type: ignore[arg-type]
            recommend=bool(data.get("recommend", False)),
            descriptions={str(k): str(v) for k, v in descriptions.items()},
            kind=str(data.get("kind", "chat")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"bad catalog entry {data.get('id', '?')!r}: {exc}") from exc


def load_catalog(path: Path | None = None) -> list[CatalogEntry]:
    """Every catalog entry, smallest first."""
    path = path or resource_path(CATALOG_FILE)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CatalogError(f"cannot read the model catalog {path}: {exc}") from exc
    models = data.get("models") if isinstance(data, dict) else None
    if not isinstance(models, list):
        raise CatalogError(f"the model catalog {path} has no 'models' list")
    return sorted((_entry(item) for item in models), key=lambda entry: entry.size_bytes)


def recommended(entries: list[CatalogEntry], machine: Machine | None = None) -> CatalogEntry:
    """The largest model marked ``recommend`` that this machine's RAM runs comfortably."""
    machine = machine or Machine.current()
    ram_gb = machine.ram_bytes / GIB
    chat = [entry for entry in entries if entry.kind == "chat"] or entries
    candidates = [entry for entry in chat if entry.recommend] or chat
    fitting = [entry for entry in candidates if entry.min_ram_gb <= ram_gb]
    if not fitting:
        return min(candidates, key=lambda entry: entry.min_ram_gb)
    return max(fitting, key=lambda entry: (entry.min_ram_gb, entry.size_bytes))


def find(entries: list[CatalogEntry], entry_id: str) -> CatalogEntry | None:
    return next((entry for entry in entries if entry.id == entry_id), None)
