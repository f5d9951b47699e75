"""Markdown for answers: the dialect, untrusted output made inert, streaming by blocks."""

from __future__ import annotations

import re

import pytest

from desktop_app.core.markdown import (
    MarkdownRenderer,
    StreamingMarkdown,
    code_blocks,
    code_theme,
    split_thoughts,
    to_plain_text,
)
from desktop_app.core.markdown.stream import settled_length


@pytest.fixture(params=[False, True], ids=["light", "dark"])
def renderer(request: pytest.FixtureRequest) -> MarkdownRenderer:
    return MarkdownRenderer(code_theme(dark=request.param))


def html_of(renderer: MarkdownRenderer, text: str) -> str:
    return renderer.render(text)[0]


def test_commonmark_basics_tables_task_lists_and_strikethrough(renderer: MarkdownRenderer) -> None:
    html = html_of(
        renderer,
        "# Plan\n\nSome **bold**, *italic*, ~~gone~~ and `code`.\n\n"
        "> quoted\n\n1. one\n2. two\n\n- [ ] todo\n- [x] done\n\n"
        "| Name | Size |\n|------|-----:|\n| a | 1 |\n\n[site](https://example.org)\n",
    )
    assert "<h1>Plan</h1>" in html
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert "<s>gone</s>" in html
    assert "<blockquote>" in html and "<ol>" in html
    assert "&#9744; todo" in html and "&#9745; done" in html
    assert html.count('<ul style="list-style-type: none;">') == 1, "boxes, not bullets too"
    assert "<input" not in html, "QTextDocument cannot show form controls"
    assert "<th>Name</th>" in html and "<td>a</td>" in html
    assert '<a href="https://example.org">site</a>' in html


def test_code_blocks_are_highlighted_with_language_and_copy_link(
    renderer: MarkdownRenderer,
) -> None:
    html, count = renderer.render("```python\ndef f():\n    return 1\n```\n\n    indented\n")
    assert count == 2
    assert ">python</span>" in html
    assert 'href="hearth-copy:0"' in html and 'href="hearth-copy:1"' in html
    keyword_style = re.search(r'<span style="([^"]+)">def</span>', html)
    assert keyword_style is not None, "keywords carry inline colours"
    assert "class=" not in html.split("<pre>")[1], "inline styles, no CSS classes"
    assert f"background-color: {renderer.theme.code_background}" in html


def test_light_and_dark_code_colours_differ() -> None:
    code = "```python\nimport os\n```\n"
    light = MarkdownRenderer(code_theme(dark=False)).render(code)[0]
    dark = MarkdownRenderer(code_theme(dark=True)).render(code)[0]
    assert light != dark


def test_copy_links_number_from_the_given_index(renderer: MarkdownRenderer) -> None:
    html, count = renderer.render("```\na\n```\n", first_code_index=3)
    assert count == 1 and 'href="hearth-copy:3"' in html


def test_unterminated_fence_renders_as_code(renderer: MarkdownRenderer) -> None:
    html = html_of(renderer, "Here:\n\n```js\nconst x = 1;\nconsole.log(<b>x</b>")
    assert "<pre>" in html
    assert "<b>" not in html and "&lt;" in html
    assert ">js</span>" in html


def test_raw_html_is_shown_as_text(renderer: MarkdownRenderer) -> None:
    html = html_of(
        renderer,
        '<script>alert(1)</script>\n\nHi <img src="http://evil.example/x.png"> '
        '<a href="javascript:alert(1)">x</a> <span style="color:red">red</span>\n',
    )
    assert "<script" not in html and "<img" not in html and '<span style="color:red' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=" in html


def test_images_are_never_embedded(renderer: MarkdownRenderer) -> None:
    html = html_of(
        renderer,
        "![chart](https://evil.example/track.png) ![local](file:///etc/passwd) "
        "![data](data:image/png;base64,AAAA)\n",
    )
    assert "<img" not in html
    assert '<a href="https://evil.example/track.png">[Image: chart]</a>' in html
    # markdown-it refuses file: links outright (the text stays as typed); data: images
    # become a label without a link.
    assert 'href="file:' not in html and 'href="data:' not in html
    assert "[Image: data]" in html


def test_dangerous_link_schemes_are_not_links(renderer: MarkdownRenderer) -> None:
    html = html_of(renderer, "[click](javascript:alert(1)) [f](file:///etc/passwd)\n")
    assert "href" not in html


def test_cjk_text_passes_through(renderer: MarkdownRenderer) -> None:
    html = html_of(
        renderer,
        "## 标题\n\n你好，**世界**！这是一个测试。\n\n| 名称 | 值 |\n|---|---|\n| 甲 | 一 |\n",
    )
    assert "<h2>标题</h2>" in html
    assert "你好，<strong>世界</strong>！这是一个测试。" in html
    assert "<td>甲</td>" in html


def test_thoughts_are_split_from_the_answer() -> None:
    assert split_thoughts("Plain answer") == (None, "Plain answer")
    thoughts, answer = split_thoughts("<think>\nLet me see.\n</think>\n\nThe answer.")
    assert thoughts is not None and thoughts.finished and thoughts.text == "Let me see."
    assert answer == "The answer."
    thoughts, answer = split_thoughts("<think>still thinking")
    assert thoughts is not None and not thoughts.finished and answer == ""
    thoughts, answer = split_thoughts("<thi")
    assert thoughts is not None and answer == "", "a partial tag never shows as text"


def test_plain_text_and_code_sources() -> None:
    text = "# Title\n\nSome **bold** and `code`.\n\n- a\n- [x] b\n\n```py\nx = 1\n```\n"
    assert to_plain_text(text) == "Title\n\nSome bold and code.\n• a\n• [x] b\n\nx = 1"
    assert code_blocks(text) == ["x = 1\n"]


LONG_ANSWER = (
    "Intro paragraph with **bold** text.\n\n"
    "## Section\n\n"
    "- one\n- two\n\n"
    "```python\nprint('hi')\n```\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
    "Closing words, 中文也可以。\n"
)


def stream(text: str, step: int) -> tuple[StreamingMarkdown, str]:
    streaming = StreamingMarkdown(MarkdownRenderer(code_theme(dark=False)))
    shown: list[str] = []
    tail = ""
    for end in range(step, len(text) + step, step):
        update = streaming.feed(text[:end])
        assert not update.reset
        shown.extend(update.settled)
        tail = update.tail
    return streaming, "".join(shown) + tail


@pytest.mark.parametrize("step", [1, 3, 17])
def test_streaming_by_blocks_ends_with_every_block_shown(step: int) -> None:
    _, html = stream(LONG_ANSWER, step)
    for piece in ("<h2>Section</h2>", "<li>two</li>", "print", "<td>2</td>", "中文也可以"):
        assert piece in html
    assert html.count("<h2>") == 1 and html.count("<table") == 3, "no block shown twice"


def test_streaming_cost_does_not_grow_with_the_answer() -> None:
    paragraph = "A sentence of a long answer that goes on. " * 4 + "\n\n"
    short_stream, _ = stream(paragraph * 2, 5)
    long_stream, _ = stream(paragraph * 40, 5)
    short_per_char = short_stream.rendered_chars / len(paragraph * 2)
    long_per_char = long_stream.rendered_chars / len(paragraph * 40)
    assert long_per_char < short_per_char * 1.5


def test_a_block_settles_only_when_the_next_one_begins_on_a_complete_line() -> None:
    assert settled_length("First paragraph.\n\nSecond") == 0
    assert settled_length("First paragraph.\n\nSecond\n") == len("First paragraph.\n\n")
    # "2" might still become "2. item" of the same list: not settled yet.
    assert settled_length("1. one\n\n2") == 0
    assert settled_length("```\nunterminated\n\nstill code\n") == 0


def test_text_that_does_not_just_grow_resets_the_stream() -> None:
    streaming = StreamingMarkdown(MarkdownRenderer(code_theme(dark=False)))
    streaming.feed("Para one.\n\nPara two.\n\nThree\n")
    update = streaming.feed("Something else entirely.\n")
    assert update.reset and update.settled == [] and "Something else" in update.tail


def long_code(lines: int) -> str:
    return "".join(f"    value_{n} = compute({n})  # step {n}\n" for n in range(lines))


def test_a_long_code_block_streams_in_stretches_at_a_steady_cost() -> None:
    def cost(lines: int) -> float:
        text = "Intro.\n\n```python\ndef run():\n" + long_code(lines)
        streaming = StreamingMarkdown(MarkdownRenderer(code_theme(dark=False)))
        for end in range(20, len(text) + 20, 20):
            streaming.feed(text[:end])
        return streaming.rendered_chars / len(text)

    assert cost(600) < cost(120) * 1.5


def test_a_long_code_block_streamed_shows_every_line_once_with_one_header() -> None:
    code = "def run():\n" + long_code(130)
    text = f"Intro.\n\n```python\n{code}```\n\nAfter the code.\n"
    streaming = StreamingMarkdown(MarkdownRenderer(code_theme(dark=False)))
    pieces: list[str] = []
    joined: list[bool] = []
    tail = ""
    for end in range(9, len(text) + 9, 9):
        update = streaming.feed(text[:end])
        pieces += update.settled
        joined += update.joined
        tail = update.tail
    html = "".join(pieces) + tail
    assert html.count('href="hearth-copy:0"') == 1, "one header for the whole block"
    for n in range(130):
        assert html.count(f">{n}</span>)") == 1, f"line {n} shown once"
    assert "```" not in html, "the fences are not shown"
    assert "After the code." in html
    assert joined.count(True) >= 3, "the stretches join up without gaps"
    assert code_blocks(text) == [code]


def test_a_closing_fence_still_being_typed_is_not_shown_as_code() -> None:
    text = "```\n" + long_code(100) + "``"
    update = StreamingMarkdown(MarkdownRenderer(code_theme(dark=False))).feed(text)
    assert update.tail_joined and "``" not in update.tail


def test_a_long_list_streams_in_groups_of_items_that_keep_their_numbers() -> None:
    text = "".join(f"{n}. Item number {n} of a long list\n" for n in range(1, 61)) + "\nDone.\n"
    streaming = StreamingMarkdown(MarkdownRenderer(code_theme(dark=False)))
    pieces: list[str] = []
    joined: list[bool] = []
    tail = ""
    for end in range(6, len(text) + 6, 6):
        update = streaming.feed(text[:end])
        pieces += update.settled
        joined += update.joined
        tail = update.tail
    html = "".join(pieces) + tail
    for n in range(1, 61):
        assert html.count(f">Item number {n} of") == 1
    assert '<ol start="9">' in html and '<ol start="49">' in html
    assert joined.count(True) >= 6, "the groups join up without gaps"
    assert "Done." in html
    per_char = streaming.rendered_chars / len(text)
    assert per_char < 40, "each update renders the last group, not the whole list"
