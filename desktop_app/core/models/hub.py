"""Search the Hugging Face Hub for GGUF models and list a repository's GGUF files.

Talks to the Hub through ``huggingface_hub.HfApi``. Nothing here runs unless the user
asks (a search, a file list, a download): Hearth requests nothing at startup. With
``HF_HUB_OFFLINE=1`` every call raises :class:`HubOffline` without touching the network.
Errors become :class:`HubError` subclasses whose message tells the user what to do.
"""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from desktop_app.core.models.library import model_stem, split_parts

DEFAULT_ENDPOINT = "https://huggingface.co"
_TRUE = {"1", "true", "yes", "on"}
_PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY")
QUANT_PATTERN = re.compile(
    r"(?<![A-Za-z0-9])(I?Q\d(?:_[0-9A-Z]+)*|BF16|F16|F32|MXFP4(?:_MOE)?|TQ\d_\d)(?![A-Za-z0-9])",
    re.I,
)
PREFERRED_QUANTS = ("Q4_K_M", "Q4_K_S", "Q5_K_M", "IQ4_XS", "Q4_0", "Q6_K", "Q8_0")
"""The quant to recommend, in order: the usual balance of size and quality."""


class HubError(Exception):
    """A Hub request failed; the message says why and what to do."""


class HubOffline(HubError):
    """Offline mode is on, or the Hub cannot be reached."""


class HubAuthError(HubError):
    """401/403: the repository is gated or private."""


class HubNotFound(HubError):
    """The repository or file does not exist."""


def offline_mode() -> bool:
    """Whether ``HF_HUB_OFFLINE`` asks for no network (read at call time)."""
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE


def hub_endpoint() -> str:
    return os.environ.get("HF_ENDPOINT", "").strip().rstrip("/") or DEFAULT_ENDPOINT


def auth_message(repo: str, endpoint: str | None = None, has_token: bool = False) -> str:
    page = f"{(endpoint or hub_endpoint())}/{repo}"
    if has_token:
        return (
            f"{repo} is gated or private and your Hugging Face token was refused: accept the "
            f"licence on {page} with the account the token belongs to, or check the token."
        )
    return (
        f"{repo} is gated or private: accept its licence on {page}, then add a Hugging Face "
        "token (Models window, or 'hearth models token')."
    )


@dataclass(frozen=True)
class HubRepo:
    id: str
    downloads: int
    likes: int
    gated: bool
    last_modified: str

    @property
    def author(self) -> str:
        return self.id.split("/", 1)[0]


@dataclass(frozen=True)
class RemoteFile:
    path: str
    size: int
    sha256: str
    """The LFS sha256 the Hub reports; empty for a file stored outside LFS."""


@dataclass(frozen=True)
class ModelVariant:
    """One downloadable model in a repository: one GGUF file, or all shards of a split one."""

    name: str
    quant: str
    files: tuple[RemoteFile, ...]
    recommended: bool = False

    @property
    def size(self) -> int:
        return sum(item.size for item in self.files)

    @property
    def is_split(self) -> bool:
        return len(self.files) > 1

    @property
    def first_file(self) -> str:
        return self.files[0].path


def quant_of(filename: str) -> str:
    """The quant named in a GGUF file name (Q4_K_M, IQ4_XS, F16…), upper case, or ""."""
    matches = QUANT_PATTERN.findall(model_stem(filename.rsplit("/", 1)[-1]))
    return matches[-1].upper() if matches else ""


def group_variants(files: list[RemoteFile]) -> list[ModelVariant]:
    """GGUF files grouped into models (shards together), the recommended quant marked.

    Multimodal projectors (``mmproj``) are left out: they are not chat models.
    """
    groups: dict[str, list[RemoteFile]] = {}
    for item in files:
        name = item.path.rsplit("/", 1)[-1]
        if not name.lower().endswith(".gguf") or "mmproj" in name.lower():
            continue
        folder = item.path.rsplit("/", 1)[0] + "/" if "/" in item.path else ""
        groups.setdefault(folder + model_stem(name), []).append(item)
    variants = []
    for key, members in groups.items():
        members.sort(key=lambda f: (split_parts(f.path.rsplit("/", 1)[-1]) or ("", 0, 0))[1])
        parts = split_parts(members[0].path.rsplit("/", 1)[-1])
        if parts is not None and len(members) != parts[2]:
            continue  # an incomplete split upload cannot be loaded
        variants.append(ModelVariant(key, quant_of(members[0].path), tuple(members)))
    variants.sort(key=lambda v: v.size)
    best = _recommended_index(variants)
    if best is not None:
        variants[best] = ModelVariant(
            variants[best].name, variants[best].quant, variants[best].files, True
        )
    return variants


def _recommended_index(variants: list[ModelVariant]) -> int | None:
    for quant in PREFERRED_QUANTS:
        for index, variant in enumerate(variants):
            if variant.quant == quant:
                return index
    return 0 if variants else None


def check_reachable(endpoint: str, timeout_s: float = 4.0) -> None:
    """Fail fast with :class:`HubOffline` when the Hub's host does not accept connections.

    huggingface_hub retries a refused connection with backoff for many seconds; a quick
    TCP connect first lets an offline machine say so at once. Behind a proxy the Hub's
    host may be unreachable directly, so the check is left to the HTTP client there.
    """
    if any(os.environ.get(name) for name in _PROXY_VARIABLES):
        return
    parts = urlsplit(endpoint)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            pass
    except OSError as exc:
        raise HubOffline(
            f"Cannot reach the Hugging Face Hub ({endpoint}): are you offline? "
            f"({exc.strerror or exc})"
        ) from exc


class HubClient:
    """Search and list files on the Hub. ``token`` unlocks gated and private repos."""

    def __init__(self, token: str | None = None, endpoint: str | None = None) -> None:
        self.token = token or None
        self.endpoint = (endpoint or hub_endpoint()).rstrip("/")

    def _api(self) -> Any:
        if offline_mode():
            raise HubOffline("Offline mode is on (HF_HUB_OFFLINE): the Hub is not contacted.")
        check_reachable(self.endpoint)
        from huggingface_hub import HfApi

        return HfApi(endpoint=self.endpoint, token=self.token or False)

    def search(self, query: str, sort: str = "downloads", limit: int = 40) -> list[HubRepo]:
        """GGUF repositories matching ``query``, most downloaded (or liked) first."""
        if sort not in ("downloads", "likes"):
            raise ValueError(f"sort must be 'downloads' or 'likes', not {sort!r}")
        api = self._api()
        try:
            found = api.list_models(
                search=query.strip() or None, filter="gguf", sort=sort, limit=limit
            )
            return [
                HubRepo(
                    model.id,
                    int(model.downloads or 0),
                    int(model.likes or 0),
                    bool(model.gated),
                    model.last_modified.date().isoformat() if model.last_modified else "",
                )
                for model in found
            ]
        except Exception as exc:
            raise self._translate(exc, "") from exc

    def files(self, repo: str) -> list[ModelVariant]:
        """The repository's GGUF models (grouped, recommended quant marked)."""
        repo = repo.strip()
        if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
            raise HubNotFound(f"{repo!r} is not a repository ID (expected OWNER/NAME)")
        api = self._api()
        try:
            entries = api.list_repo_tree(repo, recursive=True)
            files = [
                RemoteFile(entry.path, int(entry.size), entry.lfs.sha256 if entry.lfs else "")
                for entry in entries
                if hasattr(entry, "size")
            ]
        except Exception as exc:
            raise self._translate(exc, repo) from exc
        return group_variants(files)

    def _translate(self, exc: Exception, repo: str) -> HubError:
        return translate_error(exc, repo, self.endpoint, bool(self.token))


def translate_error(exc: Exception, repo: str, endpoint: str, has_token: bool) -> HubError:
    """Turn a huggingface_hub or HTTP error into a HubError with a message for people."""
    from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

    if isinstance(exc, HubError):
        return exc
    if isinstance(exc, OfflineModeIsEnabled):
        return HubOffline("Offline mode is on (HF_HUB_OFFLINE): the Hub is not contacted.")
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if isinstance(exc, HfHubHTTPError) or status is not None:
        if status in (401, 403):
            return HubAuthError(auth_message(repo or "this repository", endpoint, has_token))
        if status == 404:
            return HubNotFound(f"{repo or 'it'} was not found on the Hub")
        return HubError(f"the Hub answered with an error ({status}); try again later")
    name = type(exc).__name__
    if name in ("ConnectError", "ConnectTimeout", "ReadTimeout", "NetworkError") or isinstance(
        exc, (ConnectionError, TimeoutError)
    ):
        return HubOffline(f"Cannot reach the Hugging Face Hub ({endpoint}): are you offline?")
    if "Transport" in name or "Timeout" in name or "Protocol" in name:
        return HubOffline(f"Cannot reach the Hugging Face Hub ({endpoint}): {exc}")
    return HubError(f"the Hub request failed: {exc}")
