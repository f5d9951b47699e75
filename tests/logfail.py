"""Fail a test that logs a warning or an error it did not expect.

Like qutebrowser's ``tests/helpers/logfail.py``: every test runs with a handler on the
root logger; a record at WARNING or above, from any thread, makes the test fail at
teardown with the records listed. A test that expects one says so with
``@pytest.mark.allow_log`` (optionally ``allow_log("name.prefix")`` to allow only
those loggers), or by checking the records itself through ``caplog``.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
from collections.abc import Iterator

import pytest


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []
        self._guard = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self._guard:
            self.records.append(record)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "allow_log(*loggers): the test may log warnings and errors (from these loggers)",
    )


def _allowed(record: logging.LogRecord, item: pytest.Item) -> bool:
    marker = item.get_closest_marker("allow_log")
    if marker is None:
        return False
    prefixes = marker.args
    return not prefixes or any(
        record.name == prefix or record.name.startswith(prefix + ".") for prefix in prefixes
    )


def _drop_tracebacks(records: list[logging.LogRecord]) -> None:
    """Free what logged tracebacks hold, here on the GUI thread.

    pytest keeps every record of a test for its report, and a record's ``exc_info``
    holds the frames of the thread that logged it (an engine worker, an engine) in a
    reference cycle. Left to the garbage collector, they could be freed during a later
    test, on its engine thread, which must never delete them. The report's text is
    already formatted, so nothing is lost.
    """
    held = [record for record in records if record.exc_info]
    for record in held:
        record.exc_info = None
    if held:
        gc.collect()


@pytest.fixture(autouse=True)
def fail_on_unexpected_log(request: pytest.FixtureRequest) -> Iterator[None]:
    collector = _Collector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield
    finally:
        root.removeHandler(collector)
        _drop_tracebacks(collector.records)
    if "caplog" in request.fixturenames:
        return  # the test looks at the records itself
    unexpected = [r for r in collector.records if not _allowed(r, request.node)]
    if unexpected:
        lines = "\n".join(
            f"  {r.levelname} {r.name} ({r.threadName}): {r.getMessage()}" for r in unexpected
        )
        pytest.fail(f"unexpected log records:\n{lines}", pytrace=False)


@pytest.fixture(autouse=True)
def keep_logging_as_it_was() -> Iterator[None]:
    """Undo what ``hearth``'s start (``configure_logging``) did to the process during a test."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    hooks = sys.excepthook, threading.excepthook
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks
