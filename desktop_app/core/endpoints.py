"""Saved remote endpoints: a name and a base URL in the config folder, the key in the keyring.

``endpoints.json`` holds only names and URLs (written atomically). An endpoint's API key
lives in the ``SecretStore`` under ``endpoint:<name>``; when no keyring works the store
keeps it for this session and ``EndpointStore.keys_persistent`` is False so the UI can
say so. A file that cannot be read is moved aside and reported, never silently lost.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from desktop_app.core.engine.base import EngineError
from desktop_app.core.engine.remote_spec import RemoteModelSpec
from desktop_app.core.files import keep_aside, write_json_atomically
from desktop_app.core.secrets import SecretStore

if TYPE_CHECKING:
    from desktop_app.core.engine.remote import RemoteEngine

ENDPOINTS_FILE = "endpoints.json"
FILE_VERSION = 1


class EndpointError(ValueError):
    """A bad endpoint name or URL, or an unknown endpoint; the message is for the user."""


@dataclass(frozen=True)
class Endpoint:
    name: str
    base_url: str


def secret_name(endpoint_name: str) -> str:
    return f"endpoint:{endpoint_name}"


def validate(name: str, base_url: str) -> Endpoint:
    """A cleaned ``Endpoint``, or ``EndpointError`` saying what is wrong."""
    name = name.strip()
    base_url = base_url.strip().rstrip("/")
    if not name:
        raise EndpointError("An endpoint needs a name.")
    if "/" in name:
        raise EndpointError(f"An endpoint name cannot contain '/': {name!r}.")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(
            f"{base_url!r} is not a web address; use e.g. http://192.168.1.20:8080/v1."
        )
    return Endpoint(name, base_url)


class EndpointStore:
    """Load, change and save the endpoints; keys go through ``secrets``."""

    def __init__(self, config_dir: Path, secrets: SecretStore) -> None:
        self._path = config_dir / ENDPOINTS_FILE
        self._secrets = secrets
        self._endpoints, self.warning = self._load()

    @property
    def path(self) -> Path:
        return self._path

    @property
    def keys_persistent(self) -> bool:
        """False when API keys are kept for this session only (no usable keyring)."""
        return self._secrets.persistent

    def endpoints(self) -> list[Endpoint]:
        return list(self._endpoints)

    def get(self, name: str) -> Endpoint:
        for endpoint in self._endpoints:
            if endpoint.name == name:
                return endpoint
        raise EndpointError(f"No endpoint named {name!r} (see Settings → Endpoints).")

    def api_key(self, name: str) -> str | None:
        return self._secrets.get(secret_name(name))

    def save_endpoint(
        self, name: str, base_url: str, api_key: str | None = None, *, replacing: str | None = None
    ) -> Endpoint:
        """Add an endpoint, or replace the one named ``replacing`` (a rename keeps its key).

        ``api_key``: None keeps the current key, "" removes it, text sets it.
        """
        endpoint = validate(name, base_url)
        others = [e for e in self._endpoints if e.name != replacing]
        if any(e.name == endpoint.name for e in others):
            raise EndpointError(f"There is already an endpoint named {endpoint.name!r}.")
        old_key = self.api_key(replacing) if replacing else None
        position = next(
            (i for i, e in enumerate(self._endpoints) if e.name == replacing), len(others)
        )
        others.insert(position, endpoint)
        self._write(others)
        self._endpoints = others
        if replacing and replacing != endpoint.name:
            self._secrets.delete(secret_name(replacing))
            if api_key is None and old_key:
                self._secrets.set(secret_name(endpoint.name), old_key)
        if api_key is not None:
            if api_key:
                self._secrets.set(secret_name(endpoint.name), api_key)
            else:
                self._secrets.delete(secret_name(endpoint.name))
        return endpoint

    def remove(self, name: str) -> None:
        self.get(name)
        remaining = [e for e in self._endpoints if e.name != name]
        self._write(remaining)
        self._endpoints = remaining
        self._secrets.delete(secret_name(name))

    def list_models(self, name: str) -> list[str]:
        """Ask the endpoint for its models (network; call off the GUI thread)."""
        from desktop_app.core.engine.remote import list_models  # httpx, when first used

        endpoint = self.get(name)
        return list_models(endpoint.base_url, self.api_key(name), endpoint_name=name)

    def open_engine(self, spec: RemoteModelSpec) -> RemoteEngine:
        """A ``RemoteEngine`` for ``remote:<endpoint>/<model>`` (network; raises EngineError)."""
        try:
            endpoint = self.get(spec.endpoint)
        except EndpointError as exc:
            raise EngineError(str(exc)) from exc
        from desktop_app.core.engine.remote import RemoteEngine

        return RemoteEngine(
            endpoint.base_url,
            spec.model,
            self.api_key(endpoint.name),
            endpoint_name=endpoint.name,
        )

    def _load(self) -> tuple[list[Endpoint], str | None]:
        try:
            raw = self._path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return [], None
        except OSError as exc:
            return [], f"Could not read {self._path} ({exc.strerror}); no endpoints are shown."
        try:
            data = json.loads(raw)
            items = data["endpoints"] if isinstance(data, dict) else None
            if not isinstance(items, list):
                raise ValueError("no endpoint list")
            loaded = [validate(str(i["name"]), str(i["base_url"])) for i in items]
            return loaded, None
        except (ValueError, KeyError, TypeError) as exc:
            aside = keep_aside(self._path)
            return [], (f"The endpoints file was unreadable ({exc}); it was kept as {aside.name}.")

    def _write(self, endpoints: list[Endpoint]) -> None:
        write_json_atomically(
            self._path,
            {
                "version": FILE_VERSION,
                "endpoints": [{"name": e.name, "base_url": e.base_url} for e in endpoints],
            },
        )


@dataclass(frozen=True)
class RemoteModelEntry:
    """A remote model for a model picker: what to show and the spec to load."""

    spec: str
    endpoint: str
    model: str

    @property
    def label(self) -> str:
        return f"{self.model} (remote: {self.endpoint})"


def remote_model_entries(store: EndpointStore) -> tuple[list[RemoteModelEntry], list[str]]:
    """Every model of every endpoint, and one error line per endpoint that did not answer.

    Network; call off the GUI thread.
    """
    entries: list[RemoteModelEntry] = []
    errors: list[str] = []
    for endpoint in store.endpoints():
        try:
            models = store.list_models(endpoint.name)
        except EngineError as exc:
            errors.append(str(exc))
            continue
        for model in models:
            spec = str(RemoteModelSpec(endpoint.name, model))
            entries.append(RemoteModelEntry(spec, endpoint.name, model))
    return entries, errors
