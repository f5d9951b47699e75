"""Rendering an untrusted chat template with hard limits on time and memory.

A GGUF's ``tokenizer.chat_template`` is data from a downloaded file. Jinja's sandbox
stops it from reaching Python objects, but not from looping for hours within the
sandbox's range limit or from building a string of many gigabytes. Hooks inside the
interpreter (attribute and call checks) cannot catch a loop whose body makes no call,
nor a single ``'x' * n`` that allocates everything at once, so each model template is
compiled and rendered in a child process of its own:

* time: the parent waits at most ``RenderLimits.seconds`` for an answer, then kills
  the child (a hard kill: nothing inside the template can delay it);
* memory: the child's address space is capped (``RLIMIT_AS``, Linux), so an oversized
  allocation fails with ``MemoryError`` inside the child;
* output: the child renders with ``Template.generate()`` and stops once the text
  passes ``RenderLimits.max_chars``.

The built-in formats are Hearth's own code and render in-process (``prompt_format``).
One child serves every render of one template (a round trip costs well under a
millisecond; see ``benchmarks/template_render.py``) and is replaced after a kill.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment


class TemplateError(Exception):
    """A chat template failed to render (broken, blocked by the sandbox, over a limit)."""


class TemplateCancelled(TemplateError):
    """The caller stopped waiting for a render (a model load was cancelled)."""


@dataclass(frozen=True)
class RenderLimits:
    """How long and how large one render of an untrusted template may be.

    2 s is about a thousand times what a real template needs for a long conversation
    (the largest ones, with tools, render 200 messages in about 2 ms) and short enough
    that a load never seems stuck. 64 Mi characters is sixteen times the longest prompt
    a one-million-token context window can hold (about 4 characters a token).
    """

    seconds: float = 2.0
    max_chars: int = 64 * 1024 * 1024
    memory_headroom: int = 512 * 1024 * 1024
    """Address space the child may add to what it holds once Jinja is imported: room
    for the largest allowed output of single-byte characters several times over (the
    chunks, their join and its pickle)."""
    startup_seconds: float = 60.0
    """How long a child may take to start (a cold Python on a busy machine)."""


def _raise(message: str) -> None:
    raise TemplateError(message)


def _strftime_now(fmt: str) -> str:
    return datetime.now().strftime(fmt)


def make_environment() -> jinja2.Environment:
    """The sandbox every chat template, built-in or not, is compiled in."""
    environment = ImmutableSandboxedEnvironment(
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        extensions=["jinja2.ext.loopcontrols"],
    )
    environment.globals.update(raise_exception=_raise, strftime_now=_strftime_now)
    return environment


def describe(exc: BaseException) -> str:
    if isinstance(exc, TemplateError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "it needs more memory than a chat template may use"
    if isinstance(exc, RecursionError):
        return "it nests too deeply"
    return f"{type(exc).__name__}: {exc}"


def render_bounded(template: jinja2.Template, context: Mapping[str, Any], max_chars: int) -> str:
    """Render chunk by chunk, stopping as soon as the text passes ``max_chars``."""
    chunks: list[str] = []
    size = 0
    for chunk in template.generate(**context):
        size += len(chunk)
        if size > max_chars:
            raise TemplateError(
                f"its output passed the limit of {max_chars // (1024 * 1024)} Mi characters"
            )
        chunks.append(chunk)
    return "".join(chunks)


def _cap_address_space(headroom: int) -> None:
    """Linux only: elsewhere the time limit and the output limit still hold."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (current + headroom, current + headroom))
    except (ImportError, OSError, ValueError):
        pass


def _serve(conn: multiprocessing.connection.Connection, source: str, limits: RenderLimits) -> None:
    """The child: compile on the first request, then answer renders until the pipe closes.

    Ctrl+C in a terminal reaches the whole process group; the parent decides when this
    process ends (it closes the pipe, or kills it)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _cap_address_space(limits.memory_headroom)
    conn.send(("ready", ""))
    template: jinja2.Template | None = None
    while True:
        try:
            context = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if template is None:
                template = make_environment().from_string(source)
            reply = ("ok", render_bounded(template, context, limits.max_chars))
        except BaseException as exc:  # untrusted input: every failure is the template's
            reply = ("error", describe(exc))
        del context
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("error", describe(MemoryError())))


def _context() -> Any:
    """Spawn: a fresh interpreter that imports only this module (and, as multiprocessing
    does, the main script: for ``hearth`` the small ``desktop_app.cli``), on every
    platform and in the frozen bundle alike. It costs a few hundred milliseconds once
    per model load; a forkserver costs less, but its children tied up a later load's
    cancellation in the GUI tests, so one path it is."""
    return multiprocessing.get_context("spawn")


def _stop(process: Any, conn: multiprocessing.connection.Connection) -> None:
    conn.close()
    process.join(timeout=0.5)
    if process.is_alive():
        process.kill()
        process.join(timeout=5)


class TemplateSandbox:
    """Renders one untrusted template in a child process, within ``limits``.

    Use from one thread at a time (the engine's); ``close()`` ends the child.
    """

    def __init__(self, source: str, limits: RenderLimits | None = None) -> None:
        self._source = source
        self.limits = limits or RenderLimits()
        self._lock = threading.Lock()
        self._process: Any = None
        self._conn: multiprocessing.connection.Connection | None = None
        self._finalizer: weakref.finalize | None = None

    def render(
        self, context: Mapping[str, Any], should_stop: Callable[[], bool] | None = None
    ) -> str:
        """The rendered text; raises ``TemplateError`` (``TemplateCancelled`` when
        ``should_stop`` returns True while waiting)."""
        with self._lock:
            conn = self._started(should_stop)
            try:
                conn.send(dict(context))
            except (OSError, ValueError) as exc:
                self._kill()
                raise TemplateError(f"the template process stopped ({exc})") from exc
            reply = self._wait(conn, self.limits.seconds, should_stop, "rendering")
        kind, value = reply
        if kind != "ok":
            raise TemplateError(value)
        return value

    def close(self) -> None:
        with self._lock:
            if self._finalizer is not None:
                self._finalizer()
            self._process = self._conn = self._finalizer = None

    def __enter__(self) -> TemplateSandbox:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _started(
        self, should_stop: Callable[[], bool] | None
    ) -> multiprocessing.connection.Connection:
        if self._conn is not None and self._process.is_alive():
            return self._conn
        self._kill()
        context = _context()
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve, args=(child, self._source, self.limits), daemon=True
        )
        try:
            process.start()
        except (OSError, RuntimeError) as exc:
            raise TemplateError(f"could not start the template process ({exc})") from exc
        finally:
            child.close()
        self._process, self._conn = process, parent
        self._finalizer = weakref.finalize(self, _stop, process, parent)
        self._wait(parent, self.limits.startup_seconds, should_stop, "starting")
        return parent

    def _wait(
        self,
        conn: multiprocessing.connection.Connection,
        seconds: float,
        should_stop: Callable[[], bool] | None,
        what: str,
    ) -> tuple[str, str]:
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            try:
                if conn.poll(max(0.0, min(0.05, remaining))):
                    return conn.recv()
            except (EOFError, OSError) as exc:
                self._kill()
                raise TemplateError(
                    f"the template process ended while {what} (it may have run out of memory)"
                ) from exc
            if should_stop is not None and should_stop():
                self._kill()
                raise TemplateCancelled("stopped while the chat template was " + what)
            if remaining <= 0:
                self._kill()
                raise TemplateError(
                    f"{what} took longer than {seconds:g} s"
                    if what == "starting"
                    else f"it took longer than {seconds:g} s to render"
                )

    def _kill(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(timeout=5)
        if self._finalizer is not None:
            self._finalizer()
        self._process = self._conn = self._finalizer = None
