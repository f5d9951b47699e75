"""``hearth serve``: Hearth's local OpenAI-compatible API server.

Serves the model a request names, loading it on demand (``--model`` loads one at
start), several requests of a model decoded together (``--parallel``), with uvicorn.
Binds
127.0.0.1 by default; any other address needs an API key (``--api-key``,
``HEARTH_API_KEY``, or one generated, saved in the keyring and printed once).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop_app.cli import settings as cli_settings
from desktop_app.server.listen import DEFAULT_HOST, DEFAULT_PORT, ServeError, bind_socket
from desktop_app.server.pacing import STREAM_INTERVAL_S

DEFAULT_QUEUE = 8


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number 0-65535, not {text!r}")
    return int(text)


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text!r}")
    return int(text)


def _number(text: str) -> float:
    """``text`` as a number; NaN (which every range check below refuses) if it is none."""
    try:
        return float(text)
    except ValueError:
        return float("nan")


def _seconds(text: str) -> float:
    value = _number(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, not {text!r}")
    return value


def _milliseconds(text: str) -> float:
    value = _number(text)
    if not 0 <= value <= 10_000:
        raise argparse.ArgumentTypeError(
            f"must be a number of milliseconds from 0 to 10000, not {text!r}"
        )
    return value / 1000


def add_commands(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve a local model over an OpenAI-compatible API",
        description=(
            "Serve a model over an OpenAI-compatible HTTP API (/v1/models, "
            "/v1/chat/completions, /v1/completions, /v1/embeddings). Binds 127.0.0.1 unless "
            "told otherwise; any other address requires an API key."
        ),
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"default: {DEFAULT_HOST}")
    serve.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"default: {DEFAULT_PORT}; 0 picks one"
    )
    serve.add_argument(
        "--model",
        default="",
        metavar="ID|PATH",
        help="load this model at start (default: none; requests load the model they name)",
    )
    serve.add_argument(
        "--parallel",
        type=_count,
        metavar="N",
        help="requests of one model decoded together (default: chosen from the model and "
        "the free memory, shown at start)",
    )
    serve.add_argument(
        "--max-models",
        type=_count,
        default=1,
        metavar="N",
        help="local models kept loaded at once; the least recently used is unloaded to make "
        "room (default 1)",
    )
    serve.add_argument(
        "--ttl",
        type=_seconds,
        metavar="SECONDS",
        help="unload a model that has been idle this long (default: keep it)",
    )
    serve.add_argument(
        "--api-key",
        metavar="KEY",
        help="require this key (default when not on 127.0.0.1: HEARTH_API_KEY, the saved "
        "key, or a new one that is printed once)",
    )
    serve.add_argument(
        "--new-api-key", action="store_true", help="replace the saved key with a new one"
    )
    serve.add_argument(
        "--queue-size",
        type=_count,
        default=DEFAULT_QUEUE,
        help=f"requests that may wait for the model before the server answers 503 "
        f"(default {DEFAULT_QUEUE})",
    )
    serve.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests for this host name (repeatable; loopback names and "
        "addresses and the bound address are always answered)",
    )
    serve.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        metavar="URL",
        help="let the web app at this origin (e.g. http://localhost:3000) call the API "
        "from a browser (repeatable; default: no web page may)",
    )
    serve.add_argument(
        "--stream-interval",
        type=_milliseconds,
        default=STREAM_INTERVAL_S,
        metavar="MS",
        help=f"send a streamed answer's text at most every MS milliseconds, tokens that "
        f"come faster together (default {STREAM_INTERVAL_S * 1000:g}; 0: every token)",
    )
    cli_settings.add_load_options(serve)
    serve.add_argument(
        "--embedding-model",
        metavar="ID|PATH",
        help="model for /v1/embeddings (default: the first embedding model installed)",
    )


def run(args: argparse.Namespace) -> int:
    try:
        return _serve(args)
    except ServeError as exc:
        print(f"hearth: error: {exc}", file=sys.stderr)
        return 1


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from desktop_app.core.engine.base import EngineError
    from desktop_app.core.paths import app_paths
    from desktop_app.core.secrets import NO_KEYRING_MESSAGE, SecretStore
    from desktop_app.core.settings import load_settings
    from desktop_app.server.app import ServerConfig, create_app
    from desktop_app.server.keys import is_loopback, server_key
    from desktop_app.server.models import resolve_model
    from desktop_app.server.runtime_file import RuntimeFile, client_root
    from desktop_app.server.security import AccessPolicy, PolicyError
    from desktop_app.server.serve_pool import build_pool

    try:
        access = AccessPolicy.build(args.host, args.allowed_host, args.cors_origin)
    except PolicyError as exc:
        raise ServeError(str(exc)) from exc

    paths = app_paths()
    settings, warning = load_settings(paths.config_dir)
    if warning:
        print(f"hearth: warning: {warning}", file=sys.stderr)
    model_id, path = "", None
    if args.model:
        try:
            model_id, path = resolve_model(args.model)
        except EngineError as exc:
            raise ServeError(str(exc)) from exc

    sock = bind_socket(args.host, args.port)
    api_key: str | None = args.api_key
    if not is_loopback(args.host) or args.new_api_key:
        secrets = SecretStore()
        key = server_key(secrets, args.api_key, regenerate=args.new_api_key)
        api_key = key.key
        if key.generated:
            print(
                f"hearth: new API key (shown once, kept in {key.source}): {key.key}",
                file=sys.stderr,
            )
            if not secrets.persistent:
                print(f"hearth: warning: {NO_KEYRING_MESSAGE}", file=sys.stderr)
        else:
            print(f"hearth: requests must carry the API key from {key.source}", file=sys.stderr)

    load = cli_settings.apply_options(settings, args).load_params()
    pool = build_pool(settings, paths, load, args, model_id, path)
    host, port = sock.getsockname()[:2]
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}/v1"
    if model_id:
        try:
            info = pool.load(model_id)
        except EngineError as exc:
            pool.close()
            sock.close()
            raise ServeError(str(exc)) from exc
        parallel = pool.loaded()[0]["parallel"]
        print(
            f"hearth: serving {model_id} ({info.architecture}, context {info.context_length} "
            f"tokens, {parallel} in parallel) at {url}",
            file=sys.stderr,
            flush=True,
        )
    else:
        print(
            f"hearth: serving models on demand (none loaded yet; see {url}/models) at {url}",
            file=sys.stderr,
            flush=True,
        )
    limits = f"up to {pool.max_models} model(s) loaded"
    if pool.ttl_s is not None:
        limits += f", unloaded after {pool.ttl_s:g} s idle"
    print(f"hearth: {limits}", file=sys.stderr, flush=True)
    from desktop_app.cli.common import CliError
    from desktop_app.cli.docs import open_embedder

    try:
        embedder = open_embedder(args)
    except CliError as exc:
        pool.close()
        sock.close()
        raise ServeError(str(exc)) from exc
    if embedder is not None:
        print(f"hearth: /v1/embeddings uses {embedder.info.name}", file=sys.stderr)
    served = ServerConfig(
        model_id, path or Path(), api_key, access=access, stream_interval_s=args.stream_interval
    )
    app = create_app(pool, served, embedder)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    runtime = RuntimeFile(paths.data_dir)
    runtime.publish(client_root(host, port), api_key is not None)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        print("hearth: stopped", file=sys.stderr)
        return 130
    finally:
        runtime.withdraw()
        pool.close()
        if embedder is not None:
            embedder.close()
        sock.close()
    return 0


__all__ = ["add_commands", "run"]
