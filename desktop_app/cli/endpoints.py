"""``hearth endpoints``: manage remote OpenAI-compatible endpoints from the terminal.

``list``, ``add NAME URL [--api-key-stdin]`` (the key is read from standard input so it
stays out of the shell history), ``remove NAME`` and ``models NAME``. A model on an
endpoint is named ``remote:NAME/MODEL`` wherever a model is expected, e.g.
``hearth chat --model remote:lab/qwen2.5-7b``.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported when used: plain `hearth` commands stay fast to start
    from desktop_app.core.endpoints import EndpointStore
    from desktop_app.core.engine.base import Engine


def add_commands(commands: Any) -> None:
    endpoints = commands.add_parser(
        "endpoints", help="manage remote OpenAI-compatible endpoints (remote:NAME/MODEL)"
    )
    actions = endpoints.add_subparsers(dest="endpoints_command", metavar="ACTION", required=True)
    actions.add_parser("list", help="one endpoint per line: name, base URL, whether a key is set")
    add = actions.add_parser("add", help="add or replace an endpoint")
    add.add_argument("name")
    add.add_argument("url", help="base URL, e.g. http://192.168.1.20:8080/v1")
    add.add_argument(
        "--api-key-stdin", action="store_true", help="read the API key from standard input"
    )
    remove = actions.add_parser("remove", help="remove an endpoint and its key")
    remove.add_argument("name")
    models = actions.add_parser("models", help="list the endpoint's models (GET /v1/models)")
    models.add_argument("name")


def _store() -> EndpointStore:
    from desktop_app.core.endpoints import EndpointStore
    from desktop_app.core.paths import app_paths
    from desktop_app.core.secrets import SecretStore

    store = EndpointStore(app_paths().config_dir, SecretStore())
    if store.warning:
        print(f"hearth: warning: {store.warning}", file=sys.stderr)
    return store


def run(args: argparse.Namespace) -> int:
    from desktop_app.core.endpoints import EndpointError
    from desktop_app.core.engine.base import EngineError

    try:
        return _run(args)
    except (EndpointError, EngineError) as exc:
        print(f"hearth: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"hearth: error: cannot save the endpoints: {exc.strerror or exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    from desktop_app.core.secrets import NO_KEYRING_MESSAGE

    store = _store()
    command = args.endpoints_command
    if command == "list":
        for endpoint in store.endpoints():
            key_state = "key set" if store.api_key(endpoint.name) else "no key"
            print(f"{endpoint.name}\t{endpoint.base_url}\t{key_state}")
        return 0
    if command == "add":
        key = sys.stdin.readline().strip() if args.api_key_stdin else None
        exists = any(e.name == args.name.strip() for e in store.endpoints())
        store.save_endpoint(
            args.name, args.url, key, replacing=args.name.strip() if exists else None
        )
        if key and not store.keys_persistent:
            print(f"hearth: warning: {NO_KEYRING_MESSAGE}", file=sys.stderr)
        return 0
    if command == "remove":
        store.remove(args.name)
        return 0
    for model in store.list_models(args.name):
        print(f"remote:{args.name}/{model}")
    return 0


def open_remote(spec: str) -> Engine:
    """The engine for ``remote:NAME/MODEL`` (network); raises ``EngineError``."""
    from desktop_app.core.engine.remote import parse_remote_spec

    return _store().open_engine(parse_remote_spec(spec))
