"""Downloads against the fake Hub: progress, resume, verification, errors, restarts."""

from __future__ import annotations

import errno
import shutil
import threading
from collections import namedtuple
from pathlib import Path

import pytest

from desktop_app.core.models import downloads as downloads_module
from desktop_app.core.models.downloads import DownloadEvent, DownloadManager, JobState
from desktop_app.core.models.hub import HubClient, ModelVariant
from desktop_app.core.models.library import Library
from tests.fake_hub import GOOD_TOKEN, FakeHub, FakeRepo

REPO = "someone/Tiny-Chat-GGUF"
GATED = "vendor/Gated-GGUF"
FILE = "tiny-chat-Q4_K_M.gguf"
WAIT_S = 30


@pytest.fixture
def hub(fake_hub: FakeHub, tiny_model: Path) -> FakeHub:
    data = tiny_model.read_bytes()
    fake_hub.add_repo(FakeRepo(REPO, {FILE: data, "tiny-chat-Q8_0.gguf": data + b"\1" * 7}))
    fake_hub.add_repo(FakeRepo(GATED, {FILE: data}, gated=True))
    return fake_hub


class Recorder:
    def __init__(self) -> None:
        self.events: list[DownloadEvent] = []
        self._lock = threading.Lock()

    def __call__(self, event: DownloadEvent) -> None:
        with self._lock:
            self.events.append(event)

    def states(self) -> list[JobState]:
        with self._lock:
            return [event.state for event in self.events]

    def downloading(self) -> list[DownloadEvent]:
        with self._lock:
            return [e for e in self.events if e.state is JobState.DOWNLOADING and e.done_bytes]


def _variant(repo: str, quant: str = "Q4_K_M") -> ModelVariant:
    variants = HubClient().files(repo)
    return next(variant for variant in variants if variant.quant == quant)


def _manager(library: Library, recorder: Recorder, **options: object) -> DownloadManager:
    settings: dict[str, object] = {"backoff_s": 0.01}
    settings.update(options)
    return DownloadManager(library, on_event=recorder, **settings)  # type: ignore[arg-type]


def test_download_reports_progress_verifies_and_installs(
    hub: FakeHub, tmp_path: Path, tiny_model: Path
) -> None:
    library = Library(tmp_path / "models")
    recorder = Recorder()
    manager = _manager(library, recorder)
    job_id = manager.add(REPO, _variant(REPO))
    final = manager.wait(job_id, WAIT_S)
    manager.close()

    assert final.state is JobState.DONE, final.message
    states = recorder.states()
    assert states.index(JobState.QUEUED) < states.index(JobState.DOWNLOADING)
    assert JobState.VERIFYING in states and states[-1] is JobState.DONE
    size = tiny_model.stat().st_size
    assert all(event.total_bytes == size for event in recorder.events)
    model = library.get(final.model_id)
    assert model is not None and model.repo == REPO and model.quant == "Q4_K_M"
    assert model.path.read_bytes() == tiny_model.read_bytes()
    assert not library.downloads_dir.exists() or not any(library.downloads_dir.iterdir())
    head = hub.requests_for(FILE, "HEAD")
    assert head, "the revision is pinned with a HEAD request"
    assert all("/resolve/" in r.path for r in head)


def test_progress_events_carry_speed_and_eta(hub: FakeHub, tmp_path: Path) -> None:
    hub.faults.hold_after[FILE] = 50_000
    recorder = Recorder()
    manager = _manager(Library(tmp_path / "models"), recorder)
    job_id = manager.add(REPO, _variant(REPO))
    threading.Timer(0.5, hub.faults.release.set).start()
    manager.wait(job_id, WAIT_S)
    manager.close()
    progress = recorder.downloading()
    assert progress, "progress events while downloading"
    assert [e.done_bytes for e in progress] == sorted(e.done_bytes for e in progress)
    assert any(e.speed_bps > 0 and e.eta_s is not None for e in progress)
    assert all(e.current_file == FILE for e in progress)


def test_a_dropped_connection_resumes_without_starting_over(
    hub: FakeHub, tmp_path: Path, tiny_model: Path
) -> None:
    size = tiny_model.stat().st_size
    hub.faults.drop_after[FILE] = size // 3
    manager = _manager(Library(tmp_path / "models"), Recorder())
    job_id = manager.add(REPO, _variant(REPO))
    final = manager.wait(job_id, WAIT_S)
    manager.close()

    assert final.state is JobState.DONE, final.message
    gets = hub.requests_for(FILE)
    cdn = [r for r in gets if r.path.startswith("/cdn/")]
    assert [r.range for r in cdn] == ["", f"bytes={size // 3}-"]
    assert hub.bytes_sent(FILE) - 0 == sum(r.body_bytes for r in cdn) == size


def test_a_wrong_sha256_is_rejected_and_nothing_is_installed(hub: FakeHub, tmp_path: Path) -> None:
    hub.faults.corrupt.add(FILE)
    library = Library(tmp_path / "models")
    manager = _manager(library, Recorder())
    job_id = manager.add(REPO, _variant(REPO))
    final = manager.wait(job_id, WAIT_S)
    manager.close()
    assert final.state is JobState.FAILED
    assert "failed verification" in final.message
    assert library.models() == []
    assert not list(library.downloads_dir.rglob("*.gguf*"))


def test_a_gated_repo_says_to_accept_the_licence_and_add_a_token(
    hub: FakeHub, tmp_path: Path
) -> None:
    library = Library(tmp_path / "models")
    manager = _manager(library, Recorder())
    job_id = manager.add(GATED, _variant(GATED))
    final = manager.wait(job_id, WAIT_S)
    assert final.state is JobState.FAILED
    assert "accept its licence" in final.message and "token" in final.message
    assert f"{hub.endpoint}/{GATED}" in final.message
    assert library.models() == []
    manager.close()

    with_token = DownloadManager(library, token=lambda: GOOD_TOKEN, backoff_s=0.01)
    with_token.resume(job_id)
    assert with_token.wait(job_id, WAIT_S).state is JobState.DONE
    with_token.close()
    assert [model.repo for model in library.models()] == [GATED]


DiskUsage = namedtuple("DiskUsage", "total used free")


def test_too_little_free_disk_fails_before_downloading(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: DiskUsage(10**9, 10**9, 1000))
    manager = _manager(Library(tmp_path / "models"), Recorder())
    final = manager.wait(manager.add(REPO, _variant(REPO)), WAIT_S)
    manager.close()
    assert final.state is JobState.FAILED
    assert "Not enough disk space" in final.message
    assert not [r for r in hub.requests_for(FILE) if r.path.startswith("/cdn/")]


def test_a_disk_that_fills_up_mid_download_keeps_the_part_for_a_retry(
    hub: FakeHub, tmp_path: Path, tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = Path.open
    writes = {"count": 0, "bytes": 0}

    class FullDisk:
        def __init__(self, handle: object) -> None:
            self._handle = handle

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self._handle.close()  # type: ignore[attr-defined]

        def write(self, data: bytes) -> int:
            writes["count"] += 1
            if writes["count"] > 3:
                raise OSError(errno.ENOSPC, "No space left on device")
            writes["bytes"] += len(data)
            return self._handle.write(data)  # type: ignore[attr-defined]

        def flush(self) -> None:
            self._handle.flush()  # type: ignore[attr-defined]

    def open_full(self: Path, mode: str = "r", *args: object, **kwargs: object) -> object:
        handle = real_open(self, mode, *args, **kwargs)  # type: ignore[arg-type]
        if self.name.endswith(downloads_module.PARTIAL_SUFFIX) and "b" in mode and "r" not in mode:
            return FullDisk(handle)
        return handle

    monkeypatch.setattr(Path, "open", open_full)
    library = Library(tmp_path / "models")
    manager = _manager(library, Recorder())
    job_id = manager.add(REPO, _variant(REPO))
    final = manager.wait(job_id, WAIT_S)
    assert final.state is JobState.FAILED
    assert "disk is full" in final.message
    kept = writes["bytes"]
    assert kept > 0 and final.done_bytes == kept
    assert library.models() == []

    monkeypatch.setattr(Path, "open", real_open)
    manager.retry(job_id)
    assert manager.wait(job_id, WAIT_S).state is JobState.DONE
    manager.close()
    cdn = [r for r in hub.requests_for(FILE) if r.path.startswith("/cdn/")]
    assert cdn[-1].range == f"bytes={kept}-"


def _bytes_on_disk(manager: DownloadManager, job_id: str) -> int:
    snapshot = manager.job(job_id)
    assert snapshot is not None
    return snapshot.done_bytes


def test_pause_then_resume_after_a_restart(hub: FakeHub, tmp_path: Path, tiny_model: Path) -> None:
    size = tiny_model.stat().st_size
    held = 60_000
    hub.faults.hold_after[FILE] = held
    library = Library(tmp_path / "models")
    recorder = Recorder()
    first = _manager(library, recorder)
    job_id = first.add(REPO, _variant(REPO))
    # The server now holds the file at ``held`` bytes; wait until (nearly) all of them
    # are on disk (Python's write buffer may keep the last few KB), then pause.
    tick = threading.Event()
    while _bytes_on_disk(first, job_id) < held - 16 * 1024:
        assert not tick.wait(0.01)
    first.pause(job_id)
    hub.faults.release.set()
    paused = first.wait(job_id, WAIT_S)
    assert paused.state is JobState.PAUSED
    kept = paused.done_bytes
    assert held <= kept < size
    first.close()
    assert library.models() == [], "a partial file is never a model"

    second = _manager(library, Recorder())
    restored = second.job(job_id)
    assert restored is not None and restored.state is JobState.PAUSED
    assert restored.done_bytes == kept
    second.resume(job_id)
    final = second.wait(job_id, WAIT_S)
    second.close()
    assert final.state is JobState.DONE, final.message
    cdn = [r for r in hub.requests_for(FILE) if r.path.startswith("/cdn/")]
    assert cdn[-1].range == f"bytes={kept}-"
    assert cdn[-1].body_bytes == size - kept
    assert library.get(final.model_id).path.read_bytes() == tiny_model.read_bytes()  # type: ignore[union-attr]


def test_cancel_deletes_the_partial_file(hub: FakeHub, tmp_path: Path) -> None:
    hub.faults.hold_after[FILE] = 20_000
    library = Library(tmp_path / "models")
    recorder = Recorder()
    manager = _manager(library, recorder)
    job_id = manager.add(REPO, _variant(REPO))
    wait = threading.Event()
    while not recorder.downloading():
        assert not wait.wait(0.01)
    manager.cancel(job_id)
    hub.faults.release.set()
    assert manager.wait(job_id, WAIT_S).state is JobState.CANCELLED
    manager.close()
    assert not (library.downloads_dir / job_id).exists()
    assert library.models() == []


def test_offline_mode_downloads_nothing(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    variant = _variant(REPO)
    hub.log.clear()
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    manager = _manager(Library(tmp_path / "models"), Recorder())
    final = manager.wait(manager.add(REPO, variant), WAIT_S)
    manager.close()
    assert final.state is JobState.FAILED and "Offline" in final.message
    assert not [r for r in hub.log if "/resolve/" in r.path or r.path.startswith("/cdn/")]


def test_a_model_removed_after_download_can_be_downloaded_again(
    hub: FakeHub, tmp_path: Path
) -> None:
    library = Library(tmp_path / "models")
    manager = _manager(library, Recorder())
    first = manager.wait(manager.add(REPO, _variant(REPO)), WAIT_S)
    library.remove(first.model_id)
    second_id = manager.add(REPO, _variant(REPO))
    assert second_id != first.job_id
    second = manager.wait(second_id, WAIT_S)
    manager.close()
    assert second.state is JobState.DONE
    assert [model.id for model in library.models()] == [second.model_id]
