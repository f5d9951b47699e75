"""The conversation store at scale: open a huge conversation, search, stream into it.

Usage: python benchmarks/store.py [--messages 1000000] [--conversations 10000] [--runs 9]

Builds a synthetic database in a temporary folder (mixed English and Chinese text,
one conversation of 5,000 messages, the rest spread evenly), indexes it for search the
way the store does, then prints medians:

- open: ``MainWindow.show_conversation`` of the 5,000-message conversation until the
  chat view has painted it (offscreen), alternating with a small one (goal <= 300 ms);
- search: ``Store.search`` for English words, prefixes and Chinese words, with
  snippets (goal <= 50 ms);
- streaming writes: ``update_answer`` flushes of a growing answer, and whole turns
  (question, answer begun, flushed, finished durably and indexed) per second.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from desktop_app.core.chats.model import FinishReason, GenerationStats
from desktop_app.core.chats.search import index_text
from desktop_app.core.chats.store import Store
from desktop_app.ui.conversations.controller import ConversationsController

BIG_CONVERSATION = 5000
ENGLISH = (
    "the",
    "a",
    "weather",
    "report",
    "river",
    "mountain",
    "python",
    "function",
    "database",
    "search",
    "window",
    "answer",
    "question",
    "translate",
    "summary",
    "lighthouse",
    "storm",
    "garden",
    "coffee",
    "morning",
    "travel",
    "budget",
    "recipe",
    "music",
    "history",
    "science",
    "library",
    "engine",
    "token",
    "model",
    "memory",
)
CHINESE = (
    "天气",
    "今天",
    "明天",
    "问题",
    "回答",
    "翻译",
    "总结",
    "数据",
    "搜索",
    "模型",
    "电脑",
    "学习",
    "工作",
    "旅行",
    "音乐",
    "历史",
    "科学",
    "图书馆",
    "咖啡",
    "早上",
    "预算",
    "菜谱",
    "河流",
    "山脉",
    "灯塔",
    "风暴",
    "花园",
    "记忆",
    "引擎",
    "函数",
)


def sentence(rng: random.Random) -> str:
    words = rng.randint(6, 40)
    if rng.random() < 0.5:
        return " ".join(rng.choice(ENGLISH) for _ in range(words)).capitalize() + "."
    return "".join(rng.choice(CHINESE) for _ in range(words // 2)) + "。"


def build(path: Path, messages: int, conversations: int, rng: random.Random) -> int:
    """Write the synthetic database; returns the id of the 5,000-message conversation."""
    Store.open(path).close()
    import sqlite3

    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    now = time.time()
    big = min(BIG_CONVERSATION, messages // 2)
    rest = messages - big
    per = max(1, rest // max(1, conversations - 1))
    sizes = [big] + [per] * (conversations - 1)
    sizes[-1] += messages - sum(sizes)
    next_id = 1
    db.execute("BEGIN")
    for number, size in enumerate(sizes, start=1):
        started = now - rng.uniform(0, 90 * 86400)
        title = sentence(rng)[:40]
        rows = []
        for i in range(size):
            role = "user" if i % 2 == 0 else "assistant"
            rows.append(
                (next_id, number, next_id - 1 if i else None, role, sentence(rng),
                 started + i, started + i, None if role == "user" else "Synthetic", "stop")
            )  # fmt: skip
            next_id += 1
        db.execute(
            "INSERT INTO conversations (id, title, created_at, updated_at, current_leaf_id)"
            " VALUES (?, ?, ?, ?, ?)",
            (number, title, started, started + size, next_id - 1),
        )
        db.executemany(
            "INSERT INTO messages (id, conversation_id, parent_id, role, content, created_at,"
            " updated_at, model, finish_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        db.executemany(
            "INSERT INTO message_search (rowid, body) VALUES (?, ?)",
            [(row[0], index_text(row[4])) for row in rows],
        )
        db.execute(
            "INSERT INTO title_search (rowid, body) VALUES (?, ?)", (number, index_text(title))
        )
        if number % 500 == 0:
            db.execute("COMMIT")
            db.execute("BEGIN")
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return 1


class PaintWatch(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def time_open(home: Path, big: int, small: int, runs: int) -> tuple[list[float], list[float]]:
    os.environ["HEARTH_HOME"] = str(home)
    app = QApplication.instance() or QApplication([])
    from desktop_app.app import build as build_app
    from desktop_app.core.paths import app_paths

    hearth = build_app(app_paths())
    window = hearth.window
    window.resize(1000, 760)
    window.show()
    while not window.is_ready:  # the chat page and features come after the first paint
        app.processEvents()
    watch = PaintWatch()
    viewport = window.chat_view.viewport()
    viewport.installEventFilter(watch)
    times = []
    for _ in range(runs):
        window.show_conversation(small)
        app.processEvents()
        watch.painted = False
        started = time.perf_counter()
        window.show_conversation(big)
        while not watch.painted:
            app.processEvents()
        times.append(time.perf_counter() - started)
    assert window.conversation_id == big and window.chat_model.has_earlier()
    sidebar = window.findChild(ConversationsController).sidebar
    refreshes = []
    for _ in range(runs):
        started = time.perf_counter()
        sidebar.refresh()
        refreshes.append(time.perf_counter() - started)
    hearth.close()
    return times, refreshes


def time_search(store: Store, runs: int) -> tuple[list[float], dict[str, int]]:
    queries = ["weather", "pyth", "lighthouse storm", "天气", "图书馆", "模型 engine", "咖啡"]
    times = []
    counts = {}
    for _ in range(runs):
        for query in queries:
            started = time.perf_counter()
            hits = store.search(query)
            times.append(time.perf_counter() - started)
            counts[query] = len(hits)
    return times, counts


def time_streaming(store: Store, rng: random.Random, turns: int) -> tuple[list[float], float]:
    flushes = []
    started = time.perf_counter()
    conversation = store.create_conversation()
    for _ in range(turns):
        store.add_user_message(conversation.id, sentence(rng))
        answer = store.begin_answer(conversation.id, "Synthetic")
        text = ""
        for _ in range(10):  # ten 0.5 s flushes of a growing answer
            text += sentence(rng)
            begun = time.perf_counter()
            store.update_answer(answer, text)
            flushes.append(time.perf_counter() - begun)
        store.finish_answer(answer, text, FinishReason.STOP, GenerationStats())
    return flushes, turns / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--conversations", type=int, default=None)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    conversations = args.conversations or max(2, args.messages // 100)
    rng = random.Random(1)
    with tempfile.TemporaryDirectory(prefix="hearth-store-bench-") as folder:
        home = Path(folder)
        database = home / "data" / "hearth.sqlite3"
        database.parent.mkdir(parents=True)
        started = time.perf_counter()
        big = build(database, args.messages, conversations, rng)
        size_mb = database.stat().st_size / 1e6
        print(
            f"built {args.messages:,} messages in {conversations:,} conversations "
            f"in {time.perf_counter() - started:.1f} s ({size_mb:.0f} MB)",
            flush=True,
        )
        store = Store.open(database)
        started = time.perf_counter()
        store.mark_interrupted_answers()  # what every start of the window does first
        print(f"startup_interrupted_check_ms={(time.perf_counter() - started) * 1000:.1f}")
        search_times, counts = time_search(store, args.runs)
        flushes, turn_rate = time_streaming(store, rng, 30)
        store.close()
        search_ms = statistics.median(search_times) * 1000
        print(f"search hits per query: {counts}")
        print(
            f"search_ms={search_ms:.1f} (goal 50) "
            f"search_p90_ms={sorted(search_times)[int(len(search_times) * 0.9)] * 1000:.1f} "
            f"flush_ms={statistics.median(flushes) * 1000:.2f} "
            f"flushes_per_s={1 / statistics.median(flushes):.0f} turns_per_s={turn_rate:.1f}",
            flush=True,
        )
        open_times, sidebar_times = time_open(home, big, 2, args.runs)
        print(
            f"open_5000_ms={statistics.median(open_times) * 1000:.0f} (goal 300) "
            f"sidebar_refresh_ms={statistics.median(sidebar_times) * 1000:.0f} "
            f"({conversations:,} conversations)"
        )


if __name__ == "__main__":
    main()
