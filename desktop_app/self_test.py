"""``hearth --self-test``: prove that this installation works, without a display or a user.

The smoke test a packager (or CI) runs on a freshly built bundle. It runs offscreen
(or on the display ``QT_QPA_PLATFORM`` names, e.g. ``xcb`` under Xvfb) in a throwaway
``HEARTH_HOME`` and goes through the real parts, in the order a user meets
them: the Qt platform plugin, the app icon (SVG plugins), the modules features load
only when first used (MCP, documents, the local API), the main window, the model
loading and generating a few tokens on the real engine thread (when ``--model`` is
given), and the SQLite store, written by the app and read back through a fresh
connection. It prints one line, ``hearth self-test: ok: ...`` (exit 0) or
``hearth self-test: FAILED: <reason>`` (exit 1).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desktop_app import __version__

if TYPE_CHECKING:  # Qt and the app are imported inside the run, so an import failure is reported
    from PySide6.QtWidgets import QApplication

    from desktop_app.app import Hearth

LOAD_TIMEOUT_S = 300.0
ANSWER_TIMEOUT_S = 300.0
READY_TIMEOUT_S = 60.0
"""Features installed after the first paint (a hang guard: slow machines are slow)."""
ANSWER_TOKENS = 8
QUESTION = "Hello from the Hearth self-test"


class SelfTestFailure(Exception):
    """One step failed; the message says which and why."""


def run_self_test(model: Path | None, out: TextIO = sys.stdout) -> int:
    """Run every step; print the one-line result to ``out`` and return the exit status."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    saved_home = os.environ.get("HEARTH_HOME")
    try:
        with tempfile.TemporaryDirectory(prefix="hearth-self-test-") as home:
            os.environ["HEARTH_HOME"] = home
            findings = _run_steps(model)
    except SelfTestFailure as exc:
        print(f"hearth self-test: FAILED: {exc}", file=out, flush=True)
        return 1
    except Exception as exc:  # a self-test reports every failure in its one line
        print(f"hearth self-test: FAILED: {type(exc).__name__}: {exc}", file=out, flush=True)
        return 1
    finally:
        if saved_home is None:
            os.environ.pop("HEARTH_HOME", None)
        else:
            os.environ["HEARTH_HOME"] = saved_home
    print(f"hearth self-test: ok: {'; '.join(findings)}", file=out, flush=True)
    return 0


def _run_steps(model: Path | None) -> list[str]:
    if model is not None and not model.is_file():
        raise SelfTestFailure(f"no model file at {model}")
    try:
        from PySide6 import __version__ as pyside_version
        from PySide6.QtWidgets import QApplication

        from desktop_app.app import _configure_application, build
        from desktop_app.core.chats.store import StoreError
        from desktop_app.core.engine.base import GenerationParams
        from desktop_app.core.paths import app_paths
    except ImportError as exc:  # a bundle that left a module out
        raise SelfTestFailure(f"cannot import {exc.name or exc}: {exc}") from exc

    from desktop_app.window_check import window_problem

    problem = window_problem()
    if problem is not None:
        raise SelfTestFailure(problem)
    app = _configure_application([sys.argv[0] if sys.argv else "hearth"])
    findings = [f"Hearth {__version__}", f"Qt {pyside_version} ({QApplication.platformName()})"]
    findings.append(_check_icon())
    findings.append(_check_feature_modules())

    paths = app_paths()
    params = GenerationParams(max_tokens=ANSWER_TOKENS, ignore_eos=True, seed=1)
    try:
        hearth = build(paths, generation_params=params)
    except (StoreError, OSError) as exc:
        raise SelfTestFailure(f"cannot open the store: {exc}") from exc
    answered = False
    try:
        window = hearth.window
        window.show()
        app.processEvents()
        if not window.isVisible():
            raise SelfTestFailure("the main window did not open")
        if not _wait(app, lambda: window.is_ready, READY_TIMEOUT_S):
            raise SelfTestFailure(f"the window was not complete within {READY_TIMEOUT_S:.0f} s")
        findings.append("window opened")
        if model is not None:
            findings.extend(_load_and_answer(app, hearth, model))
            answered = True
        else:
            conversation = hearth.store.create_conversation(title="Self-test")
            hearth.store.add_user_message(conversation.id, QUESTION)
    finally:
        stopped = hearth.close()
    if not stopped:
        raise SelfTestFailure("the engine thread did not stop")
    findings.append(_check_store(paths.database, answered))
    return findings


FEATURE_MODULES = {
    "MCP tools": ("mcp", "mcp.client.stdio", "mcp.client.streamable_http"),
    "documents": ("pypdfium2", "docx", "charset_normalizer", "threadpoolctl"),
    "local API": ("desktop_app.server.app", "uvicorn"),
    "structured output": ("jsonschema",),
}
"""What each feature imports only when first used, so a bundle that left one out (or a
dependency of one) would otherwise start fine and fail later, in front of the user."""


def _check_feature_modules() -> str:
    import importlib

    for feature, modules in FEATURE_MODULES.items():
        for name in modules:
            try:
                importlib.import_module(name)
            except ImportError as exc:
                raise SelfTestFailure(
                    f"the {feature} feature cannot load {name}: {type(exc).__name__}: {exc}"
                ) from exc
    return f"{', '.join(FEATURE_MODULES)} load"


def _check_icon() -> str:
    from PySide6.QtGui import QIcon

    from desktop_app.resources import resource_path

    icon_file = resource_path("icons", "hearth.svg")
    if not icon_file.is_file():
        raise SelfTestFailure(f"the app icon is missing: {icon_file}")
    pixmap = QIcon(str(icon_file)).pixmap(64, 64)
    if pixmap.isNull():
        raise SelfTestFailure("the app icon does not render (Qt's SVG plugins are missing)")
    return "icon rendered"


def _wait(app: QApplication, done: Callable[[], bool], timeout_s: float) -> bool:
    """Run the event loop until ``done()`` or the timeout; True if done."""
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    deadline = QDeadlineTimer(int(timeout_s * 1000))
    while not done():
        if deadline.hasExpired():
            return False
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    return True


def _load_and_answer(app: QApplication, hearth: Hearth, model: Path) -> list[str]:
    """Open the model through the window, then send a message through its composer."""
    from desktop_app.core.chats.model import FinishReason
    from desktop_app.core.engine.base import Finished
    from desktop_app.ui.chat.composer import Composer

    window, bridge = hearth.window, hearth.bridge
    failures: list[str] = []
    results: list[Finished] = []
    bridge.model_failed.connect(failures.append)
    bridge.turn_finished.connect(results.append)

    window.open_model(str(model))
    if not _wait(app, lambda: bridge.model is not None or bool(failures), LOAD_TIMEOUT_S):
        raise SelfTestFailure(f"the model did not load within {LOAD_TIMEOUT_S:.0f} s")
    if failures:
        raise SelfTestFailure(f"the model did not load: {failures[0]}")
    info = bridge.model
    if info is None:
        raise SelfTestFailure(f"the model did not load: {failures[0] if failures else ''}")

    composer = window.findChild(Composer, "composer")
    if composer is None:
        raise SelfTestFailure("the main window has no message box")
    composer.setPlainText(QUESTION)
    composer.submit()
    if not bridge.is_generating and not results:
        raise SelfTestFailure("the window did not start an answer")
    if not _wait(app, lambda: bool(results), ANSWER_TIMEOUT_S):
        raise SelfTestFailure(f"no answer within {ANSWER_TIMEOUT_S:.0f} s")
    finished = results[0]
    if finished.reason is FinishReason.ERROR:
        raise SelfTestFailure(f"generation failed: {finished.error}")
    tokens = finished.stats.generated_tokens
    if tokens <= 0:
        raise SelfTestFailure("the model generated no tokens")
    rate = finished.stats.tokens_per_s
    speed = f" at {rate:.0f} tok/s" if rate else ""
    where = f" ({info.offload})" if info.offload else ""
    return [f"model {info.name} loaded{where}", f"{tokens} tokens generated{speed}"]


def _check_store(database: Path, answered: bool) -> str:
    """Read back, through a fresh connection, what the app wrote."""
    from desktop_app.core.chats.model import Role
    from desktop_app.core.chats.store import Store, StoreError

    try:
        store = Store.open(database)
    except StoreError as exc:
        raise SelfTestFailure(f"cannot reopen the store: {exc}") from exc
    try:
        conversations = store.conversations()
        if len(conversations) != 1:
            raise SelfTestFailure(f"the store holds {len(conversations)} conversations, not 1")
        messages = store.messages(conversations[0].id)
        roles = [message.role for message in messages]
        expected = [Role.USER, Role.ASSISTANT] if answered else [Role.USER]
        if roles != expected or messages[0].content != QUESTION:
            raise SelfTestFailure("the store did not give back the messages written to it")
        if answered and messages[1].finish_reason is None:
            raise SelfTestFailure("the answer was not saved as finished")
        if store.integrity_check() != "ok":
            raise SelfTestFailure("the store's integrity check failed")
    finally:
        store.close()
    count = len(messages)
    return f"store wrote and read {count} message{'s' if count != 1 else ''}"
