"""A tiny GGUF model for Hearth's tests.

``write_tiny_model`` writes a "llama"-architecture GGUF file of a few hundred KB
that real llama.cpp (``llama_cpp.Llama``) loads and generates from in
milliseconds. Its weights are random, so what it generates is gibberish, but
everything around the weights is real:

* a byte-level BPE tokenizer (``tokenizer.ggml.model = "gpt2"``) whose vocabulary
  is the 256 GPT-2 byte tokens, a few hundred merges learned deterministically
  from a small English sample, and the ChatML control tokens ``<|endoftext|>``,
  ``<|im_start|>`` and ``<|im_end|>``; any text round-trips through it exactly;
* ``<|im_end|>`` is the end-of-sequence token, so llama.cpp treats it as
  end-of-generation;
* a ChatML ``tokenizer.chat_template`` (left out with ``chat_template=None``, to
  exercise fallbacks);
* a configurable ``llama.context_length`` (32768 by default) so tests can ask for
  large contexts, which stay cheap with such small layers.

Run ``python -m tests.tiny_model OUT.gguf`` to write one by hand.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import gguf
import numpy as np

__all__ = [
    "CHATML_TEMPLATE",
    "CONTEXT_LENGTH",
    "MODEL_NAME",
    "SPECIAL_TOKENS",
    "write_tiny_model",
]

MODEL_NAME = "Hearth Tiny Test Model"
CONTEXT_LENGTH = 32768

CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)

SPECIAL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>")

EMBEDDING_LENGTH = 64
BLOCK_COUNT = 2
HEAD_COUNT = 4
HEAD_COUNT_KV = 2
FEED_FORWARD_LENGTH = 128
MERGE_COUNT = 200
RMS_NORM_EPS = 1e-5
ROPE_FREQ_BASE = 10000.0

_TRAINING_TEXT = """\
Hello world! Hello, how are you today? I am fine, thank you. What can I do for you?
The quick brown fox jumps over the lazy dog. The dog is not happy about the fox.
This is a test of the assistant. It is a small model that runs on your own computer,
and it does not need the internet. You can ask it a question and it will answer you.
Please tell me about the weather in the city. There is a lot of sun and a little rain.
We want to make sure that the tokenizer and the chat template work with the model.
When the answer is done, the model should stop and wait for the next message from the user.
Thank you for the help, and have a good day. The assistant is here to help you with that.
Hello again, world. Could you write a short story about a friendly robot for my children?
Of course! Once upon a time, there was a little robot who wanted to learn about the world.
Every morning the robot would ask the people in the town a new question, and they would answer.
Can you explain how a computer works? A computer reads numbers from memory and changes them.
Sorry, I do not know the answer to that question, but I can try to find out more about it.
"""

_PRE_TOKENIZER = re.compile(
    r"'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])"
    r"|[^\r\nA-Za-z0-9]?[A-Za-z]+"
    r"|[0-9]"
    r"| ?[^\sA-Za-z0-9]+[\r\n]*"
    r"|\s*[\r\n]+"
    r"|\s+(?!\S)"
    r"|\s+"
)


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible map from each byte to a printable unicode character."""
    printable = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    chars = list(printable)
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            chars.append(256 + extra)
            extra += 1
    return {byte: chr(char) for byte, char in zip(printable, chars, strict=True)}


def _learn_merges(text: str, count: int) -> list[tuple[str, str]]:
    """Learn up to ``count`` BPE merges from ``text``, deterministically.

    Words are split like llama.cpp's "qwen2" pre-tokenizer splits ASCII text and
    spelled in GPT-2 byte-level characters; ties go to the alphabetically first
    pair, so the result never changes.
    """
    byte_encoder = _bytes_to_unicode()
    words: Counter[tuple[str, ...]] = Counter(
        tuple(byte_encoder[b] for b in word.encode("utf-8"))
        for word in _PRE_TOKENIZER.findall(text)
    )
    merges: list[tuple[str, str]] = []
    while len(merges) < count:
        pairs: Counter[tuple[str, str]] = Counter()
        for word, freq in words.items():
            for pair in pairwise(word):
                pairs[pair] += freq
        if not pairs:
            break
        best, freq = min(pairs.items(), key=lambda item: (-item[1], item[0]))
        if freq < 2:
            break
        merges.append(best)
        words = Counter({_apply_merge(word, best): n for word, n in words.items()})
    return merges


def _apply_merge(word: tuple[str, ...], pair: tuple[str, str]) -> tuple[str, ...]:
    merged: list[str] = []
    i = 0
    while i < len(word):
        if i + 1 < len(word) and (word[i], word[i + 1]) == pair:
            merged.append(word[i] + word[i + 1])
            i += 2
        else:
            merged.append(word[i])
            i += 1
    return tuple(merged)


def _vocabulary() -> tuple[list[str], list[int], list[str]]:
    """Return the tokens, their types and the merges of the tiny tokenizer."""
    byte_encoder = _bytes_to_unicode()
    tokens = [byte_encoder[byte] for byte in range(256)]
    merges = _learn_merges(_TRAINING_TEXT, MERGE_COUNT)
    tokens += [left + right for left, right in merges]
    if len(set(tokens)) != len(tokens):
        raise AssertionError("BPE merges produced a duplicate token")
    types = [int(gguf.TokenType.NORMAL)] * len(tokens)
    tokens += SPECIAL_TOKENS
    types += [int(gguf.TokenType.CONTROL)] * len(SPECIAL_TOKENS)
    return tokens, types, [f"{left} {right}" for left, right in merges]


def write_tiny_model(
    path: Path,
    *,
    chat_template: str | None = CHATML_TEMPLATE,
    context_length: int = CONTEXT_LENGTH,
    seed: int = 0,
) -> Path:
    """Write the tiny test model to ``path`` and return ``path``.

    ``chat_template=None`` leaves out ``tokenizer.chat_template`` altogether.
    The same ``seed`` always gives byte-identical files.
    """
    path = Path(path)
    tokens, types, merges = _vocabulary()
    vocab_size = len(tokens)
    endoftext = tokens.index("<|endoftext|>")
    im_end = tokens.index("<|im_end|>")

    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name(MODEL_NAME)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16)

    writer.add_context_length(context_length)
    writer.add_embedding_length(EMBEDDING_LENGTH)
    writer.add_block_count(BLOCK_COUNT)
    writer.add_feed_forward_length(FEED_FORWARD_LENGTH)
    writer.add_head_count(HEAD_COUNT)
    writer.add_head_count_kv(HEAD_COUNT_KV)
    writer.add_rope_dimension_count(EMBEDDING_LENGTH // HEAD_COUNT)
    writer.add_rope_freq_base(ROPE_FREQ_BASE)
    writer.add_layer_norm_rms_eps(RMS_NORM_EPS)
    writer.add_vocab_size(vocab_size)

    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("qwen2")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    writer.add_bos_token_id(endoftext)
    writer.add_eos_token_id(im_end)
    writer.add_eot_token_id(im_end)
    writer.add_pad_token_id(endoftext)
    writer.add_add_bos_token(False)
    writer.add_add_eos_token(False)
    if chat_template is not None:
        writer.add_chat_template(chat_template)

    rng = np.random.default_rng(seed)
    head_dim = EMBEDDING_LENGTH // HEAD_COUNT
    kv_length = head_dim * HEAD_COUNT_KV

    def matrix(rows: int, cols: int) -> np.ndarray:
        return (rng.standard_normal((rows, cols)) / np.sqrt(cols)).astype(np.float16)

    def norm() -> np.ndarray:
        return np.ones(EMBEDDING_LENGTH, dtype=np.float32)

    writer.add_tensor("token_embd.weight", matrix(vocab_size, EMBEDDING_LENGTH))
    for block in range(BLOCK_COUNT):
        prefix = f"blk.{block}"
        writer.add_tensor(f"{prefix}.attn_norm.weight", norm())
        writer.add_tensor(f"{prefix}.attn_q.weight", matrix(EMBEDDING_LENGTH, EMBEDDING_LENGTH))
        writer.add_tensor(f"{prefix}.attn_k.weight", matrix(kv_length, EMBEDDING_LENGTH))
        writer.add_tensor(f"{prefix}.attn_v.weight", matrix(kv_length, EMBEDDING_LENGTH))
        writer.add_tensor(
            f"{prefix}.attn_output.weight", matrix(EMBEDDING_LENGTH, EMBEDDING_LENGTH)
        )
        writer.add_tensor(f"{prefix}.ffn_norm.weight", norm())
        writer.add_tensor(
            f"{prefix}.ffn_gate.weight", matrix(FEED_FORWARD_LENGTH, EMBEDDING_LENGTH)
        )
        writer.add_tensor(f"{prefix}.ffn_up.weight", matrix(FEED_FORWARD_LENGTH, EMBEDDING_LENGTH))
        writer.add_tensor(
            f"{prefix}.ffn_down.weight", matrix(EMBEDDING_LENGTH, FEED_FORWARD_LENGTH)
        )
    writer.add_tensor("output_norm.weight", norm())
    writer.add_tensor("output.weight", matrix(vocab_size, EMBEDDING_LENGTH))

    return finish(writer, path)


def finish(writer: gguf.GGUFWriter, path: Path) -> Path:
    """Write out a GGUF whose metadata and tensors have all been added."""
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def write_from_command_line(
    argv: list[str] | None, module: str, write: Callable[[Path], Path]
) -> int:
    """``python -m tests.MODULE OUT.gguf``: write one test model and say how big it is."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(f"usage: python -m tests.{module} OUT.gguf", file=sys.stderr)
        return 2
    path = write(Path(args[0]))
    print(f"{path} {path.stat().st_size} bytes")
    return 0


def main(argv: list[str] | None = None) -> int:
    return write_from_command_line(argv, "tiny_model", write_tiny_model)


if __name__ == "__main__":
    sys.exit(main())
