"""Cutting prompts after an end-of-turn marker, and remembering the pieces."""

from __future__ import annotations

import re

from desktop_app.core.engine.prompt_tokens import SegmentTokenizer, safe_boundary, spans_cut

MARKER = "<|im_end|>"
SPECIALS = ("<|im_start|>", MARKER, "<|endoftext|>")


def tokenize_like_llama(text: str) -> list[int]:
    """A stand-in tokenizer with llama.cpp's shape: specials are one token, and the text
    between them is tokenized on its own (here, two characters per token)."""
    tokens: list[int] = []
    for part in re.split("(" + "|".join(map(re.escape, SPECIALS)) + ")", text):
        if part in SPECIALS:
            tokens.append(1000 + SPECIALS.index(part))
        else:
            tokens.extend(hash(part[i : i + 2]) % 997 for i in range(0, len(part), 2))
    return tokens


def chat(turns: int) -> str:
    return (
        "".join(
            f"<|im_start|>user\nquestion {n} 你好 🙂<|im_end|>\n<|im_start|>assistant\nanswer {n}"
            f"{MARKER}\n"
            for n in range(turns)
        )
        + "<|im_start|>assistant\n"
    )


class CountingTokenizer:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, text: str) -> list[int]:
        self.texts.append(text)
        return tokenize_like_llama(text)


def test_pieces_give_the_same_tokens_as_the_whole_text() -> None:
    tokenize = SegmentTokenizer(tokenize_like_llama, [MARKER])
    for turns in (0, 1, 5, 20):
        assert tokenize(chat(turns)) == tokenize_like_llama(chat(turns))


def test_a_longer_chat_tokenizes_only_what_is_new() -> None:
    counting = CountingTokenizer()
    tokenize = SegmentTokenizer(counting, [MARKER])
    tokenize(chat(20))
    counting.texts.clear()
    tokens = tokenize(chat(21))
    assert tokens == tokenize_like_llama(chat(21))
    new_text = sum(len(t) for t in counting.texts)
    assert new_text < len(chat(21)) / 10, "earlier turns came from the memo"


def test_text_without_the_marker_is_tokenized_whole() -> None:
    counting = CountingTokenizer()
    tokenize = SegmentTokenizer(counting, [MARKER])
    assert tokenize("User: hello\n\nAssistant:") == tokenize_like_llama("User: hello\n\nAssistant:")
    assert counting.texts == ["User: hello\n\nAssistant:"]


def test_the_memo_is_bounded() -> None:
    counting = CountingTokenizer()
    tokenize = SegmentTokenizer(counting, [MARKER], max_segments=3)
    for n in range(10):
        tokenize(f"turn {n}{MARKER}")
    counting.texts.clear()
    tokenize(f"turn 0{MARKER}")
    assert counting.texts == [f"turn 0{MARKER}"], "the oldest piece was forgotten"


def test_a_special_token_that_could_span_the_cut_is_unsafe() -> None:
    assert not spans_cut(MARKER, "<|im_start|>")
    assert not spans_cut(MARKER, "<unused12>")
    assert spans_cut(MARKER, "|>\n"), "starts with the end of the marker"
    assert spans_cut(MARKER, "<|im_end|>\n"), "starts with the whole marker"
    assert spans_cut(MARKER, "x<|im_end|>y"), "holds the marker with more after it"
    assert not spans_cut(MARKER, "x<|im_end|>"), "ends where the cut is: no span"


def test_a_longer_special_token_that_takes_the_start_of_the_marker_is_unsafe() -> None:
    assert not safe_boundary(MARKER, strips_right=False, specials=(*SPECIALS, "xxxxxxxx<|im"))
    assert safe_boundary(MARKER, strips_right=False, specials=(*SPECIALS, "<|im"))


def test_safe_boundary() -> None:
    assert safe_boundary(MARKER, strips_right=False, specials=SPECIALS)
    assert not safe_boundary(MARKER, strips_right=True, specials=SPECIALS)
    assert not safe_boundary(MARKER, strips_right=False, specials=(*SPECIALS, "|>\n\n"))
    assert not safe_boundary("", strips_right=False, specials=SPECIALS)
