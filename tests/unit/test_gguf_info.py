"""GGUF inspection: real files are read, damaged or hostile ones get a clear reason."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from desktop_app.core.models.gguf_info import GGUFError, read_gguf_info
from tests.tiny_model import CHATML_TEMPLATE


def test_reads_the_metadata_of_a_real_model(tiny_model: Path) -> None:
    info = read_gguf_info(tiny_model)
    assert info.architecture == "llama"
    assert info.name == "Hearth Tiny Test Model"
    assert info.chat_template == CHATML_TEMPLATE
    assert info.context_length == 32768
    assert info.tensor_count > 0
    assert info.file_size == tiny_model.stat().st_size


def _header(version: int = 3, tensors: int = 0, kvs: int = 0) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", version, tensors, kvs)


def _string(text: str) -> bytes:
    raw = text.encode()
    return struct.pack("<Q", len(raw)) + raw


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"hello, I am a text file pretending to be a model\n" * 3, "does not start with 'GGUF'"),
        (b"GGUF", "too small"),
        (_header(version=99), "version 99 is not supported"),
        (_header(tensors=2**60, kvs=1) + b"\0" * 64, "claims"),
        (_header(kvs=1) + struct.pack("<Q", 2**40) + b"key", "claims"),
        (_header(kvs=1) + _string("general.name") + struct.pack("<IQ", 8, 10**9), "truncated"),
        (_header(kvs=1) + _string("a") + struct.pack("<IIQ", 9, 4, 2**50), "truncated"),
        (_header(kvs=1) + _string("a") + struct.pack("<I", 77) + b"\0" * 16, "unknown type 77"),
    ],
)
def test_damaged_or_hostile_headers_are_rejected(
    tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "bad.gguf"
    path.write_bytes(content)
    with pytest.raises(GGUFError, match=reason):
        read_gguf_info(path)


@pytest.mark.parametrize("fraction", [0.05, 0.5, 0.99])
def test_truncated_downloads_are_rejected(
    tiny_model: Path, tmp_path: Path, fraction: float
) -> None:
    data = tiny_model.read_bytes()
    path = tmp_path / "partial.gguf"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(GGUFError, match="truncated"):
        read_gguf_info(path)


def test_a_folder_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(GGUFError, match="folder"):
        read_gguf_info(tmp_path)
