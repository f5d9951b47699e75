"""Read a GGUF file's header before llama.cpp ever sees it.

Every count and length is checked against the file size, so a truncated, corrupt or
hostile file produces a ``GGUFError`` with a clear message instead of a crash or a
huge allocation inside the native loader. Arrays are skipped, not read: only their
element type and length are kept (the vocabulary of a big model has 250k entries).
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path

GGUF_MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
MAX_KEY_LENGTH = 65_535
MAX_DIMS = 4

_SCALARS: dict[int, struct.Struct] = {
    0: struct.Struct("<B"),
    1: struct.Struct("<b"),
    2: struct.Struct("<H"),
    3: struct.Struct("<h"),
    4: struct.Struct("<I"),
    5: struct.Struct("<i"),
    6: struct.Struct("<f"),
    7: struct.Struct("<?"),
    10: struct.Struct("<Q"),
    11: struct.Struct("<q"),
    12: struct.Struct("<d"),
}
_STRING, _ARRAY = 8, 9

# ggml tensor type -> (elements per block, bytes per block), to find where data ends.
_BLOCKS: dict[int, tuple[int, int]] = {
    0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34),
    9: (32, 40), 10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176),
    14: (256, 210), 15: (256, 292), 16: (256, 66), 17: (256, 74), 18: (256, 98),
    19: (256, 50), 20: (32, 18), 21: (256, 110), 22: (256, 82), 23: (256, 136), 24: (1, 1),
    25: (1, 2), 26: (1, 4), 27: (1, 8), 28: (1, 8), 29: (256, 56), 30: (1, 2), 34: (256, 54),
    35: (256, 66), 39: (32, 17),
}  # fmt: skip
_U32, _U64 = struct.Struct("<I"), struct.Struct("<Q")

MetadataValue = int | float | bool | str

# llama.cpp's ``general.file_type`` (enum llama_ftype) -> the quant name users know.
FILE_TYPES: dict[int, str] = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K",
    11: "Q3_K_S", 12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S",
    17: "Q5_K_M", 18: "Q6_K", 19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS",
    23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL", 26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S",
    29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16", 36: "TQ1_0", 37: "TQ2_0",
    38: "MXFP4_MOE",
}  # fmt: skip
# ggml tensor type -> name, used when a file does not say its file type.
TENSOR_TYPES: dict[int, str] = {
    0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0", 9: "Q8_1",
    10: "Q2_K", 11: "Q3_K", 12: "Q4_K", 13: "Q5_K", 14: "Q6_K", 15: "Q8_K", 16: "IQ2_XXS",
    17: "IQ2_XS", 18: "IQ3_XXS", 19: "IQ1_S", 20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S",
    23: "IQ4_XS", 24: "I8", 25: "I16", 26: "I32", 27: "I64", 28: "F64", 29: "IQ1_M",
    30: "BF16", 34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4",
}  # fmt: skip


class GGUFError(Exception):
    """The file is not a usable GGUF model; the message says why, for the user."""


@dataclass(frozen=True)
class ArrayValue:
    element_type: int
    length: int


@dataclass(frozen=True)
class GGUFInfo:
    path: Path
    file_size: int
    version: int
    tensor_count: int
    metadata: dict[str, MetadataValue | ArrayValue]
    parameter_count: int = 0
    """Elements in this file's tensors (a split file's shards each hold a part)."""
    main_tensor_type: int | None = None
    """The ggml type that holds the most elements (the quant when no file type is given)."""
    tensor_bytes: dict[str, int] | None = None
    """Each tensor's data size in bytes, by name (0 for a type this reader does not know)."""

    def _text(self, key: str) -> str | None:
        value = self.metadata.get(key)
        return value if isinstance(value, str) else None

    @property
    def architecture(self) -> str:
        return self._text("general.architecture") or "unknown"

    @property
    def name(self) -> str:
        return self._text("general.name") or self.path.stem

    @property
    def chat_template(self) -> str | None:
        return self._text("tokenizer.chat_template")

    @property
    def context_length(self) -> int | None:
        return self._int(f"{self.architecture}.context_length")

    def _int(self, key: str) -> int | None:
        value = self.metadata.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def has_chat_template(self) -> bool:
        return bool(self.chat_template)

    @property
    def quantization(self) -> str:
        """The quant name (Q4_K_M, Q8_0, F16…) or "unknown"."""
        file_type = self._int("general.file_type")
        if file_type is not None and file_type in FILE_TYPES:
            return FILE_TYPES[file_type]
        if self.main_tensor_type is not None:
            return TENSOR_TYPES.get(self.main_tensor_type, "unknown")
        return "unknown"

    @property
    def split_count(self) -> int:
        """How many files the model is split into (1 for a single file)."""
        count = self._int("split.count")
        return count if count and count > 0 else 1

    @property
    def kv_bytes_per_token(self) -> int | None:
        """Bytes of f16 KV cache one token of context takes, or None if the file does not say."""
        arch = self.architecture
        layers = self._int(f"{arch}.block_count")
        embedding = self._int(f"{arch}.embedding_length")
        heads = self._int(f"{arch}.attention.head_count")
        kv_heads = self._int(f"{arch}.attention.head_count_kv") or heads
        if not (layers and embedding and heads and kv_heads):
            return None
        key_length = self._int(f"{arch}.attention.key_length") or embedding // heads
        value_length = self._int(f"{arch}.attention.value_length") or embedding // heads
        return layers * kv_heads * (key_length + value_length) * 2


class _Reader:
    def __init__(self, buffer: mmap.mmap | bytes, size: int) -> None:
        self._buffer = buffer
        self.size = size
        self.offset = 0

    def take(self, count: int, what: str) -> bytes:
        end = self.offset + count
        if count < 0 or end > self.size:
            raise GGUFError(
                f"the file is truncated or corrupt: {what} at byte {self.offset} runs past "
                f"the end of the file ({self.size} bytes)"
            )
        data = self._buffer[self.offset : end]
        self.offset = end
        return bytes(data)

    def unpack(self, fmt: struct.Struct, what: str) -> int | float | bool:
        return fmt.unpack(self.take(fmt.size, what))[0]

    def u32(self, what: str) -> int:
        return int(self.unpack(_U32, what))

    def u64(self, what: str) -> int:
        return int(self.unpack(_U64, what))

    def string(self, what: str, limit: int | None = None) -> str:
        length = self.u64(f"the length of {what}")
        if limit is not None and length > limit:
            raise GGUFError(f"the file is corrupt: {what} claims {length} bytes")
        raw = self.take(length, what)
        return raw.decode("utf-8", errors="replace")

    def skip(self, count: int, what: str) -> None:
        if count < 0 or self.offset + count > self.size:
            raise GGUFError(f"the file is truncated or corrupt: {what} runs past the end")
        self.offset += count


def read_gguf_info(path: Path) -> GGUFInfo:
    """Inspect ``path``; raises ``GGUFError`` (or ``OSError``) with a clear reason."""
    if path.is_dir():
        raise GGUFError("it is a folder, not a model file")
    with path.open("rb") as handle:
        size = path.stat().st_size
        if size < 24:
            raise GGUFError(f"the file is too small to be a GGUF model ({size} bytes)")
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as buffer:
            return _parse(path, _Reader(buffer, size))


def _parse(path: Path, reader: _Reader) -> GGUFInfo:
    if reader.take(4, "the magic number") != GGUF_MAGIC:
        raise GGUFError("it is not a GGUF model file (the file does not start with 'GGUF')")
    version = reader.u32("the version")
    if version not in SUPPORTED_VERSIONS:
        raise GGUFError(f"GGUF version {version} is not supported (expected 2 or 3)")
    tensor_count = reader.u64("the tensor count")
    kv_count = reader.u64("the metadata count")
    # Each tensor record and key/value pair needs well over 8 bytes: reject absurd counts
    # before looping over them.
    if tensor_count * 8 > reader.size or kv_count * 8 > reader.size:
        raise GGUFError(
            f"the file is corrupt: it claims {tensor_count} tensors and {kv_count} "
            f"metadata entries, more than {reader.size} bytes can hold"
        )
    metadata: dict[str, MetadataValue | ArrayValue] = {}
    for index in range(kv_count):
        key = reader.string(f"metadata key #{index}", MAX_KEY_LENGTH)
        metadata[key] = _value(reader, reader.u32(f"the type of '{key}'"), key)
    alignment = metadata.get("general.alignment", 32)
    if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
        raise GGUFError(f"the file is corrupt: general.alignment is {alignment!r}")
    data_end = 0
    parameters = 0
    elements_by_type: dict[int, int] = {}
    tensor_bytes: dict[str, int] = {}
    for index in range(tensor_count):
        name = reader.string(f"the name of tensor #{index}", MAX_KEY_LENGTH)
        dims = reader.u32(f"the dimension count of tensor '{name}'")
        if not 1 <= dims <= MAX_DIMS:
            raise GGUFError(f"the file is corrupt: tensor '{name}' has {dims} dimensions")
        elements = 1
        for _ in range(dims):
            elements *= reader.u64(f"the shape of tensor '{name}'")
        tensor_type = reader.u32(f"the type of tensor '{name}'")
        offset = reader.u64(f"the data offset of tensor '{name}'")
        block_elements, block_bytes = _BLOCKS.get(tensor_type, (1, 0))
        size = elements // block_elements * block_bytes
        data_end = max(data_end, offset + size)
        tensor_bytes[name] = size
        parameters += elements
        elements_by_type[tensor_type] = elements_by_type.get(tensor_type, 0) + elements
    data_start = -(-reader.offset // alignment) * alignment
    if tensor_count and data_start + data_end > reader.size:
        raise GGUFError(
            f"the file is truncated: its tensors need {data_start + data_end} bytes but the "
            f"file has {reader.size} (an incomplete download?)"
        )
    main_type = max(elements_by_type, key=elements_by_type.__getitem__, default=None)
    return GGUFInfo(
        path, reader.size, version, tensor_count, metadata, parameters, main_type, tensor_bytes
    )


def _value(reader: _Reader, value_type: int, key: str) -> MetadataValue | ArrayValue:
    if value_type == _STRING:
        return reader.string(f"the value of '{key}'")
    if value_type == _ARRAY:
        element_type = reader.u32(f"the element type of '{key}'")
        length = reader.u64(f"the length of '{key}'")
        if element_type in _SCALARS:
            reader.skip(length * _SCALARS[element_type].size, f"the array '{key}'")
        elif element_type == _STRING:
            for _ in range(length):
                reader.skip(reader.u64(f"an entry of '{key}'"), f"an entry of '{key}'")
        else:
            raise GGUFError(f"the file is corrupt: '{key}' has element type {element_type}")
        return ArrayValue(element_type, length)
    scalar = _SCALARS.get(value_type)
    if scalar is None:
        raise GGUFError(f"the file is corrupt: '{key}' has unknown type {value_type}")
    return reader.unpack(scalar, f"the value of '{key}'")
