"""Failures are seen: a log file, --log-level, crash reports, uncaught exceptions."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.core import logs
from desktop_app.core.paths import app_paths


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HEARTH_HOME", str(tmp_path))
    return tmp_path


def test_the_log_file_is_in_the_data_folder_and_log_level_sets_it(home: Path) -> None:
    assert main(["--log-level", "DEBUG", "settings", "get", "theme"]) == 0
    logging.getLogger("desktop_app.test").debug("a debug line")
    log_file = app_paths().data_dir / "logs" / "hearth.log"
    assert "a debug line" in log_file.read_text(encoding="utf-8")

    assert main(["settings", "get", "theme"]) == 0
    logging.getLogger("desktop_app.test").debug("not at the default level")
    logging.getLogger("desktop_app.test").info("but this is")
    text = log_file.read_text(encoding="utf-8")
    assert "not at the default level" not in text and "but this is" in text


def test_the_log_file_rotates(home: Path) -> None:
    setup = logs.configure_logging(home / "data")
    chunk = "x" * 10_000
    for _ in range(2 * logs.MAX_LOG_BYTES // len(chunk)):
        logging.getLogger("desktop_app.test").info(chunk)
    assert setup.log_file.stat().st_size <= logs.MAX_LOG_BYTES
    assert (setup.folder / "hearth.log.1").exists()


def test_an_unknown_log_level_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--log-level", "loud", "settings", "list"])
    assert exited.value.code == 2
    assert "argument --log-level: invalid choice: 'loud'" in capsys.readouterr().err


@pytest.mark.allow_log("desktop_app.core.logs")
def test_an_uncaught_exception_on_a_thread_is_logged_with_its_traceback(home: Path) -> None:
    setup = logs.configure_logging(home / "data")
    told: list[str] = []
    undo = logs.on_uncaught(told.append)

    def broken() -> None:
        raise RuntimeError("the worker broke")

    worker = threading.Thread(target=broken, name="TestWorker")
    worker.start()
    worker.join()
    undo()
    text = setup.log_file.read_text(encoding="utf-8")
    assert "Uncaught exception in thread TestWorker" in text
    assert 'in broken\n    raise RuntimeError("the worker broke")' in text
    assert told == ["RuntimeError: the worker broke"]


def test_a_crash_is_written_down_and_offered_at_the_next_start(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crash = (
        "import faulthandler, sys; from pathlib import Path; "
        "from desktop_app.core.logs import configure_logging; "
        "configure_logging(Path(sys.argv[1])); faulthandler._sigsegv()"
    )
    died = subprocess.run(
        [sys.executable, "-c", crash, str(app_paths().data_dir)],
        capture_output=True,
        check=False,
        cwd=Path(__file__).parents[2],
    )
    assert died.returncode != 0
    assert main(["settings", "get", "theme"]) == 0
    report = app_paths().data_dir / "logs" / "last-crash.log"
    assert "Fatal Python error: Segmentation fault" in report.read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert err == f"hearth: the previous run crashed; its report is in {report}\n"

    assert main(["settings", "get", "theme"]) == 0
    assert capsys.readouterr().err == "", "a crash is reported once"


@pytest.mark.allow_log  # the inner run logs into this process's root logger too
def test_a_test_that_logs_an_unexpected_warning_fails(pytester: pytest.Pytester) -> None:
    pytester.makeconftest('pytest_plugins = ["tests.logfail"]')
    pytester.makepyfile(
        """
        import logging
        import threading

        import pytest

        def test_quiet():
            logging.getLogger("hearth.x").info("fine")

        def test_warns():
            logging.getLogger("hearth.x").warning("the disk is full")

        def test_errors_on_a_thread():
            worker = threading.Thread(target=lambda: logging.getLogger("y").error("oops"))
            worker.start()
            worker.join()

        @pytest.mark.allow_log("hearth.x")
        def test_expected():
            logging.getLogger("hearth.x").warning("expected")

        @pytest.mark.allow_log("hearth.x")
        def test_expected_from_another_logger_only():
            logging.getLogger("other").warning("not this one")

        def test_checked_with_caplog(caplog):
            logging.getLogger("hearth.x").warning("looked at")
            assert "looked at" in caplog.text
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=6, errors=3)
    result.stdout.fnmatch_lines(
        ["*unexpected log records:*", "*WARNING hearth.x*the disk is full*"]
    )
