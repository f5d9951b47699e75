"""Token bytes to text: incremental UTF-8 and stop strings on a bounded tail."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from desktop_app.core.engine.streaming import PieceTable, StopScanner, TextTable, Utf8Stream


def _feed_all(scanner: StopScanner, pieces: list[str]) -> str:
    return "".join(scanner.feed(piece) for piece in pieces) + scanner.flush()


def test_characters_split_across_byte_chunks_arrive_whole() -> None:
    data = "你好, 世界 🙂!".encode()
    stream = Utf8Stream()
    outputs = [stream.feed(data[i : i + 1]) for i in range(len(data))] + [stream.flush()]
    assert "".join(outputs) == "你好, 世界 🙂!"
    assert all("\ufffd" not in piece for piece in outputs)


def test_invalid_bytes_become_replacement_characters_not_errors() -> None:
    stream = Utf8Stream()
    assert stream.feed(b"ok \xff") == "ok \ufffd"
    assert stream.feed(b"\xe4\xbd") == ""
    assert stream.flush() == "\ufffd"


def test_piece_table_asks_once_per_token() -> None:
    calls: list[int] = []

    def lookup(token: int) -> bytes:
        calls.append(token)
        return bytes([65 + token])

    table = PieceTable(lookup)
    assert [table[t] for t in (0, 1, 0, 1, 3)] == [b"A", b"B", b"A", b"B", b"D"]
    assert calls == [0, 1, 3]


def test_without_stop_strings_text_passes_straight_through() -> None:
    scanner = StopScanner(())
    assert scanner.feed("anything <|im_end|>") == "anything <|im_end|>"
    assert not scanner.stopped


def test_stop_string_split_across_deltas_is_found_and_hidden() -> None:
    scanner = StopScanner(("</answer>",))
    text = _feed_all(scanner, ["The result", " is 4.</", "ans", "wer> trailing"])
    assert text == "The result is 4."
    assert scanner.stopped


def test_text_that_only_looks_like_a_stop_prefix_is_released() -> None:
    scanner = StopScanner(("\nUser:",))
    shown = [scanner.feed(piece) for piece in ["Line one\n", "Use", "ful tip"]]
    assert "".join(shown) + scanner.flush() == "Line one\nUseful tip"
    assert not scanner.stopped


def test_earliest_of_several_stop_strings_wins() -> None:
    scanner = StopScanner(("END", "STOP"))
    assert _feed_all(scanner, ["a STOP b END"]) == "a "


@pytest.mark.parametrize("size", [10, 10_000])
def test_held_back_text_is_bounded_by_the_longest_stop(size: int) -> None:
    scanner = StopScanner(("<|end|>",))
    released = "".join(scanner.feed("x") for _ in range(size))
    assert len(released) == size
    assert scanner.flush() == ""


def test_text_table_gives_text_only_for_self_contained_tokens() -> None:
    pieces = PieceTable({0: b"hello", 1: "你".encode()[:2], 2: b"", 3: "🙂".encode()}.__getitem__)
    texts = TextTable(pieces)
    assert [texts[t] for t in (0, 1, 2, 3)] == ["hello", None, "", "🙂"]


def test_utf8_stream_reports_a_pending_partial_character() -> None:
    stream = Utf8Stream()
    assert stream.feed("你".encode()[:1]) == ""
    assert stream.pending
    assert stream.feed("你".encode()[1:]) == "你"
    assert not stream.pending


STOP_CASES = [
    ("The result is 4.</answer> and more", ("</answer>",)),
    ("Sure.\nUser: and then?", ("\nUser:",)),
    ("a</answer", ("</answer>",)),
    ("<</answer>>", ("</answer>",)),
    ("x\nUse\nUser:y", ("\nUser:", "</answer>")),
    ("tail <|end|>", ("<|end|>", "\nUser:")),
    ("Line one\nUseful tip", ("\nUser:",)),
]


def _expected(text: str, stops: tuple[str, ...]) -> str:
    found = [i for i in (text.find(s) for s in stops) if i >= 0]
    return text[: min(found)] if found else text


def _splits(text: str, pieces: int) -> list[list[str]]:
    """Every way to cut ``text`` into ``pieces`` non-empty consecutive pieces."""
    if pieces == 1:
        return [[text]]
    return [
        [text[:cut], *rest]
        for cut in range(1, len(text) - pieces + 2)
        for rest in _splits(text[cut:], pieces - 1)
    ]


@pytest.mark.parametrize(("text", "stops"), STOP_CASES)
def test_every_split_of_a_stop_string_across_tokens_is_caught(
    text: str, stops: tuple[str, ...]
) -> None:
    """Guards: a stop string is never shown, however the tokens cut it (every 1-, 2- and
    3-piece split of the text), and everything before it is shown whole."""
    expected = _expected(text, stops)
    for pieces in (1, 2, 3):
        for split in _splits(text, pieces):
            scanner = StopScanner(stops)
            assert _feed_all(scanner, split) == expected, split
            assert scanner.stopped == (expected != text), split


@pytest.mark.parametrize(("text", "stops"), STOP_CASES)
def test_one_character_at_a_time_holds_back_only_a_possible_stop_start(
    text: str, stops: tuple[str, ...]
) -> None:
    """Guards: held-back text is exactly the tail that could still begin a stop string,
    so text appears as soon as it cannot be one (no more, no less)."""
    scanner = StopScanner(stops)
    shown = ""
    for end in range(1, len(text) + 1):
        shown += scanner.feed(text[end - 1])
        if scanner.stopped:
            break
        seen = text[:end]
        held = seen[len(shown) :]
        assert seen.startswith(shown)
        tails = (seen[len(seen) - n :] for n in range(len(seen) + 1))
        longest = max(len(tail) for tail in tails if any(s.startswith(tail) for s in stops))
        assert len(held) == longest, seen
    assert shown + scanner.flush() == _expected(text, stops)


def _substring_free(stops: list[str]) -> bool:
    return all(a == b or a not in b for a in stops for b in stops)


@given(
    text=st.text(alphabet="ab<>/\n:xU", max_size=30),
    stops=st.lists(st.text(alphabet="ab<>/\n:U", min_size=1, max_size=6), min_size=1, max_size=3),
    cuts=st.lists(st.integers(min_value=0, max_value=30), max_size=8),
)
@settings(max_examples=400, deadline=None)
def test_any_split_shows_exactly_the_text_before_the_first_stop(
    text: str, stops: list[str], cuts: list[int]
) -> None:
    """Guards the scanner's promise for any text, any set of stop strings (none inside
    another) and any cut into tokens: it shows the text before the first stop, whole."""
    assume(_substring_free(stops))
    bounds = sorted({0, len(text), *(c for c in cuts if c <= len(text))})
    pieces = [text[a:b] for a, b in itertools.pairwise(bounds)]
    scanner = StopScanner(tuple(stops))
    expected = _expected(text, tuple(stops))
    assert _feed_all(scanner, pieces) == expected
    assert scanner.stopped == (expected != text)
