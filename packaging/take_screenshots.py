"""Take the README's screenshots of the real window.

Run under a virtual X server so the window is drawn by the real platform plugin:

    xvfb-run -s "-screen 0 1280x900x24" .venv/bin/python packaging/take_screenshots.py \
        --model PATH [--out resources/screenshots]

Each shot starts Hearth in a throwaway HEARTH_HOME and loads the model:

- ``main-window.png``: the model answers a few questions (English and Chinese) in a
  new chat;
- ``chat-light.png``, ``chat-dark.png``, ``chat-zh_CN.png``: the light and dark themes
  and the Chinese interface, each showing a sample conversation written into the
  store beforehand (Markdown, a code block, a table, Chinese text), so that the
  rendering can be seen whatever the model is able to write.

Every shot also seeds a few older conversations (English and Chinese titles, one
pinned, spread over the sidebar's date groups) so that the sidebar is not empty.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIDTH, HEIGHT = 1240, 820
QUESTIONS = (
    "Explain in two sentences why the sky is blue.",
    "把这句话翻译成英文：今天天气很好。",
)
SAMPLE_EN = (
    (
        "How do I count the most common words in a text with Python?",
        "Use `collections.Counter`: it counts anything iterable.\n\n"
        "```python\nfrom collections import Counter\n\n"
        "def top_words(text: str, n: int = 3) -> list[tuple[str, int]]:\n"
        '    """The n most common words, most common first."""\n'
        "    return Counter(text.lower().split()).most_common(n)\n```\n\n"
        "| Input | Result |\n|---|---|\n"
        '| `"the cat saw the dog"` | `[("the", 2), ("cat", 1), ("saw", 1)]` |\n\n'
        '- [x] ignores case\n- [ ] strips punctuation (add `re.findall(r"\\w+", text)`)\n',
    ),
    (
        "Translate into Chinese: The weather is lovely today.",
        "<think>\nA short, natural sentence; 今天 goes first.\n</think>\n\n"
        "**今天天气真好。**\n\n> Word for word: *today — weather — really — good*.\n",
    ),
)
SAMPLE_ZH = (
    (
        "用 Python 统计一段文字里最常见的词，应该怎么写？",
        "用 `collections.Counter` 即可，它能统计任何可迭代对象：\n\n"
        "```python\nfrom collections import Counter\n\n"
        "def top_words(text: str, n: int = 3) -> list[tuple[str, int]]:\n"
        '    """返回出现次数最多的 n 个词。"""\n'
        "    return Counter(text.lower().split()).most_common(n)\n```\n\n"
        "| 输入 | 结果 |\n|---|---|\n"
        '| `"the cat saw the dog"` | `[("the", 2), ("cat", 1), ("saw", 1)]` |\n\n'
        "- [x] 不区分大小写\n- [ ] 去掉标点（可以改用 `re.findall`）\n",
    ),
    (
        "把这句话翻译成英文：今天天气很好。",
        "<think>\n简单的陈述句，用一般现在时。\n</think>\n\n"
        "**The weather is lovely today.**\n\n> 也可以说：*It's a beautiful day.*\n",
    ),
)

DAY = 24 * 60 * 60
# (title, question, answer, days ago, pinned): the sidebar's other conversations.
OTHERS_EN = (
    ("Project notes", "Keep my project notes here.", "Sure — add them any time.", 12, True),
    ("周报要点整理", "帮我整理这周的周报要点。", "好的，请把这周做过的事列出来。", 1, False),
    (
        "Weekend trip packing list",
        "What should I pack for two days of hiking?",
        "Layers, water, snacks.",
        1,
        False,
    ),
    ("Regex for ISO dates", "A regex for 2024-05-01?", r"`\d{4}-\d{2}-\d{2}`", 3, False),
    (
        "解释一下快速排序",
        "解释一下快速排序。",
        "选一个基准，把数组分成两半，再递归排序。",
        5,
        False,
    ),
    ("Haiku about autumn", "Write a haiku about autumn.", "Red leaves drift and fall", 20, False),
)
OTHERS_ZH = (
    ("项目笔记", "把我的项目笔记记在这里。", "好的，随时补充。", 12, True),
    ("周报要点整理", "帮我整理这周的周报要点。", "好的，请把这周做过的事列出来。", 1, False),
    ("周末徒步要带什么", "两天的徒步要带些什么？", "分层衣物、水和零食。", 1, False),
    ("ISO 日期的正则表达式", "匹配 2024-05-01 的正则？", r"`\d{4}-\d{2}-\d{2}`", 3, False),
    (
        "解释一下快速排序",
        "解释一下快速排序。",
        "选一个基准，把数组分成两半，再递归排序。",
        5,
        False,
    ),
    ("写一首关于秋天的俳句", "写一首关于秋天的俳句。", "红叶随风落", 20, False),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "screenshots")
    parser.add_argument("--max-tokens", type=int, default=60)
    parser.add_argument(
        "--only", choices=("main-window", "chat-light", "chat-dark", "chat-zh_CN"), nargs="*"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from desktop_app.app import _configure_application, build
    from desktop_app.core.chats.model import FinishReason, GenerationStats
    from desktop_app.core.chats.store import Store
    from desktop_app.core.engine.base import GenerationParams
    from desktop_app.core.models.gguf_info import read_gguf_info
    from desktop_app.core.paths import app_paths
    from desktop_app.ui.chat.composer import Composer
    from desktop_app.ui.shared.i18n import install_translations
    from desktop_app.ui.shared.theme import apply_cjk_fallback, apply_theme

    app = _configure_application(sys.argv[:1])
    apply_cjk_fallback(app)
    args.out.mkdir(parents=True, exist_ok=True)

    def spin(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def add_turns(store: Store, conversation_id: int, turns: tuple[tuple[str, str], ...]) -> None:
        model_name = read_gguf_info(args.model).name
        for question, answer in turns:
            store.add_user_message(conversation_id, question)
            answer_id = store.begin_answer(conversation_id, model_name)
            stats = GenerationStats(
                prompt_tokens=40,
                generated_tokens=len(answer) // 4,
                time_to_first_token_s=0.18,
                tokens_per_s=41.5,
            )
            store.finish_answer(answer_id, answer, FinishReason.STOP, stats)

    def seed(
        others: tuple[tuple[str, str, str, int, bool], ...],
        sample: tuple[tuple[str, str], ...] = (),
    ) -> None:
        paths = app_paths()
        paths.ensure()
        store = Store.open(paths.database)
        ages: dict[int, int] = {}
        for title, question, answer, days_ago, pinned in others:
            conversation = store.create_conversation(title)
            add_turns(store, conversation.id, ((question, answer),))
            if pinned:
                store.set_pinned(conversation.id, True)
            ages[conversation.id] = days_ago
        if sample:
            conversation = store.create_conversation(sample[0][0][:40])
            add_turns(store, conversation.id, sample)
        store.close()
        # Spread the other conversations over the sidebar's date groups.
        now = time.time()
        with sqlite3.connect(paths.database) as db:
            for conversation_id, days_ago in ages.items():
                db.execute(
                    "UPDATE conversations SET created_at = ?, updated_at = ? WHERE id = ?",
                    (now - days_ago * DAY - 600, now - days_ago * DAY - 600, conversation_id),
                )

    def shot(name: str, theme: str, language: str, prepare: Callable[[], None]) -> None:
        os.environ["HEARTH_HOME"] = tempfile.mkdtemp(prefix="hearth-shots-")
        install_translations(app, language)
        apply_theme(app, theme)
        prepare()
        params = GenerationParams(max_tokens=args.max_tokens, temperature=0.7, seed=7)
        hearth = build(app_paths(), generation_params=params)
        window = hearth.window
        window.resize(WIDTH, HEIGHT)
        window.show()
        while not window.is_ready:  # the features install after the first paint
            spin(20)
        window.open_model(str(args.model))
        while hearth.bridge.model is None:
            spin(50)
        if name == "main-window":
            window._new_chat()  # the model answers in a chat of its own
            composer = window.findChild(Composer, "composer")
            for question in QUESTIONS:
                composer.setPlainText(question)
                composer.submit()
                spin(50)
                while hearth.bridge.is_busy:
                    spin(20)
        spin(400)
        target = args.out / f"{name}.png"
        if QGuiApplication.platformName() == "xcb":
            picture = window.screen().grabWindow(window.winId())
        else:
            picture = window.grab()
        picture.save(str(target))
        print(f"saved {target}")
        hearth.close()
        window.deleteLater()
        spin(50)

    shots = {
        "main-window": ("light", "en", lambda: seed(OTHERS_EN)),
        "chat-light": ("light", "en", lambda: seed(OTHERS_EN, SAMPLE_EN)),
        "chat-dark": ("dark", "en", lambda: seed(OTHERS_EN, SAMPLE_EN)),
        "chat-zh_CN": ("light", "zh_CN", lambda: seed(OTHERS_ZH, SAMPLE_ZH)),
    }
    for name, (theme, language, prepare) in shots.items():
        if args.only and name not in args.only:
            continue
        shot(name, theme, language, prepare)
    QApplication.quit()


if __name__ == "__main__":
    main()
