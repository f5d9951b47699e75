"""Token bytes to text: incremental UTF-8 and stop strings on a bounded tail."""

from __future__ import annotations

import pytest

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
