"""GGUF inspection, word for word: each rejection names the field that is wrong.

A person told "the file is truncated or corrupt: the type of 'general.name' at byte 40
runs past the end" knows what happened; the corpus tests only check that *some*
``GGUFError`` came out. These build small files by hand, one field at a time, and pin
the message and the facts read. Found by mutation testing (``benchmarks/mutation.py
gguf_info``); each test names the promise it guards.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from desktop_app.core.models.gguf_info import ArrayValue, GGUFError, GGUFInfo, read_gguf_info

U32, U64, F32_TYPE, STRING, ARRAY = 4, 10, 6, 8, 9


def _header(tensors: int = 0, kvs: int = 0) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", 3, tensors, kvs)


def _string(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return struct.pack("<Q", len(raw)) + raw


def _tensor(name: str, shape: tuple[int, ...], kind: int, offset: int = 0) -> bytes:
    dims = struct.pack("<I", len(shape)) + b"".join(struct.pack("<Q", n) for n in shape)
    return _string(name) + dims + struct.pack("<IQ", kind, offset)


def _read(tmp_path: Path, content: bytes) -> GGUFInfo:
    path = tmp_path / "model.gguf"
    path.write_bytes(content)
    return read_gguf_info(path)


def _error(tmp_path: Path, content: bytes) -> str:
    with pytest.raises(GGUFError) as caught:
        _read(tmp_path, content)
    return str(caught.value)


def _past_end(what: str, at: int, size: int) -> str:
    return (
        f"the file is truncated or corrupt: {what} at byte {at} runs past the end of the "
        f"file ({size} bytes)"
    )


# Each case cuts a file right inside one field; the message must name that field.
KV = _header(kvs=1)
CUT_FIELDS = {
    "key length": (KV + b"\0" * 4, "the length of metadata key #0", 24),
    "value type": (KV + _string("k") + b"\0\0", "the type of 'k'", 33),
    "string length": (
        KV + _string("k") + struct.pack("<I", STRING),
        "the length of the value of 'k'",
        37,
    ),
    "string value": (
        KV + _string("k") + struct.pack("<IQ", STRING, 9) + b"abc",
        "the value of 'k'",
        45,
    ),
    "scalar value": (
        KV + _string("k") + struct.pack("<I", U64) + b"\0" * 4,
        "the value of 'k'",
        37,
    ),
    "element type": (
        KV + _string("k") + struct.pack("<I", ARRAY) + b"\0",
        "the element type of 'k'",
        37,
    ),
    "array length": (
        KV + _string("k") + struct.pack("<II", ARRAY, U32) + b"\0",
        "the length of 'k'",
        41,
    ),
    "array entry length": (
        KV + _string("k") + struct.pack("<IIQ", ARRAY, STRING, 2) + _string("a") + b"\0",
        "an entry of 'k'",
        58,
    ),
}


@pytest.mark.parametrize("case", sorted(CUT_FIELDS))
def test_a_cut_metadata_field_is_named(tmp_path: Path, case: str) -> None:
    """Promise: a truncated file's message names the metadata field that runs past the end."""
    content, what, at = CUT_FIELDS[case]
    assert _error(tmp_path, content) == _past_end(what, at, len(content))


TENSOR = _header(tensors=1)
CUT_TENSOR_FIELDS = {
    "name": (TENSOR + b"\0" * 4, "the length of the name of tensor #0", 24),
    "dimension count": (TENSOR + _string("t") + b"\0", "the dimension count of tensor 't'", 33),
    "shape": (TENSOR + _string("t") + struct.pack("<I", 1) + b"\0", "the shape of tensor 't'", 37),
    "type": (
        TENSOR + _string("t") + struct.pack("<IQ", 1, 4) + b"\0",
        "the type of tensor 't'",
        45,
    ),
    "offset": (
        TENSOR + _string("t") + struct.pack("<IQI", 1, 4, 0) + b"\0",
        "the data offset of tensor 't'",
        49,
    ),
}


@pytest.mark.parametrize("case", sorted(CUT_TENSOR_FIELDS))
def test_a_cut_tensor_field_is_named(tmp_path: Path, case: str) -> None:
    """Promise: a truncated file's message names the tensor field that runs past the end."""
    content, what, at = CUT_TENSOR_FIELDS[case]
    assert _error(tmp_path, content) == _past_end(what, at, len(content))


def test_arrays_past_the_end_are_named(tmp_path: Path) -> None:
    """Promise: an array whose data runs past the end is named, for numbers and texts."""
    numbers = KV + _string("k") + struct.pack("<IIQ", ARRAY, U32, 100) + b"\0" * 8
    assert _error(tmp_path, numbers) == (
        "the file is truncated or corrupt: the array 'k' runs past the end"
    )
    texts = KV + _string("k") + struct.pack("<IIQQ", ARRAY, STRING, 1, 50) + b"\0" * 8
    assert _error(tmp_path, texts) == (
        "the file is truncated or corrupt: an entry of 'k' runs past the end"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GGML" + b"\0" * 60, "it is not a GGUF model file (the file does not start with 'GGUF')"),
        (
            KV + _string("k") + struct.pack("<IIQ", ARRAY, ARRAY, 1) + b"\0" * 8,
            "the file is corrupt: 'k' has element type 9",
        ),
        (
            KV + _string("k") + struct.pack("<I", 200) + b"\0" * 8,
            "the file is corrupt: 'k' has unknown type 200",
        ),
        (
            KV + struct.pack("<Q", 70_000) + b"\0" * 8,
            "the file is corrupt: metadata key #0 claims 70000 bytes",
        ),
        (
            TENSOR + struct.pack("<Q", 70_000) + b"\0" * 8,
            "the file is corrupt: the name of tensor #0 claims 70000 bytes",
        ),
        (
            TENSOR + _string("t") + struct.pack("<I", 5) + b"\0" * 8,
            "the file is corrupt: tensor 't' has 5 dimensions",
        ),
        (
            KV + _string("general.alignment") + struct.pack("<II", U32, 0) + b"\0" * 8,
            "the file is corrupt: general.alignment is 0",
        ),
    ],
)
def test_corrupt_headers_say_what_is_wrong(tmp_path: Path, content: bytes, message: str) -> None:
    """Promise: every corrupt header gets a one-line message naming the bad field."""
    assert _error(tmp_path, content) == message


def test_a_folder_is_named_as_such(tmp_path: Path) -> None:
    """Promise: choosing a folder instead of a model says so."""
    with pytest.raises(GGUFError, match=r"^it is a folder, not a model file$"):
        read_gguf_info(tmp_path)


def test_the_count_check_is_eight_bytes_per_entry(tmp_path: Path) -> None:
    """Promise: counts are checked against the file size (8 bytes an entry at least)
    before any loop; a count that just fits goes on to the field-by-field reading."""
    size = 24 + 8 * 10
    for tensors, kvs in ((size // 8, 0), (0, size // 8)):
        content = _header(tensors=tensors, kvs=kvs) + b"\0" * 80
        assert "claims" not in _error(tmp_path, content)
    for tensors, kvs in ((size // 8 + 1, 0), (0, size // 8 + 1)):
        content = _header(tensors=tensors, kvs=kvs) + b"\0" * 80
        assert _error(tmp_path, content) == (
            f"the file is corrupt: it claims {tensors} tensors and {kvs} metadata entries, "
            f"more than {size} bytes can hold"
        )


def test_values_that_end_the_file_exactly_and_empty_ones_are_read(tmp_path: Path) -> None:
    """Promise: a value that ends exactly at the end of the file, an empty text and an
    empty array are valid; texts that are not UTF-8 are read with replacement marks;
    arrays keep their element type and length."""
    content = (
        _header(kvs=5)
        + _string("empty")
        + struct.pack("<I", STRING)
        + _string("")
        + _string(b"bad\xffkey")
        + struct.pack("<I", STRING)
        + _string("x")
        + _string("none")
        + struct.pack("<IIQ", ARRAY, U32, 0)
        + _string("list")
        + struct.pack("<IIQ", ARRAY, U32, 3)
        + b"\0" * 12
        + _string("last")
        + struct.pack("<IQ", U64, 7)
    )
    info = _read(tmp_path, content)
    assert info.metadata == {
        "empty": "",
        "bad\ufffdkey": "x",
        "none": ArrayValue(U32, 0),
        "list": ArrayValue(U32, 3),
        "last": 7,
    }
    assert (info.path, info.version, info.file_size) == (tmp_path / "model.gguf", 3, len(content))


def test_tensor_sizes_counts_and_the_main_type(tmp_path: Path) -> None:
    """Promise: each tensor's byte size, the parameter count and the quant (the type
    holding most elements) are read from the tensor records; a tensor of a type this
    reader does not know counts 0 bytes; four dimensions are allowed."""
    records = (
        _tensor("a", (32,), 8, 0)  # Q8_0: 32 elements in 34 bytes
        + _tensor("b", (32,), 8, 64)
        + _tensor("c", (1, 1, 1, 48), 0, 128)  # F32: 48 elements, 192 bytes
        + _tensor("d", (10,), 99, 0)  # unknown type
    )
    header = _header(tensors=4) + records
    start = -(-len(header) // 32) * 32
    content = header + b"\0" * (start - len(header) + 128 + 192)
    info = _read(tmp_path, content)
    assert info.tensor_bytes == {"a": 34, "b": 34, "c": 192, "d": 0}
    assert info.parameter_count == 32 + 32 + 48 + 10
    assert info.main_tensor_type == 8
    assert info.quantization == "Q8_0"
    assert _error(tmp_path, content[:-1]) == (
        f"the file is truncated: its tensors need {start + 320} bytes but the file has "
        f"{len(content) - 1} (an incomplete download?)"
    )


def test_an_alignment_of_one_is_valid(tmp_path: Path) -> None:
    """Promise: any power of two, 1 included, is a valid alignment."""
    content = KV + _string("general.alignment") + struct.pack("<II", U32, 1)
    assert _read(tmp_path, content).metadata["general.alignment"] == 1


def test_a_tensor_of_zero_bytes_needs_no_data(tmp_path: Path) -> None:
    """Promise: a file whose only tensor has no known size ends where the data starts."""
    header = _header(tensors=1) + _tensor("t", (4,), 99, 0)
    start = -(-len(header) // 32) * 32
    info = _read(tmp_path, header + b"\0" * (start - len(header)))
    assert info.tensor_bytes == {"t": 0}


def test_a_true_or_false_is_not_a_number(tmp_path: Path) -> None:
    """Promise: a context length stored as true/false is not shown as a length."""
    content = (
        _header(kvs=2)
        + _string("general.architecture")
        + struct.pack("<I", STRING)
        + _string("llama")
        + _string("llama.context_length")
        + struct.pack("<IB", 7, 1)
        + b"\0" * 8
    )
    assert _read(tmp_path, content).context_length is None


def test_an_array_may_end_the_file_and_a_key_may_take_the_longest_length(
    tmp_path: Path,
) -> None:
    """Promise: limits are inclusive — an array ending exactly at the end of the file
    and a key of exactly 65,535 bytes are read."""
    longest = "k" * 65_535
    content = KV + _string(longest) + struct.pack("<IIQ", ARRAY, U32, 2) + b"\0" * 8
    assert _read(tmp_path, content).metadata == {longest: ArrayValue(U32, 2)}
