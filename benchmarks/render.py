"""Rendering cost of a streaming answer in the chat view (offscreen, no model needed).

Usage: python benchmarks/render.py [--deltas 200] [--tokens 2000] [--rate 500] [--messages 500]

1. Delta cost: the median time to append one delta (about three tokens of Markdown) to
   an answer of 200 characters and to one of 20,000 characters, at the end of a
   conversation that fills the window, including the view's relayout, scroll and
   repaint. Goal: long / short <= 2 (the cost does not grow with the answer).
2. Stall: the longest gap in a 1 ms timer probe on the GUI thread while an answer of
   ``--tokens`` tokens streams in at ``--rate`` tokens/s (delivered the way the engine
   bridge does it, at most one coalesced delta per 16 ms frame) at the end of a
   conversation of ``--messages`` messages. Goal: <= 16 ms. Also printed: the most
   GUI-thread CPU time between two probe ticks (the wall clock on a busy machine also
   counts waits for a core).

The answer text is a Markdown mix (paragraphs, headings, lists, code blocks, tables,
some Chinese) cycled to length. The last line sums up: ``short_ms=… long_ms=… ratio=…
max_stall_ms=…``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.core.chats.model import FinishReason, GenerationStats, Message, Role
from desktop_app.ui.chat.model import ChatListModel
from desktop_app.ui.chat.view import ChatView

FRAME_MS = 16
CHARS_PER_TOKEN = 4
MARKDOWN = (
    "Streaming keeps the interface responsive while the model writes its answer, "
    "so the reader can start long before the last token arrives.\n\n"
    "## Why it matters\n\n"
    "- The first words appear after the time to first token.\n"
    "- Each new piece costs the same, however long the answer is.\n"
    "- Scrolling follows the answer unless you scroll up.\n\n"
    "```python\ndef mean(values: list[float]) -> float:\n"
    '    """The arithmetic mean."""\n    return sum(values) / len(values)\n```\n\n'
    "| Step | Cost |\n|------|------|\n| parse | small |\n| layout | small |\n\n"
    "流式输出让界面在模型写答案时保持流畅，读者无需等到最后一个词元。\n\n"
)


def answer_text(length: int) -> str:
    return (MARKDOWN * (length // len(MARKDOWN) + 1))[:length]


def conversation(messages: int) -> list[Message]:
    rows = []
    stats = GenerationStats(generated_tokens=120, time_to_first_token_s=0.2, tokens_per_s=40.0)
    for n in range(messages):
        role = Role.USER if n % 2 == 0 else Role.ASSISTANT
        text = f"Question {n}: how does streaming work?" if role is Role.USER else MARKDOWN
        rows.append(
            Message(
                n, 1, role, text, 0.0, model="Bench", finish_reason=FinishReason.STOP, stats=stats
            )
        )
    return rows


def make_view(app: QApplication) -> tuple[ChatView, ChatListModel]:
    view = ChatView()
    model = ChatListModel(view)
    view.setModel(model)
    view.resize(900, 700)
    view.show()
    app.processEvents()
    return view, model


def delta_cost_ms(app: QApplication, start_chars: int, deltas: int) -> float:
    """Median ms to append one delta to an answer that starts ``start_chars`` long."""
    view, model = make_view(app)
    text = answer_text(start_chars + deltas * 3 * CHARS_PER_TOKEN)
    # Earlier messages fill the window, as in a real conversation, so that a short and
    # a long answer both scroll and repaint a full view on every delta.
    model.set_messages(conversation(6))
    model.add_user_message("Explain streaming.")
    model.begin_answer("Bench")
    model.append_text(text[:start_chars])
    app.processEvents()
    timings = []
    position = start_chars
    step = 3 * CHARS_PER_TOKEN
    for _ in range(deltas):
        started = time.perf_counter()
        model.append_text(text[position : position + step])
        app.processEvents()  # relayout and repaint, as the event loop would
        timings.append((time.perf_counter() - started) * 1000)
        position += step
    view.close()
    view.deleteLater()
    app.processEvents()
    return statistics.median(timings)


def max_stall_ms(
    app: QApplication, tokens: int, rate: float, messages: int
) -> tuple[float, float, float]:
    """The longest probe gap while streaming (ms, wall clock), the most CPU time the GUI
    thread spent between two probe ticks (ms), and the ms to show the conversation.

    On a busy machine a wall-clock gap includes time the thread waited for a core; the
    CPU-time figure is the longest stretch of work Hearth itself did on the GUI thread."""
    view, model = make_view(app)
    shown = time.perf_counter()
    model.set_messages(conversation(messages))
    view.scroll_to_end()
    app.processEvents()
    load_ms = (time.perf_counter() - shown) * 1000
    model.add_user_message("And one more question?")
    model.begin_answer("Bench")
    text = answer_text(tokens * CHARS_PER_TOKEN)
    app.processEvents()

    clock = QElapsedTimer()
    clock.start()
    gaps: list[float] = []
    cpu_gaps: list[float] = []
    last = [clock.nsecsElapsed(), time.thread_time_ns()]

    def probe() -> None:
        now, cpu = clock.nsecsElapsed(), time.thread_time_ns()
        gaps.append((now - last[0]) / 1e6)
        cpu_gaps.append((cpu - last[1]) / 1e6)
        last[0], last[1] = now, cpu

    sent = [0]
    done = QEventLoop()

    def deliver() -> None:
        # What the engine bridge delivers: everything generated since the last frame.
        due = min(tokens, int(clock.elapsed() / 1000 * rate))
        if due > sent[0]:
            model.append_text(text[sent[0] * CHARS_PER_TOKEN : due * CHARS_PER_TOKEN])
            sent[0] = due
        if sent[0] >= tokens:
            done.quit()

    probe_timer = QTimer()
    probe_timer.setTimerType(Qt.TimerType.PreciseTimer)
    probe_timer.setInterval(1)
    probe_timer.timeout.connect(probe)
    feed_timer = QTimer()
    feed_timer.setTimerType(Qt.TimerType.PreciseTimer)
    feed_timer.setInterval(FRAME_MS)
    feed_timer.timeout.connect(deliver)
    clock.restart()
    last[0], last[1] = clock.nsecsElapsed(), time.thread_time_ns()
    probe_timer.start()
    feed_timer.start()
    done.exec()
    probe_timer.stop()
    feed_timer.stop()
    view.close()
    return max(gaps[1:]), max(cpu_gaps[1:]), load_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deltas", type=int, default=200)
    parser.add_argument("--tokens", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=500.0)
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)

    delta_cost_ms(app, 200, 20)  # warm up (imports, lexers, fonts)
    # The long answer is the short one plus whole cycles of the sample text, so both
    # receive the same deltas (same kinds of blocks) and differ only in what precedes them.
    cycles = round((20_000 - 200) / len(MARKDOWN))
    long_start = 200 + cycles * len(MARKDOWN)
    short = delta_cost_ms(app, 200, args.deltas)
    long = delta_cost_ms(app, long_start, args.deltas)
    print(f"delta on a 200-char answer:    median {short:.3f} ms")
    print(
        f"delta on a {long_start:,}-char answer: median {long:.3f} ms "
        f"(ratio {long / short:.2f}, goal <= 2)"
    )
    stall, cpu_stall, load_ms = max_stall_ms(app, args.tokens, args.rate, args.messages)
    print(f"{args.messages}-message conversation shown in {load_ms:.0f} ms")
    print(
        f"streaming {args.tokens} tokens at {args.rate:.0f} tok/s: longest GUI stall "
        f"{stall:.1f} ms wall clock, {cpu_stall:.1f} ms of GUI-thread CPU time "
        f"(goal <= {FRAME_MS})"
    )
    print(
        f"short_ms={short:.3f} long_ms={long:.3f} ratio={long / short:.2f} "
        f"max_stall_ms={stall:.1f} max_stall_cpu_ms={cpu_stall:.1f}"
    )


if __name__ == "__main__":
    main()
