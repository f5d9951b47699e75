"""Mutation testing of the modules that carry Hearth's promises, one module at a time.

Usage: python benchmarks/mutation.py [GROUP ...] [--fresh] [--rerun-survivors] [--list]
                                     [--mutants GLOB ...] [--ref REF] [--workdir DIR]

mutmut (3.x) makes many small bugs ("mutants") in a module — ``<`` for ``<=``, a
constant changed, a call's argument dropped — and runs that module's own tests against
each one; a mutant is *killed* when some test fails. The score is killed / (killed +
survived + timeouts + no tests); a survivor is either a missing test or a change that
cannot be observed (benchmarks/mutation-results.md lists the survivors left and why).

Each GROUP is mutated in its own scratch copy of the project (``--workdir``, default
``/tmp/hearth-mutation``), with a ``[tool.mutmut]`` section that names only that
group's files and its unit tests, so a run fits the two shared cores: mutmut first runs
those tests once to learn which test reaches which function, then runs only those
tests (``-x``) for each mutant, one at a time, each forked from mutmut's own process
(``--isolation fork``). Runs resume where they stopped unless ``--fresh``.

After adding tests, ``--rerun-survivors`` copies the working tree's tests into the
scratch copy and runs again only the mutants that were not killed; the killed ones keep
their verdict (tests were only added). ``--mutants`` limits a run to names matching a
glob (``*_keep_cached_prefix*``): the engine's integration tests are too slow for the
whole file. ``--ref main`` mutates a git ref's code and tests instead of the tree.

mutmut cannot be told to leave the letter case of SQL alone, and SQLite reads keywords
and identifiers in any case: a survivor whose only change is the case of the SQL text
handed to ``execute``/``_query``, outside its quoted values, or of a column name looked
up in a ``sqlite3.Row`` parameter, is marked ``(SQL case only)`` by ``--list``, and
the score is printed a second time without those mutants (never without any other;
each is listed in mutation-results.md).

mutmut's progress goes to ``mutmut-run.log`` in the scratch copy, the verdicts to its
``results.json``. Not part of CI: it prints figures and never fails a build. Per file
and per group it prints ``killed K / N = S %  (survived X, timeout T, no tests U;
skipped V, W not run)``.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Group:
    files: tuple[str, ...]
    """Modules to mutate, relative to ``desktop_app/``."""
    tests: tuple[str, ...]
    """The tests that guard them (only these run)."""
    deselect: tuple[str, ...] = ()
    """Tests left out of the mutation run because each takes a minute under mutmut's
    tracing; they still run in the suite."""
    timeout_s: float = 5.0
    """Added to twice the tests' measured time before a mutant counts as a timeout.
    mutmut measures each test without its fixtures (the engine's model load), so the
    engine group needs more on a busy machine."""


GROUPS: dict[str, Group] = {
    "streaming": Group(("core/engine/streaming.py",), ("tests/unit/test_streaming.py",)),
    "gguf_info": Group(
        ("core/models/gguf_info.py",),
        (
            "tests/unit/test_gguf_info.py",
            "tests/unit/test_gguf_corpus.py",
            "tests/unit/test_gguf_quantized.py",
            "tests/unit/test_gguf_exact.py",
        ),
        deselect=(
            "tests/unit/test_gguf_corpus.py::"
            "test_truncated_at_every_offset_of_the_header_and_many_beyond",
            "tests/unit/test_gguf_corpus.py::"
            "test_random_byte_damage_in_the_header_never_escapes_as_another_error",
        ),
    ),
    "export": Group(
        ("core/chats/export.py", "core/chats/importer.py"),
        (
            "tests/unit/test_chat_transfer.py",
            "tests/unit/test_export_fidelity.py",
            "tests/unit/test_transfer_exact.py",
        ),
    ),
    "session_store": Group(
        ("core/chats/session.py", "core/chats/store.py"),
        (
            "tests/unit/test_session.py",
            "tests/unit/test_session_branches.py",
            "tests/unit/test_store.py",
            "tests/unit/test_store_branches.py",
            "tests/unit/test_store_migrations.py",
            "tests/unit/test_store_recovery.py",
            "tests/unit/test_store_search.py",
            "tests/unit/test_store_durability.py",
            "tests/unit/test_overrides.py",
            "tests/unit/test_session_engine_inputs.py",
            "tests/unit/test_chat_transfer.py",
            "tests/unit/test_export_fidelity.py",
            "tests/unit/test_transfer_exact.py",
            "tests/unit/test_store_exact.py",
        ),
        timeout_s=15.0,
    ),
    "settings": Group(
        ("core/settings.py", "core/setting_types.py"),
        (
            "tests/unit/test_settings_and_paths.py",
            "tests/unit/test_settings_declared.py",
            "tests/unit/test_setting_types.py",
            "tests/unit/test_settings_migrations.py",
            "tests/unit/test_settings_exact.py",
            "tests/unit/test_cli_settings.py",
        ),
    ),
    "server": Group(
        ("server/app.py", "server/protocol.py"),
        (
            "tests/unit/test_server_protocol.py",
            "tests/unit/test_server_auth.py",
            "tests/unit/test_server_security.py",
            "tests/unit/test_server_shapes.py",
            "tests/unit/test_server_tool_answers.py",
        ),
        timeout_s=15.0,
    ),
    "llama_engine": Group(
        ("core/engine/llama_engine.py", "core/engine/sequence.py"),
        (
            "tests/unit/test_load_tuning.py",
            "tests/unit/test_kv_cache.py",
            "tests/integration/test_engine.py",
            "tests/integration/test_engine_cache_reuse.py",
        ),
        timeout_s=60.0,
    ),
}


def _project_files(ref: str | None) -> list[str]:
    if ref is None:
        listed = subprocess.run(
            ["git", "ls-files", "-co", "--exclude-standard", "desktop_app", "tests", "resources"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        return [line for line in listed.stdout.splitlines() if (ROOT / line).is_file()]
    return []


def make_workspace(
    name: str, group: Group, ref: str | None, workdir: Path, fresh: bool, isolation: str
) -> Path:
    """A scratch copy of the project whose pyproject tells mutmut what to mutate; an
    earlier copy is kept (mutmut resumes where it stopped) unless ``fresh``."""
    space = workdir / (f"{name}@{ref}" if ref else name)
    if space.exists() and not fresh:
        return space
    if space.exists():
        shutil.rmtree(space)
    space.mkdir(parents=True)
    if ref is None:
        for relative in _project_files(None):
            target = space / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / relative, target)
    else:
        archive = subprocess.run(
            ["git", "archive", "--format=tar", ref, "desktop_app", "tests", "resources"],
            cwd=ROOT, capture_output=True, check=True,
        ).stdout  # fmt: skip
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(space, filter="data")
    _write_config(name, group, space, isolation)
    return space


def _write_config(name: str, group: Group, space: Path, isolation: str) -> None:
    tests = [t for t in group.tests if (space / t).exists()]
    missing = sorted(set(group.tests) - set(tests))
    if missing:
        print(f"{name}: not in this tree, left out: {', '.join(missing)}")
    deselect = [arg for test in group.deselect for arg in ("--deselect", test)]
    pytest_args = ["-p", "no:cacheprovider", "-q", "-p", "no:randomly", *deselect]
    pytest_config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pytest_section = pytest_config[pytest_config.index("[tool.pytest.ini_options]") :]
    pytest_section = pytest_section[: pytest_section.index("\n[", 1)]
    (space / "pyproject.toml").write_text(
        "[tool.mutmut]\n"
        'source_paths = ["desktop_app"]\n'
        f"only_mutate = {json.dumps([f'desktop_app/{f}' for f in group.files])}\n"
        f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
        f"pytest_add_cli_args = {json.dumps(pytest_args)}\n"
        'also_copy = ["resources"]\n'
        f'process_isolation = "{isolation}"\n'
        "timeout_multiplier = 2.0\n"
        f"timeout_constant = {group.timeout_s}\n"
        "use_git_change_detection = false\n\n" + pytest_section,
        encoding="utf-8",
    )


def refresh_tests(name: str, group: Group, space: Path, isolation: str) -> None:
    """Copy the working tree's tests into the scratch copy (and mutmut's own copy of
    them) and rewrite its mutmut configuration for the group's current test list."""
    for relative in _project_files(None):
        if relative.startswith("tests/"):
            for root in (space, space / "mutants"):
                target = root / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / relative, target)
    _write_config(name, group, space, isolation)


_RESULT = re.compile(r"^\s*(\S+__mutmut_\d+):\s*(.+?)\s*$")


def results(space: Path) -> dict[str, str]:
    """Mutant name -> status ("killed", "survived", "timeout", "no tests"...)."""
    listed = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        cwd=space, capture_output=True, text=True, check=False,
    )  # fmt: skip
    found: dict[str, str] = {}
    for line in listed.stdout.splitlines():
        match = _RESULT.match(line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


_EXECUTE = frozenset({"execute", "executemany", "executescript", "_query"})
_QUOTED = re.compile(r"'[^']*'")


def _row_parameters(function: ast.AST) -> set[str]:
    """The function's parameters annotated ``sqlite3.Row``."""
    arguments = getattr(function, "args", None)
    if arguments is None:
        return set()
    return {
        a.arg
        for a in arguments.args
        if a.annotation is not None and ast.unparse(a.annotation).strip("'\"") == "sqlite3.Row"
    }


def _caseless(node: ast.AST, rows: set[str]) -> ast.Constant | None:
    """The string constant in ``node`` that SQLite reads in any case: the SQL text given
    to an ``execute``/``_query`` call, or a column name looked up in a ``sqlite3.Row``
    parameter (``row["id"]``; its lookup by name ignores case)."""
    if isinstance(node, ast.Call):
        name = getattr(node.func, "attr", getattr(node.func, "id", None))
        first = node.args[0] if node.args else None
        if name in _EXECUTE and isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Name)
        and node.value.id in rows
        and isinstance(node.slice, ast.Constant)
        and isinstance(node.slice.value, str)
    ):
        return node.slice
    return None


def _sql_texts(function: ast.AST) -> list[str]:
    rows = _row_parameters(function)
    found = [_caseless(node, rows) for node in ast.walk(function)]
    return [str(constant.value) for constant in found if constant is not None]


def _lowered_body(function: ast.AST) -> str:
    """The function's body with its case-insensitive texts lower-cased (on a copy)."""
    copy = ast.parse(ast.unparse(function)).body[0]
    assert isinstance(copy, ast.FunctionDef | ast.AsyncFunctionDef)
    rows = _row_parameters(copy)
    for node in ast.walk(copy):
        constant = _caseless(node, rows)
        if constant is not None:
            constant.value = str(constant.value).lower()
    return ast.dump(ast.Module(body=copy.body, type_ignores=[]))


def sql_case_only(space: Path, group: Group, mutants: list[str]) -> set[str]:
    """The mutants that only change the letter case of SQL text outside its quoted
    literals ('assistant' stays as it was) — keywords, table and column names — or of a
    column name looked up in a ``sqlite3.Row`` parameter (``row["ID"]``).

    SQLite reads keywords and identifiers in any case, and ``sqlite3.Row`` looks columns
    up by name case-insensitively, so such a mutant is equivalent to the code — provided
    no code reads a result's column names as Python strings (``row.keys()``,
    ``cursor.description``), which the listing of each one in mutation-results.md
    checks. A mutant that changes a quoted value is never counted here.
    """
    functions: dict[str, ast.AST] = {}
    for file in group.files:
        source = space / "mutants" / "desktop_app" / file
        if source.exists():
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    functions[node.name] = node
    found: set[str] = set()
    for mutant in mutants:
        short = mutant.rsplit(".", 1)[-1]
        original = functions.get(short.rsplit("__mutmut_", 1)[0] + "__mutmut_orig")
        mutated = functions.get(short)
        if original is None or mutated is None:
            continue
        pairs = list(zip(_sql_texts(original), _sql_texts(mutated), strict=False))
        changed = [(a, b) for a, b in pairs if a != b]
        if len(changed) != 1:
            continue
        before, after = changed[0]
        if before.lower() != after.lower() or _QUOTED.findall(before) != _QUOTED.findall(after):
            continue
        if _lowered_body(original) == _lowered_body(mutated):
            found.add(mutant)
    return found


def summary(name: str, found: dict[str, str]) -> str:
    killed = sum(1 for s in found.values() if s == "killed")
    survived = sum(1 for s in found.values() if s == "survived")
    timeout = sum(1 for s in found.values() if s == "timeout")
    untested = sum(1 for s in found.values() if s == "no tests")
    skipped = sum(1 for s in found.values() if s == "skipped")
    judged = killed + survived + timeout + untested
    score = 100 * killed / judged if judged else 0.0
    return (
        f"{name}: killed {killed} / {judged} = {score:.1f} %  "
        f"(survived {survived}, timeout {timeout}, no tests {untested}; "
        f"skipped {skipped}, {len(found) - judged - skipped} not run)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", help=f"any of: {', '.join(GROUPS)} (default: all)")
    parser.add_argument("--ref", help="mutate this git ref's code and tests (e.g. main)")
    parser.add_argument("--max-children", type=int, default=1)
    parser.add_argument("--mutants", nargs="*", default=[], help="only mutants matching these")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/hearth-mutation"))
    parser.add_argument("--list", action="store_true", help="list survivors")
    parser.add_argument("--fresh", action="store_true", help="start over, not resume")
    parser.add_argument(
        "--isolation",
        choices=("fork", "forkserver"),
        default="fork",
        help="fork each mutant from mutmut's own process (fast; default) or a fork server",
    )
    parser.add_argument(
        "--rerun-survivors",
        action="store_true",
        help="after adding tests: refresh the copy's tests and run again only the mutants "
        "not killed before (killed ones stay killed: tests were only added)",
    )
    args = parser.parse_args()
    unknown = sorted(set(args.groups) - set(GROUPS))
    if unknown:
        parser.error(f"unknown group(s): {', '.join(unknown)}")
    lines: list[str] = []
    for name in args.groups or list(GROUPS):
        group = GROUPS[name]
        space = make_workspace(name, group, args.ref, args.workdir, args.fresh, args.isolation)
        started = time.monotonic()
        saved = space / "results.json"
        before = json.loads(saved.read_text(encoding="utf-8")) if saved.exists() else {}
        names = list(args.mutants)
        if args.rerun_survivors:
            before = before or results(space)
            if args.mutants:  # the subset named, whatever its verdict but killed
                names = [
                    m
                    for m, s in before.items()
                    if s != "killed" and any(fnmatch.fnmatch(m, g) for g in args.mutants)
                ]
            else:
                names = [m for m, s in before.items() if s not in ("killed", "not checked")]
            if not names:
                print(f"{name}: no survivors to run again")
            refresh_tests(name, group, space, args.isolation)
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"}
        skip = args.rerun_survivors and not names
        with (space / "mutmut-run.log").open("ab") as log:
            if not skip:
                subprocess.run(
                    [sys.executable, "-m", "mutmut", "run", "--max-children",
                     str(args.max_children), *names],
                    cwd=space, env=env, stdout=log, stderr=subprocess.STDOUT, check=False,
                )  # fmt: skip
        found = results(space)
        if before:
            # A change of test selection resets mutmut's cache: what was not run again
            # keeps its earlier verdict.
            found = {m: (s if s != "not checked" else before.get(m, s)) for m, s in found.items()}
        saved.write_text(json.dumps(found, indent=0, sort_keys=True), encoding="utf-8")
        for file in group.files:
            prefix = "desktop_app." + file.removesuffix(".py").replace("/", ".") + "."
            mine = {k: v for k, v in found.items() if k.startswith(prefix)}
            line = summary(f"{name}[{file}]", mine)
            print(line, flush=True)
            lines.append(line)
            open_ = [m for m, st in mine.items() if st not in ("killed", "not checked")]
            sql_case = sql_case_only(space, group, open_)
            if sql_case:
                rest = {m: st for m, st in mine.items() if m not in sql_case}
                line = summary(
                    f"{name}[{file}] without its {len(sql_case)} SQL-case-only mutants", rest
                )
                print(line, flush=True)
                lines.append(line)
            if args.list:
                for mutant in sorted(open_):
                    tag = " (SQL case only)" if mutant in sql_case else ""
                    print(f"    {mine[mutant]}{tag}: {mutant}")
        line = summary(name, found) + f" in {time.monotonic() - started:.0f} s"
        print(line, flush=True)
        lines.append(line)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
