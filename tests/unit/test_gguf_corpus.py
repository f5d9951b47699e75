"""GGUF inspection on a corpus of broken files generated from the tiny model.

Whatever the damage, ``read_gguf_info`` either reads the file or raises ``GGUFError``
with a message: never another exception, a hang or a huge allocation.
"""

from __future__ import annotations

import random
import struct
from pathlib import Path

import pytest

from desktop_app.core.models.gguf_info import GGUFError, GGUFInfo, read_gguf_info


def _header_end(data: bytes) -> int:
    """Where the tensor data starts in a valid file (a rough bound is enough here)."""
    return min(len(data), 64 * 1024)


def _inspect(path: Path, content: bytes) -> GGUFInfo | GGUFError:
    path.write_bytes(content)
    try:
        return read_gguf_info(path)
    except GGUFError as exc:
        assert str(exc), "every rejection says why"
        return exc


def test_reads_display_facts_of_the_tiny_model(tiny_model: Path) -> None:
    info = read_gguf_info(tiny_model)
    assert info.architecture == "llama"
    assert info.has_chat_template
    assert info.parameter_count > 10_000
    assert info.quantization in ("F32", "F16")
    assert info.split_count == 1
    assert info.kv_bytes_per_token is not None and info.kv_bytes_per_token > 0


def test_truncated_at_every_offset_of_the_header_and_many_beyond(
    tiny_model: Path, tmp_path: Path
) -> None:
    data = tiny_model.read_bytes()
    offsets = list(range(0, _header_end(data), 97)) + list(range(0, len(data), len(data) // 50))
    target = tmp_path / "cut.gguf"
    for offset in sorted(set(offsets)):
        result = _inspect(target, data[:offset])
        assert isinstance(result, GGUFError), f"a file cut at byte {offset} was accepted"


def test_random_byte_damage_in_the_header_never_escapes_as_another_error(
    tiny_model: Path, tmp_path: Path
) -> None:
    data = tiny_model.read_bytes()
    rng = random.Random(4)
    target = tmp_path / "damaged.gguf"
    rejected = 0
    for _ in range(300):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            position = rng.randrange(4, _header_end(data))
            damaged[position] = rng.randrange(256)
        if isinstance(_inspect(target, bytes(damaged)), GGUFError):
            rejected += 1
    assert rejected > 0


def _header(tensors: int = 0, kvs: int = 0) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", 3, tensors, kvs)


def _string(text: str) -> bytes:
    raw = text.encode()
    return struct.pack("<Q", len(raw)) + raw


HOSTILE = {
    "wrong magic": b"GGML" + b"\0" * 60,
    "huge key length": _header(kvs=1) + struct.pack("<Q", 2**63) + b"\0" * 32,
    "huge string value": _header(kvs=1) + _string("k") + struct.pack("<IQ", 8, 2**62),
    "huge string array": _header(kvs=1) + _string("k") + struct.pack("<IIQ", 9, 8, 2**60),
    "array of arrays": _header(kvs=1) + _string("k") + struct.pack("<IIQ", 9, 9, 1) + b"\0" * 8,
    "huge tensor count": _header(tensors=2**63) + b"\0" * 64,
    "huge tensor shape": _header(tensors=1)
    + _string("t")
    + struct.pack("<I", 2)
    + struct.pack("<QQ", 2**63, 2**63)
    + struct.pack("<IQ", 0, 0)
    + b"\0" * 32,
    "zero dimensions": _header(tensors=1) + _string("t") + struct.pack("<I", 0) + b"\0" * 32,
    "alignment is a string": _header(kvs=1)
    + _string("general.alignment")
    + struct.pack("<I", 8)
    + _string("thirty-two")
    + b"\0" * 32,
    "alignment not a power of two": _header(kvs=1)
    + _string("general.alignment")
    + struct.pack("<II", 4, 24)
    + b"\0" * 32,
    "unknown value type": _header(kvs=1) + _string("k") + struct.pack("<I", 200) + b"\0" * 32,
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_headers_are_rejected(tmp_path: Path, case: str) -> None:
    assert isinstance(_inspect(tmp_path / "hostile.gguf", HOSTILE[case]), GGUFError)


def test_values_of_the_wrong_type_are_ignored_for_display(tmp_path: Path) -> None:
    content = (
        _header(kvs=3)
        + _string("general.architecture")
        + struct.pack("<II", 4, 7)
        + _string("general.file_type")
        + struct.pack("<I", 8)
        + _string("Q4_K_M")
        + _string("tokenizer.chat_template")
        + struct.pack("<II", 4, 1)
        + b"\0" * 16
    )
    info = _inspect(tmp_path / "odd.gguf", content)
    assert isinstance(info, GGUFInfo)
    assert info.architecture == "unknown"
    assert info.quantization == "unknown"
    assert not info.has_chat_template
    assert info.context_length is None
