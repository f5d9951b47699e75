"""A local HTTP server that answers like the Hugging Face Hub, for the real client.

It serves the endpoints Hearth uses: model search (``/api/models``), a repository's file
tree with sizes and LFS sha256 (``/api/models/OWNER/NAME/tree/REV``), and ``resolve``
(HEAD and GET) with the headers ``huggingface_hub`` reads (``X-Repo-Commit``,
``X-Linked-Etag``, ``X-Linked-Size``, ``ETag``) and a redirect to a "CDN" on another
host name (``localhost`` instead of ``127.0.0.1``) that honours ``Range``. Gated repos
answer 401 without the right token. Tests can drop a connection after some bytes, hold a
response mid-file, or serve damaged bytes, and read back what was requested and sent.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

GOOD_TOKEN = "hf_test_token"


@dataclass
class FakeRepo:
    id: str
    files: dict[str, bytes]
    downloads: int = 0
    likes: int = 0
    gated: bool = False
    commit: str = ""

    def __post_init__(self) -> None:
        if not self.commit:
            self.commit = hashlib.sha1(self.id.encode()).hexdigest()


@dataclass
class Faults:
    drop_after: dict[str, int] = field(default_factory=dict)
    """file name -> bytes to send before closing the connection (once)."""
    hold_after: dict[str, int] = field(default_factory=dict)
    """file name -> bytes to send before waiting for ``release`` (once)."""
    release: threading.Event = field(default_factory=threading.Event)
    corrupt: set[str] = field(default_factory=set)
    """file names whose bytes are served damaged."""


@dataclass
class Served:
    method: str
    path: str
    range: str
    status: int
    body_bytes: int


class FakeHub:
    def __init__(self) -> None:
        self.repos: dict[str, FakeRepo] = {}
        self.faults = Faults()
        self.log: list[Served] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add_repo(self, repo: FakeRepo) -> FakeRepo:
        self.repos[repo.id] = repo
        return repo

    def start(self) -> FakeHub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.faults.release.set()
        self._server.shutdown()
        self._server.server_close()

    def record(self, served: Served) -> None:
        with self._lock:
            self.log.append(served)

    def bytes_sent(self, filename: str) -> int:
        with self._lock:
            return sum(s.body_bytes for s in self.log if s.path.endswith("/" + filename))

    def requests_for(self, filename: str, method: str = "GET") -> list[Served]:
        with self._lock:
            return [s for s in self.log if s.method == method and s.path.endswith("/" + filename)]

    def blob(self, sha: str) -> tuple[str, bytes] | None:
        for repo in self.repos.values():
            for name, data in repo.files.items():
                if hashlib.sha256(data).hexdigest() == sha:
                    return name, data
        return None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _handler_for(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: object) -> None:
            return

        def do_HEAD(self) -> None:
            self._route(head=True)

        def do_GET(self) -> None:
            self._route(head=False)

        def _route(self, head: bool) -> None:
            url = urlsplit(self.path)
            path = unquote(url.path)
            query = parse_qs(url.query)
            if path == "/api/models":
                self._json(self._search(query))
            elif path.startswith("/api/models/") and "/tree/" in path:
                repo_id = path[len("/api/models/") :].split("/tree/", 1)[0]
                repo = hub.repos.get(repo_id)
                if repo is None:
                    self._error(404, "RepoNotFound")
                else:
                    self._json(self._tree(repo))
            elif "/resolve/" in path:
                self._resolve(path, head)
            elif path.startswith("/cdn/"):
                self._cdn(path, head)
            else:
                self._error(404, "")

        def _search(self, query: dict[str, list[str]]) -> list[dict[str, object]]:
            text = query.get("search", [""])[0].lower()
            sort = query.get("sort", ["downloads"])[0]
            limit = int(query.get("limit", ["1000"])[0])
            found = [r for r in hub.repos.values() if text in r.id.lower()]
            found.sort(key=lambda r: r.likes if sort == "likes" else r.downloads, reverse=True)
            return [
                {
                    "_id": r.commit[:24],
                    "id": r.id,
                    "modelId": r.id,
                    "likes": r.likes,
                    "downloads": r.downloads,
                    "gated": "auto" if r.gated else False,
                    "private": False,
                    "tags": ["gguf"],
                    "lastModified": "2025-01-02T03:04:05.000Z",
                    "createdAt": "2024-12-01T00:00:00.000Z",
                    "library_name": "gguf",
                }
                for r in found[:limit]
            ]

        def _tree(self, repo: FakeRepo) -> list[dict[str, object]]:
            entries: list[dict[str, object]] = []
            for name, data in sorted(repo.files.items()):
                entry: dict[str, object] = {
                    "type": "file",
                    "oid": hashlib.sha1(data).hexdigest(),
                    "size": len(data),
                    "path": name,
                }
                if name.endswith(".gguf"):
                    entry["lfs"] = {"oid": sha256(data), "size": len(data), "pointerSize": 134}
                entries.append(entry)
            return entries

        def _resolve(self, path: str, head: bool) -> None:
            repo_id, rest = path.lstrip("/").split("/resolve/", 1)
            _revision, _, filename = rest.partition("/")
            repo = hub.repos.get(repo_id)
            if repo is None or filename not in repo.files:
                self._error(404, "EntryNotFound" if repo else "RepoNotFound", head)
                return
            if repo.gated and self.headers.get("Authorization") != f"Bearer {GOOD_TOKEN}":
                self._error(401, "GatedRepo", head)
                return
            data = repo.files[filename]
            digest = sha256(data)
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{hub.port}/cdn/{digest}/{filename}")
            self.send_header("X-Repo-Commit", repo.commit)
            self.send_header("X-Linked-Etag", f'"{digest}"')
            self.send_header("X-Linked-Size", str(len(data)))
            self.send_header("ETag", f'"{hashlib.sha1(data).hexdigest()}"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            hub.record(Served("HEAD" if head else "GET", path, "", 302, 0))

        def _cdn(self, path: str, head: bool) -> None:
            _, _, digest, filename = path.split("/", 3)
            found = hub.blob(digest)
            if found is None:
                self._error(404, "", head)
                return
            _, data = found
            if filename in hub.faults.corrupt:
                data = bytes(b ^ 0x5A for b in data[:64]) + data[64:]
            start = 0
            ranged = self.headers.get("Range", "")
            if ranged.startswith("bytes="):
                start = int(ranged[len("bytes=") :].split("-", 1)[0])
                if start >= len(data):
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(data)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            body = data[start:]
            self.send_response(206 if ranged else 200)
            if ranged:
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            if head:
                return
            sent = self._send_body(filename, body)
            hub.record(Served("GET", path, ranged, 206 if ranged else 200, sent))

        def _send_body(self, filename: str, body: bytes) -> int:
            limit = hub.faults.drop_after.pop(filename, None)
            hold = hub.faults.hold_after.pop(filename, None)
            try:
                if limit is not None:
                    self.wfile.write(body[:limit])
                    self.wfile.flush()
                    self.close_connection = True
                    return min(limit, len(body))
                if hold is not None:
                    self.wfile.write(body[:hold])
                    self.wfile.flush()
                    hub.faults.release.wait(30)
                    try:
                        self.wfile.write(body[hold:])
                    except (BrokenPipeError, ConnectionResetError):
                        return hold
                    return len(body)
                self.wfile.write(body)
                return len(body)
            except (BrokenPipeError, ConnectionResetError):
                return 0

        def _json(self, payload: object) -> None:
            raw = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            hub.record(Served("GET", self.path, "", 200, len(raw)))
            self.wfile.write(raw)

        def _error(self, status: int, code: str, head: bool = False) -> None:
            raw = json.dumps({"error": f"{code or 'error'}"}).encode()
            self.send_response(status)
            if code:
                self.send_header("X-Error-Code", code)
                self.send_header("X-Error-Message", code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            if not head:
                self.wfile.write(raw)
            hub.record(Served("HEAD" if head else "GET", self.path, "", status, 0))

    return Handler


@pytest.fixture
def fake_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """A running fake Hub; ``HF_ENDPOINT`` points at it and offline mode is off."""
    import huggingface_hub.constants

    hub = FakeHub().start()
    monkeypatch.setenv("HF_ENDPOINT", hub.endpoint)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield hub
    hub.stop()
