"""The KV snapshot cache's folder stays within its byte limit, oldest files out first."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from desktop_app.core.engine.kv_state import KVSnapshot, KVStateCache


def _snapshot(fill: int) -> KVSnapshot:
    return KVSnapshot(np.arange(4, dtype=np.intc), bytearray([fill]) * 1000)


def test_the_folder_drops_its_oldest_snapshots_beyond_the_limit(tmp_path: Path) -> None:
    cache = KVStateCache(max_bytes=1, folder=tmp_path, max_disk_bytes=2500)
    for key in ("a", "b", "c"):
        cache.put(key, _snapshot(ord(key)))  # too big for memory: straight to the folder
        time.sleep(0.02)  # distinct modification times

    assert len(list(tmp_path.glob("*.kv"))) == 2
    assert cache.take("a") is None
    for key in ("b", "c"):
        taken = cache.take(key)
        assert taken is not None and taken.data == bytearray([ord(key)]) * 1000
