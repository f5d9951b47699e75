"""Download GGUF models from the Hub: a queue with progress, pause, resume, cancel, retry.

Each job downloads one model (one file, or every shard of a split model) into
``MODELS/.downloads/JOB/`` as ``NAME.incomplete`` with resumable ranged GETs (httpx),
pinned to the commit the Hub reported when the job started, so a resumed file can never
mix two revisions. A finished file is checked against the Hub's sha256 before the job
hands it to the :class:`~desktop_app.core.models.library.Library`; a partial or failed
file is never listed as a model.

A job's state is saved in ``job.json`` next to its partial files, so a new manager (the
app restarted) lists it as paused and resumes it where it stopped. Nothing is requested
until the user adds or resumes a job. Events reach ``on_event`` on the worker thread.

Size: one queue with its worker thread, resume and retry logic; the states and events
are small and only mean something together.
"""

from __future__ import annotations

import enum
import errno
import json
import logging
import os
import shutil
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app import __version__
from desktop_app.core.files import write_json_atomically
from desktop_app.core.models.hub import (
    HubAuthError,
    HubError,
    HubNotFound,
    HubOffline,
    ModelVariant,
    RemoteFile,
    auth_message,
    check_reachable,
    hub_endpoint,
    offline_mode,
    translate_error,
)
from desktop_app.core.models.library import Library, ModelFile, model_stem, sha256_file

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

JOB_FILE = "job.json"
PARTIAL_SUFFIX = ".incomplete"
DISK_MARGIN_BYTES = 64 * 1024**2
PROGRESS_INTERVAL_S = 0.1
_SHA256_HEX = 64


class JobState(enum.Enum):
    QUEUED = "queued"
    DOWNLOADING = "downloading"
    VERIFYING = "verifying"
    PAUSED = "paused"
    FAILED = "failed"
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobState.DONE, JobState.CANCELLED)


@dataclass(frozen=True)
class DownloadEvent:
    """A snapshot of one job, sent whenever its state or progress changes."""

    job_id: str
    repo: str
    name: str
    state: JobState
    done_bytes: int
    total_bytes: int
    current_file: str = ""
    speed_bps: float = 0.0
    eta_s: float | None = None
    message: str = ""
    model_id: str = ""

    @property
    def fraction(self) -> float:
        return self.done_bytes / self.total_bytes if self.total_bytes else 0.0


class _Interrupt(Exception):
    def __init__(self, state: JobState) -> None:
        super().__init__(state.value)
        self.state = state


@dataclass
class _Job:
    id: str
    repo: str
    name: str
    quant: str
    files: list[RemoteFile]
    model_id: str = ""
    revision: str = ""
    state: JobState = JobState.QUEUED
    message: str = ""
    installed_id: str = ""
    current_file: str = ""
    request: JobState | None = None
    wake: threading.Event = field(default_factory=threading.Event)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "repo": self.repo,
            "name": self.name,
            "quant": self.quant,
            "model_id": self.model_id,
            "revision": self.revision,
            "state": self.state.value,
            "message": self.message,
            "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in self.files],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> _Job:
        files = [
            RemoteFile(str(f["path"]), int(f["size"]), str(f.get("sha256", "")))
            for f in data["files"]  # type: ignore[attr-defined]
        ]
        return cls(
            id=str(data["id"]),
            repo=str(data["repo"]),
            name=str(data["name"]),
            quant=str(data.get("quant", "")),
            files=files,
            model_id=str(data.get("model_id", "")),
            revision=str(data.get("revision", "")),
            state=JobState(str(data.get("state", "paused"))),
            message=str(data.get("message", "")),
        )


class DownloadManager:
    """One worker thread downloads queued jobs in order; every method is thread-safe."""

    def __init__(
        self,
        library: Library,
        *,
        token: Callable[[], str | None] = lambda: None,
        endpoint: str | None = None,
        on_event: Callable[[DownloadEvent], None] | None = None,
        max_retries: int = 5,
        backoff_s: float = 1.0,
        timeout_s: float = 30.0,
    ) -> None:
        self.library = library
        self._token = token
        self._endpoint = endpoint
        self._on_event = on_event
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.timeout_s = timeout_s
        self._lock = threading.RLock()
        self._work = threading.Condition(self._lock)
        self._jobs: dict[str, _Job] = {}
        self._queue: deque[str] = deque()
        self._active: str | None = None
        self._thread: threading.Thread | None = None
        self._closing = False
        self._load_saved_jobs()

    @property
    def endpoint(self) -> str:
        return (self._endpoint or hub_endpoint()).rstrip("/")

    # Public API

    def add(self, repo: str, variant: ModelVariant, model_id: str = "") -> str:
        """Queue a model for download; returns the job ID (the existing one if queued)."""
        with self._lock:
            for job in list(self._jobs.values()):
                same = job.repo == repo and [f.path for f in job.files] == [
                    f.path for f in variant.files
                ]
                if same and job.state.finished:
                    del self._jobs[job.id]  # downloaded or cancelled before: start afresh
                elif same:
                    if job.state in (JobState.PAUSED, JobState.FAILED):
                        self.resume(job.id)
                    return job.id
            job = _Job(
                id=uuid.uuid4().hex[:12],
                repo=repo,
                name=variant.name.rsplit("/", 1)[-1],
                quant=variant.quant,
                files=list(variant.files),
                model_id=model_id,
            )
            self._jobs[job.id] = job
            self._save(job)
            self._enqueue(job)
        return job.id

    def jobs(self) -> list[DownloadEvent]:
        with self._lock:
            return [self._snapshot(job) for job in self._jobs.values()]

    def job(self, job_id: str) -> DownloadEvent | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return self._snapshot(job) if job else None

    def pause(self, job_id: str) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state not in (JobState.QUEUED, JobState.DOWNLOADING):
                return
            if self._active == job_id:
                job.request = JobState.PAUSED
                job.wake.set()
                return
            self._queue.remove(job_id)
            self._set_state(job, JobState.PAUSED, "")

    def resume(self, job_id: str) -> None:
        """Resume a paused job, or retry a failed one, from where its files stopped."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state not in (JobState.PAUSED, JobState.FAILED):
                return
            self._enqueue(job)

    retry = resume

    def cancel(self, job_id: str) -> None:
        """Stop a job and delete its partial files."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state.finished:
                return
            if self._active == job_id:
                job.request = JobState.CANCELLED
                job.wake.set()
                return
            if job_id in self._queue:
                self._queue.remove(job_id)
            self._discard(job)
            self._set_state(job, JobState.CANCELLED, "")

    def forget(self, job_id: str) -> None:
        """Drop a finished or cancelled job from the list."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None and job.state.finished:
                del self._jobs[job_id]

    def wait(self, job_id: str, timeout: float | None = None) -> DownloadEvent:
        """Block until the job is done, cancelled, paused or failed (CLI and tests)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._work:
            while True:
                job = self._jobs[job_id]
                if job.state in (JobState.DONE, JobState.CANCELLED, JobState.FAILED) or (
                    job.state is JobState.PAUSED and self._active != job_id
                ):
                    return self._snapshot(job)
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    raise TimeoutError(f"download {job_id} still {job.state.value}")
                self._work.wait(remaining)

    def set_listener(self, on_event: Callable[[DownloadEvent], None] | None) -> None:
        """Replace (or with None, drop) the event callback."""
        self._on_event = on_event

    def close(self, timeout: float = 10.0) -> None:
        """Pause the active job (its partial file stays for a later resume) and stop."""
        with self._work:
            self._closing = True
            if self._active is not None:
                job = self._jobs[self._active]
                job.request = JobState.PAUSED
                job.wake.set()
            self._work.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    # Queue and worker

    def _enqueue(self, job: _Job) -> None:
        job.request = None
        job.wake.clear()
        if job.id not in self._queue:
            self._queue.append(job.id)
        self._set_state(job, JobState.QUEUED, "")
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="hearth-downloads", daemon=True)
            self._thread.start()
        self._work.notify_all()

    def _run(self) -> None:
        while True:
            with self._work:
                while not self._queue and not self._closing:
                    self._work.wait()
                if self._closing:
                    return
                job = self._jobs[self._queue.popleft()]
                self._active = job.id
                self._set_state(job, JobState.DOWNLOADING, "")
            try:
                self._download(job)
            except _Interrupt as interrupt:
                with self._lock:
                    if interrupt.state is JobState.CANCELLED:
                        self._discard(job)
                    self._set_state(job, interrupt.state, "")
            except HubError as exc:
                with self._lock:
                    self._set_state(job, JobState.FAILED, str(exc))
            except Exception as exc:  # a bug must not kill the queue silently
                log.exception("Downloading %s failed", job.repo)
                with self._lock:
                    self._set_state(job, JobState.FAILED, f"the download failed: {exc}")
            finally:
                with self._work:
                    self._active = None
                    job.request = None
                    self._work.notify_all()

    def _download(self, job: _Job) -> None:
        if offline_mode():
            raise HubOffline("Offline mode is on (HF_HUB_OFFLINE): nothing can be downloaded.")
        check_reachable(self.endpoint)
        folder = self._job_dir(job)
        folder.mkdir(parents=True, exist_ok=True)
        token = self._token() or None
        if not job.revision:
            self._pin_revision(job, token)
        self._check_disk(job)
        import httpx  # on the download thread, when the first download starts

        with httpx.Client(
            follow_redirects=True,
            timeout=httpx.Timeout(self.timeout_s),
            headers=self._headers(token),
        ) as client:
            for item in job.files:
                final = folder / _basename(item.path)
                if final.is_file():
                    continue
                self._fetch(job, client, item, folder / (_basename(item.path) + PARTIAL_SUFFIX))
                self._verify(job, item, folder)
        self._install(job, folder)

    def _pin_revision(self, job: _Job, token: str | None) -> None:
        """Ask the Hub (HEAD on the first file) which commit to download from."""
        from huggingface_hub import get_hf_file_metadata, hf_hub_url

        first = job.files[0]
        url = hf_hub_url(job.repo, first.path, endpoint=self.endpoint)
        try:
            metadata = get_hf_file_metadata(url, token=token or False)
        except Exception as exc:
            raise translate_error(exc, job.repo, self.endpoint, bool(token)) from exc
        etag = (metadata.etag or "").strip('"')
        if not first.sha256 and len(etag) == _SHA256_HEX:
            job.files[0] = replace(first, sha256=etag)
        if not first.size and metadata.size:
            job.files[0] = replace(job.files[0], size=int(metadata.size))
        with self._lock:
            job.revision = metadata.commit_hash or "main"
            self._save(job)

    def _check_disk(self, job: _Job) -> None:
        folder = self._job_dir(job)
        have = sum(_size_on_disk(folder, item) for item in job.files)
        needed = sum(item.size for item in job.files) - have
        free = shutil.disk_usage(folder).free
        if needed + DISK_MARGIN_BYTES > free:
            from desktop_app.core.models.fit import format_size

            raise HubError(
                f"Not enough disk space: {job.name} needs {format_size(needed)} more, "
                f"{format_size(free)} is free in {self.library.models_dir}. "
                "Free some space or choose another models folder."
            )

    def _headers(self, token: str | None) -> dict[str, str]:
        headers = {"User-Agent": f"hearth/{__version__}", "Accept-Encoding": "identity"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def _fetch(self, job: _Job, client: httpx.Client, item: RemoteFile, partial: Path) -> None:
        from huggingface_hub import hf_hub_url

        url = hf_hub_url(job.repo, item.path, revision=job.revision, endpoint=self.endpoint)
        job.current_file = _basename(item.path)
        failures = 0
        while True:
            self._check_request(job)
            have = partial.stat().st_size if partial.exists() else 0
            if item.size and have > item.size:
                partial.unlink()
                have = 0
            if item.size and have == item.size:
                return
            import httpx

            try:
                self._stream(job, client, url, item, partial, have)
                if not item.size or partial.stat().st_size >= item.size:
                    return
                raise httpx.RemoteProtocolError("the server closed the connection early")
            except (httpx.TransportError, _Retryable) as exc:
                failures += 1
                if failures > self.max_retries:
                    raise HubOffline(
                        f"The download of {_basename(item.path)} keeps failing ({exc}); "
                        "it is paused where it stopped: retry later."
                    ) from exc
                self._report(job, f"connection lost, retrying ({failures}/{self.max_retries})")
                if job.wake.wait(self.backoff_s * 2 ** (failures - 1)):
                    self._check_request(job)

    def _stream(
        self,
        job: _Job,
        client: httpx.Client,
        url: str,
        item: RemoteFile,
        partial: Path,
        have: int,
    ) -> None:
        headers = {"Range": f"bytes={have}-"} if have else {}
        with client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status in (401, 403):
                raise HubAuthError(auth_message(job.repo, self.endpoint, bool(self._token())))
            if status == 404:
                raise HubNotFound(f"{item.path} is no longer in {job.repo} (revision changed?)")
            if status == 416 and item.size and have >= item.size:
                return
            if status >= 500 or status == 429:
                raise _Retryable(f"the server answered {status}")
            if status not in (200, 206):
                raise HubError(f"the Hub answered {status} for {item.path}")
            mode = "ab"
            if status == 200 and have:
                mode = "wb"  # the server ignored the range: start this file over
            elif status == 206 and not response.headers.get("Content-Range", "").startswith(
                f"bytes {have}-"
            ):
                raise _Retryable("the server sent the wrong part of the file")
            progress = _Progress(self, job, item.path)
            try:
                with partial.open(mode) as handle:
                    if mode == "wb":
                        progress.restart_file()
                    for chunk in response.iter_bytes():
                        handle.write(chunk)
                        progress.add(len(chunk))
                        if job.request is not None:
                            handle.flush()
                            self._check_request(job)
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                    raise HubError(
                        "The disk is full: the download is kept where it stopped. "
                        "Free some space, then retry."
                    ) from exc
                raise HubError(f"cannot write {partial}: {exc.strerror or exc}") from exc

    def _verify(self, job: _Job, item: RemoteFile, folder: Path) -> None:
        partial = folder / (_basename(item.path) + PARTIAL_SUFFIX)
        with self._lock:
            self._set_state(job, JobState.VERIFYING, "")
        actual = sha256_file(partial)
        if item.sha256 and actual != item.sha256.lower():
            partial.unlink(missing_ok=True)
            raise HubError(
                f"{_basename(item.path)} failed verification (its sha256 does not match the "
                "Hub's), so it was deleted. Retry to download it again."
            )
        if item.size and partial.stat().st_size != item.size:
            partial.unlink(missing_ok=True)
            raise HubError(f"{_basename(item.path)} has the wrong size; it was deleted. Retry.")
        os.replace(partial, folder / _basename(item.path))
        with self._lock:
            self._set_state(job, JobState.DOWNLOADING, "")

    def _install(self, job: _Job, folder: Path) -> None:
        files = [
            ModelFile(
                folder / _basename(item.path),
                item.sha256 or sha256_file(folder / _basename(item.path)),
                (folder / _basename(item.path)).stat().st_size,
            )
            for item in job.files
        ]
        model = self.library.add_verified(
            job.repo, files, job.quant, job.model_id or model_stem(_basename(job.files[0].path))
        )
        with self._lock:
            job.installed_id = model.id
            shutil.rmtree(folder, ignore_errors=True)
            self._set_state(job, JobState.DONE, "", save=False)

    def _check_request(self, job: _Job) -> None:
        request = job.request
        if request is not None:
            raise _Interrupt(request)

    # State

    def _job_dir(self, job: _Job) -> Path:
        return self.library.downloads_dir / job.id

    def _snapshot(self, job: _Job, **extra: object) -> DownloadEvent:
        folder = self._job_dir(job)
        done = sum(_size_on_disk(folder, item) for item in job.files)
        return DownloadEvent(
            job_id=job.id,
            repo=job.repo,
            name=job.name,
            state=job.state,
            done_bytes=done if job.state is not JobState.DONE else _total(job),
            total_bytes=_total(job),
            current_file=job.current_file,
            message=job.message,
            model_id=job.installed_id,
            **extra,  # type: ignore[arg-type]
        )

    def _set_state(self, job: _Job, state: JobState, message: str, save: bool = True) -> None:
        job.state = state
        job.message = message
        if save and not state.finished:
            self._save(job)
        self._emit(self._snapshot(job))
        self._work.notify_all()

    def _report(self, job: _Job, message: str) -> None:
        with self._lock:
            job.message = message
            self._emit(self._snapshot(job))

    def _emit(self, event: DownloadEvent) -> None:
        if self._on_event is not None:
            self._on_event(event)

    def _save(self, job: _Job) -> None:
        write_json_atomically(self._job_dir(job) / JOB_FILE, job.to_json())

    def _discard(self, job: _Job) -> None:
        shutil.rmtree(self._job_dir(job), ignore_errors=True)

    def _load_saved_jobs(self) -> None:
        root = self.library.downloads_dir
        if not root.is_dir():
            return
        for state_file in sorted(root.glob(f"*/{JOB_FILE}")):
            try:
                job = _Job.from_json(json.loads(state_file.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                continue
            if job.state is not JobState.FAILED:
                job.state = JobState.PAUSED
            self._jobs[job.id] = job


class _Retryable(Exception):
    """A transient server answer (5xx, 429, a wrong range): try again after a pause."""


class _Progress:
    """Turns written bytes into throttled progress events with speed and ETA."""

    def __init__(self, manager: DownloadManager, job: _Job, current: str = "") -> None:
        self._manager = manager
        self._job = job
        self._current = current
        self._started = time.monotonic()
        self._last_emit = 0.0
        self._window: deque[tuple[float, int]] = deque()
        self._done = sum(_size_on_disk(manager._job_dir(job), f) for f in job.files)

    def restart_file(self) -> None:
        self._done = sum(
            _size_on_disk(self._manager._job_dir(self._job), f)
            for f in self._job.files
            if f.path != self._current
        )

    def add(self, count: int) -> None:
        now = time.monotonic()
        self._done += count
        self._window.append((now, self._done))
        while len(self._window) > 2 and now - self._window[0][0] > 3.0:
            self._window.popleft()
        if now - self._last_emit < PROGRESS_INTERVAL_S:
            return
        self._last_emit = now
        first_time, first_done = self._window[0]
        elapsed = now - first_time
        speed = (self._done - first_done) / elapsed if elapsed > 0 else 0.0
        total = _total(self._job)
        eta = (total - self._done) / speed if speed > 0 else None
        self._manager._emit(
            DownloadEvent(
                job_id=self._job.id,
                repo=self._job.repo,
                name=self._job.name,
                state=JobState.DOWNLOADING,
                done_bytes=self._done,
                total_bytes=total,
                current_file=_basename(self._current),
                speed_bps=speed,
                eta_s=eta,
                message=self._job.message,
            )
        )


def _basename(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _total(job: _Job) -> int:
    return sum(item.size for item in job.files)


def _size_on_disk(folder: Path, item: RemoteFile) -> int:
    name = _basename(item.path)
    for candidate in (folder / name, folder / (name + PARTIAL_SUFFIX)):
        try:
            return candidate.stat().st_size
        except OSError:
            continue
    return 0
