"""A tiny embedding GGUF for Hearth's tests: a random-weight BERT that llama.cpp loads.

``write_tiny_embedder`` writes a "bert"-architecture encoder (bidirectional attention,
``bert.pooling_type`` = mean, as real embedding models such as bge declare) of a few
hundred KB. It reuses the tiny chat model's byte-level BPE tokenizer, so any text,
Chinese included, tokenizes. Its vectors are meaningless but deterministic: the same
text always gives the same vector, different texts different ones, which is what the
index, the hybrid fusion and ``/v1/embeddings`` need to be tested end to end.

Run ``python -m tests.tiny_embedder OUT.gguf`` to write one by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

import gguf
import numpy as np

from tests.tiny_model import _vocabulary, finish, write_from_command_line

MODEL_NAME = "Hearth Tiny Test Embedder"
EMBEDDING_LENGTH = 32
BLOCK_COUNT = 2
HEAD_COUNT = 4
FEED_FORWARD_LENGTH = 64
CONTEXT_LENGTH = 512
LAYER_NORM_EPS = 1e-12


def write_tiny_embedder(path: Path, *, seed: int = 0) -> Path:
    """Write the tiny embedding model to ``path`` and return ``path``."""
    path = Path(path)
    tokens, types, merges = _vocabulary()
    vocab_size = len(tokens)
    endoftext = tokens.index("<|endoftext|>")

    writer = gguf.GGUFWriter(str(path), "bert")
    writer.add_name(MODEL_NAME)
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_context_length(CONTEXT_LENGTH)
    writer.add_embedding_length(EMBEDDING_LENGTH)
    writer.add_block_count(BLOCK_COUNT)
    writer.add_feed_forward_length(FEED_FORWARD_LENGTH)
    writer.add_head_count(HEAD_COUNT)
    writer.add_layer_norm_eps(LAYER_NORM_EPS)
    writer.add_causal_attention(False)
    writer.add_pooling_type(gguf.PoolingType.MEAN)
    writer.add_vocab_size(vocab_size)

    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("qwen2")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    writer.add_token_type_count(2)
    writer.add_bos_token_id(endoftext)
    writer.add_eos_token_id(endoftext)
    writer.add_pad_token_id(endoftext)
    writer.add_add_bos_token(False)
    writer.add_add_eos_token(False)

    rng = np.random.default_rng(seed)
    width = EMBEDDING_LENGTH

    def matrix(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols)) / np.sqrt(cols)).astype(np.float32)

    def ones() -> np.ndarray:
        return np.ones(width, dtype=np.float32)

    def zeros(size: int = width) -> np.ndarray:
        return np.zeros(size, dtype=np.float32)

    writer.add_tensor("token_embd.weight", matrix(vocab_size, width))
    writer.add_tensor("token_types.weight", matrix(2, width))
    writer.add_tensor("position_embd.weight", matrix(CONTEXT_LENGTH, width) * 0.1)
    writer.add_tensor("token_embd_norm.weight", ones())
    writer.add_tensor("token_embd_norm.bias", zeros())
    for block in range(BLOCK_COUNT):
        prefix = f"blk.{block}"
        for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
            writer.add_tensor(f"{prefix}.{name}.weight", matrix(width, width))
            writer.add_tensor(f"{prefix}.{name}.bias", zeros())
        writer.add_tensor(f"{prefix}.attn_output_norm.weight", ones())
        writer.add_tensor(f"{prefix}.attn_output_norm.bias", zeros())
        writer.add_tensor(f"{prefix}.ffn_up.weight", matrix(FEED_FORWARD_LENGTH, width))
        writer.add_tensor(f"{prefix}.ffn_up.bias", zeros(FEED_FORWARD_LENGTH))
        writer.add_tensor(f"{prefix}.ffn_down.weight", matrix(width, FEED_FORWARD_LENGTH))
        writer.add_tensor(f"{prefix}.ffn_down.bias", zeros())
        writer.add_tensor(f"{prefix}.layer_output_norm.weight", ones())
        writer.add_tensor(f"{prefix}.layer_output_norm.bias", zeros())

    return finish(writer, path)


def main(argv: list[str] | None = None) -> int:
    return write_from_command_line(argv, "tiny_embedder", write_tiny_embedder)


if __name__ == "__main__":
    sys.exit(main())
