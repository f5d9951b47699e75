"""Quantized tensors: ``read_gguf_info`` knows how many bytes each type takes.

The files are written by the ``gguf`` package (llama.cpp's own writer), with Q8_0 and
Q4_K data quantized by ``gguf.quants`` where it can, and the expected sizes come from
the package's reader, not from Hearth's table. A file that ends exactly where its last
tensor ends is accepted; one byte less is a truncated download, and the message names
the exact size the tensors need.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

gguf = pytest.importorskip("gguf")

from desktop_app.core.models.gguf_info import (  # noqa: E402
    TENSOR_TYPES,
    GGUFError,
    read_gguf_info,
)

QuantType = gguf.GGMLQuantizationType
KNOWN = [
    qtype for qtype in QuantType if qtype.value in TENSOR_TYPES and qtype in gguf.GGML_QUANT_SIZES
]


def _tensor_bytes(qtype: QuantType, rows: int, blocks_per_row: int) -> np.ndarray:
    """Data for a ``rows`` by ``blocks_per_row`` blocks tensor of ``qtype``, as bytes."""
    block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
    rng = np.random.default_rng(qtype.value)
    values = rng.standard_normal((rows, blocks_per_row * block_size)).astype(np.float32)
    try:
        data = gguf.quants.quantize(values, qtype)
    except (NotImplementedError, KeyError, ValueError, TypeError):
        data = rng.integers(0, 256, (rows, blocks_per_row * type_size), dtype=np.uint8)
    data = np.ascontiguousarray(data).view(np.uint8).reshape(rows, -1)
    assert data.shape == (rows, blocks_per_row * type_size)
    return data


def _write(path: Path, qtype: QuantType) -> int:
    """A small model whose last (and largest) tensor is ``qtype``; returns where the
    tensor data ends, as the ``gguf`` package's reader computes it."""
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name(f"quantized {qtype.name}")
    writer.add_tensor("norm.weight", np.ones(8, dtype=np.float32))
    writer.add_tensor("blk.0.ffn.weight", _tensor_bytes(qtype, 3, 8), raw_dtype=qtype)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    last = gguf.GGUFReader(str(path)).tensors[-1]
    assert last.tensor_type == qtype
    return int(last.data_offset) + int(last.n_bytes)


@pytest.mark.parametrize("qtype", KNOWN, ids=[q.name for q in KNOWN])
def test_a_file_that_ends_with_its_last_tensor_is_whole(tmp_path: Path, qtype: QuantType) -> None:
    """Guards the block size of every tensor type: the exact file is accepted, and it is
    counted as that type."""
    path = tmp_path / f"{qtype.name}.gguf"
    end = _write(path, qtype)
    exact = path.read_bytes()[:end]
    path.write_bytes(exact)
    info = read_gguf_info(path)
    assert info.tensor_count == 2
    assert info.parameter_count == 8 + 3 * 8 * gguf.GGML_QUANT_SIZES[qtype][0]
    assert info.quantization == TENSOR_TYPES[qtype.value]


@pytest.mark.parametrize("qtype", KNOWN, ids=[q.name for q in KNOWN])
def test_one_byte_short_of_the_last_tensor_is_truncated(tmp_path: Path, qtype: QuantType) -> None:
    """Guards the block size of every tensor type from the other side: a file one byte
    short is refused, and the message gives the exact size its tensors need."""
    path = tmp_path / f"{qtype.name}.gguf"
    end = _write(path, qtype)
    path.write_bytes(path.read_bytes()[: end - 1])
    with pytest.raises(GGUFError, match="truncated") as refused:
        read_gguf_info(path)
    assert re.search(rf"need {end} bytes but the file has {end - 1}\b", str(refused.value))


def test_the_types_users_download_most_are_covered() -> None:
    names = {qtype.name for qtype in KNOWN}
    assert {"Q4_K", "Q8_0", "Q5_K", "Q6_K", "Q4_0", "F16", "BF16"} <= names
