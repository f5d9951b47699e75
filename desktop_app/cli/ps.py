"""``hearth ps``: what a running Hearth server has loaded, memory each, idle time.

Finds the server through the runtime file that ``hearth serve`` (and the window's
local server) write in the data folder, or at ``--url``; asks its ``GET /v1/ps``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any


class PsError(Exception):
    """A one-line reason to print before exiting with status 1."""


def add_commands(commands: Any) -> None:
    ps = commands.add_parser(
        "ps",
        help="list the models a running Hearth server has loaded",
        description="List what a running 'hearth serve' (or the window's local server) has "
        "loaded: memory each, requests running and waiting, idle time.",
    )
    ps.add_argument("--url", metavar="URL", help="the server (default: the one this computer runs)")
    ps.add_argument(
        "--api-key", metavar="KEY", help="the server's key (default: HEARTH_API_KEY or the saved)"
    )
    ps.add_argument("--json", action="store_true", help="print the server's answer as JSON")


def run(args: argparse.Namespace) -> int:
    try:
        rows = _fetch(args)
    except PsError as exc:
        print(f"hearth: error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(format_rows(rows))
    return 0


def _fetch(args: argparse.Namespace) -> list[dict[str, Any]]:
    import httpx

    from desktop_app.core.paths import app_paths
    from desktop_app.server.runtime_file import RuntimeFile

    url = args.url
    needs_key = False
    if not url:
        found = RuntimeFile(app_paths().data_dir).read()
        if found is None:
            raise PsError("no Hearth server is running here; start one with 'hearth serve', "
                          "or pass --url")  # fmt: skip
        url, needs_key = found.url, found.needs_key
    url = url.rstrip("/")
    if url.endswith("/v1"):
        url = url[: -len("/v1")]
    key = args.api_key or os.environ.get("HEARTH_API_KEY", "").strip() or None
    if key is None and needs_key:
        key = _saved_key()
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        answer = httpx.get(f"{url}/v1/ps", headers=headers, timeout=10)
    except httpx.HTTPError as exc:
        raise PsError(f"cannot reach the server at {url}: {exc}") from exc
    if answer.status_code == 401:
        raise PsError("the server wants its API key: pass --api-key or set HEARTH_API_KEY")
    if answer.status_code != 200:
        raise PsError(f"the server at {url} answered {answer.status_code}: {answer.text[:200]}")
    try:
        return list(answer.json()["data"])
    except (ValueError, KeyError, TypeError) as exc:
        raise PsError(f"the server at {url} gave an answer hearth ps cannot read") from exc


def _saved_key() -> str | None:
    from desktop_app.core.secrets import SecretStore
    from desktop_app.server.keys import SECRET_NAME

    return SecretStore().get(SECRET_NAME)


def format_rows(rows: list[dict[str, Any]]) -> str:
    from desktop_app.core.hardware import format_bytes

    if not rows:
        return "No model is loaded."
    table = [("MODEL", "STATE", "MEMORY", "PARALLEL", "ACTIVE", "WAITING", "IDLE")]
    for row in rows:
        idle = row.get("idle_s")
        memory = row.get("memory_bytes") or 0
        table.append(
            (
                str(row["id"]) + (" (remote)" if row.get("remote") else ""),
                str(row.get("state", "")),
                format_bytes(int(memory)) if memory else "-",
                str(row.get("parallel", "")),
                str(row.get("active", 0)),
                str(row.get("waiting", 0)),
                "busy" if row.get("active") else ("-" if idle is None else _duration(idle)),
            )
        )
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in table
    )


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


__all__ = ["add_commands", "format_rows", "run"]
