"""``hearth models …``: list, search, inspect, download, import and remove models.

Imports no Qt. Errors print one line on stderr and exit with status 1; Ctrl+C during
``pull`` pauses the download (the same command resumes it) and exits with 130.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desktop_app.core.models.downloads import DownloadEvent
    from desktop_app.core.models.hub import HubClient, ModelVariant
    from desktop_app.core.models.library import Library

EXIT_OK, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 130
TOKEN_SECRET = "hf_token"


class ModelsCliError(Exception):
    """Reported as one line on stderr, exit status 1."""


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    models = commands.add_parser(
        "models",
        help="list, search, download and manage models",
        description="Manage the models Hearth can use. Models are identified by the ID "
        "that 'hearth models list' prints first; 'hearth chat --model ID' uses one.",
    )
    actions = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    actions.add_parser("list", help="installed models, one per line, ID first")
    catalog = actions.add_parser("catalog", help="the recommended models, with download specs")
    catalog.add_argument("--language", default="en", help="description language (en, zh)")
    search = actions.add_parser("search", help="search the Hugging Face Hub for GGUF models")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--sort", choices=("downloads", "likes"), default="downloads")
    search.add_argument("--limit", type=int, default=20, metavar="N")
    files = actions.add_parser("files", help="a Hub repository's GGUF models and whether they fit")
    files.add_argument("repo", metavar="REPO")
    files.add_argument(
        "--context", type=int, default=4096, metavar="N", help="context for the fit estimate"
    )
    pull = actions.add_parser(
        "pull",
        help="download a model (verified against the Hub's sha256)",
        description="Download REPO's recommended quant, or REPO:QUANT, or REPO:FILE. "
        "A catalog ID works too. Ctrl+C pauses; the same command resumes.",
    )
    pull.add_argument("spec", metavar="REPO[:FILE|:QUANT]")
    imported = actions.add_parser("import", help="add a local .gguf file to the library")
    imported.add_argument("path", type=Path, metavar="PATH")
    imported.add_argument(
        "--reference", action="store_true", help="use the file where it is instead of copying"
    )
    remove = actions.add_parser("rm", help="remove an installed model (and its copied files)")
    remove.add_argument("id", metavar="ID")
    info = actions.add_parser("info", help="what a model's GGUF header says")
    info.add_argument("id", metavar="ID")
    token = actions.add_parser("token", help="store a Hugging Face token in the OS keyring")
    token.add_argument("--clear", action="store_true", help="forget the stored token")


def run(args: argparse.Namespace) -> int:
    try:
        handler = _HANDLERS[args.models_command]
        return handler(args)
    except ModelsCliError as exc:
        print(f"hearth: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except _core_errors() as exc:
        print(f"hearth: error: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _core_errors() -> tuple[type[Exception], ...]:
    from desktop_app.core.models.catalog import CatalogError
    from desktop_app.core.models.hub import HubError
    from desktop_app.core.models.library import LibraryError

    return (HubError, LibraryError, CatalogError, OSError)


def open_library() -> Library:
    from desktop_app.core.models.library import Library, models_dir_for
    from desktop_app.core.paths import app_paths
    from desktop_app.core.settings import load_settings

    paths = app_paths()
    settings, _ = load_settings(paths.config_dir)
    return Library(models_dir_for(paths.models_dir, settings.models_dir))


def resolve_model(reference: str) -> Path:
    """A model file path, or an installed model's ID, as the path to load."""
    path = Path(reference).expanduser()
    if path.exists() or os.sep in reference or reference.lower().endswith(".gguf"):
        return path
    model = open_library().get(reference)
    if model is None:
        return path  # the engine says the file does not exist, naming it
    return model.path


def hf_token() -> str | None:
    """HF_TOKEN from the environment, else the token stored in the keyring."""
    from desktop_app.core.secrets import SecretStore

    return os.environ.get("HF_TOKEN") or SecretStore().get(TOKEN_SECRET)


def _hub() -> HubClient:
    from desktop_app.core.models.hub import HubClient

    return HubClient(token=hf_token())


def _list(args: argparse.Namespace) -> int:
    from desktop_app.core.models.fit import format_size

    library = open_library()
    models = library.models()
    for model in models:
        state = "" if model.available else "\t(missing files)"
        print(
            f"{model.id}\t{format_size(model.size)}\t{model.quant or '?'}\t"
            f"{model.source}\t{model.path}{state}"
        )
    if not models:
        print(
            "hearth: no models installed; try 'hearth models catalog' then "
            "'hearth models pull SPEC'",
            file=sys.stderr,
        )
    else:
        print(
            f"hearth: {len(models)} models, {format_size(library.disk_used())} in "
            f"{library.models_dir}",
            file=sys.stderr,
        )
    return EXIT_OK


def _catalog(args: argparse.Namespace) -> int:
    from desktop_app.core.models.catalog import load_catalog, recommended
    from desktop_app.core.models.fit import format_size

    entries = load_catalog()
    best = recommended(entries)
    for entry in entries:
        mark = "\t(recommended for this computer)" if entry is best else ""
        if entry.kind == "embedding":
            mark = "\t(embedding model, for documents)"
        print(
            f"{entry.id}\t{format_size(entry.size_bytes)}\t{entry.parameters_b:g}B\t"
            f"{entry.license}\t{entry.description(args.language)}{mark}"
        )
    return EXIT_OK


def _search(args: argparse.Namespace) -> int:
    repos = _hub().search(args.query, sort=args.sort, limit=max(1, args.limit))
    for repo in repos:
        gated = "\tgated" if repo.gated else ""
        print(f"{repo.id}\t{repo.downloads} downloads\t{repo.likes} likes{gated}")
    if not repos:
        print(f"hearth: no GGUF repositories match {args.query!r}", file=sys.stderr)
    return EXIT_OK


def _files(args: argparse.Namespace) -> int:
    from desktop_app.core.models.fit import Machine, estimate, format_size

    machine = Machine.current(with_gpu=True)
    variants = _hub().files(args.repo)
    if not variants:
        raise ModelsCliError(f"{args.repo} has no GGUF model files")
    for variant in variants:
        fit = estimate(variant.size, None, args.context, machine)
        parts = f" ({len(variant.files)} files)" if variant.is_split else ""
        mark = "\trecommended" if variant.recommended else ""
        print(
            f"{variant.quant or '?'}\t{format_size(variant.size)}\t{fit.fit.value} "
            f"({fit.where}, needs ~{format_size(fit.needed_bytes)})\t"
            f"{variant.first_file}{parts}{mark}"
        )
    return EXIT_OK


def _choose(spec: str, hub: HubClient) -> tuple[str, ModelVariant, str]:
    """(repo, variant, model ID hint) for REPO, REPO:QUANT, REPO:FILE or a catalog ID."""
    from desktop_app.core.models.catalog import find, load_catalog

    entry = find(load_catalog(), spec)
    model_id = ""
    if entry is not None:
        spec, model_id = entry.pull_spec(), entry.id
    repo, _, choice = spec.partition(":")
    variants = hub.files(repo)
    if not variants:
        raise ModelsCliError(f"{repo} has no GGUF model files")
    if not choice:
        return repo, next(v for v in variants if v.recommended), model_id
    for variant in variants:
        names = {f.path for f in variant.files} | {f.path.rsplit("/", 1)[-1] for f in variant.files}
        if choice in names or choice.upper() == variant.quant:
            return repo, variant, model_id
    known = ", ".join(v.quant or v.first_file for v in variants)
    raise ModelsCliError(f"{repo} has no file or quant {choice!r} (it has: {known})")


def _pull(args: argparse.Namespace) -> int:
    from desktop_app.core.models.downloads import DownloadManager, JobState
    from desktop_app.core.models.fit import format_size

    hub = _hub()
    repo, variant, model_id = _choose(args.spec, hub)
    library = open_library()
    bar = _ProgressBar()
    manager = DownloadManager(library, token=hf_token, on_event=bar.show)
    print(
        f"hearth: downloading {variant.name.rsplit('/', 1)[-1]} ({variant.quant or '?'}, "
        f"{format_size(variant.size)}) from {repo}",
        file=sys.stderr,
    )
    job_id = manager.add(repo, variant, model_id)
    try:
        final = manager.wait(job_id)
    except KeyboardInterrupt:
        manager.pause(job_id)
        manager.wait(job_id, 30)
        manager.close()
        bar.end()
        print("hearth: paused; run the same command to resume", file=sys.stderr)
        return EXIT_INTERRUPTED
    manager.close()
    bar.end()
    if final.state is not JobState.DONE:
        raise ModelsCliError(final.message or f"the download ended {final.state.value}")
    model = library.require(final.model_id)
    print(model.id)
    print(f"hearth: installed as {model.id}: hearth chat --model {model.id}", file=sys.stderr)
    return EXIT_OK


class _ProgressBar:
    """One line on stderr, redrawn at most a few times a second."""

    def __init__(self) -> None:
        self._last = 0.0
        self._drawn = False
        self._tty = sys.stderr.isatty()
        self._logged: tuple[str, int] = ("", -1)

    def show(self, event: DownloadEvent) -> None:
        from desktop_app.core.models.fit import format_size

        if event.state.value in ("failed", "queued"):
            return  # a failure is reported once, as the command's error
        now = time.monotonic()
        if self._tty:
            if now - self._last < 0.2 and event.state.value == "downloading":
                return
        else:
            key = (event.state.value, int(event.fraction * 10))
            if key == self._logged:
                return
            self._logged = key
        self._last = now
        width = 30
        filled = int(width * event.fraction)
        speed = f"{format_size(int(event.speed_bps))}/s" if event.speed_bps else ""
        eta = f"ETA {_duration(event.eta_s)}" if event.eta_s is not None else ""
        detail = event.message or " ".join(part for part in (speed, eta) if part)
        line = (
            f"[{'#' * filled}{'.' * (width - filled)}] {event.fraction * 100:5.1f}% "
            f"{format_size(event.done_bytes)}/{format_size(event.total_bytes)} "
            f"{event.state.value} {detail}"
        )
        if self._tty:
            sys.stderr.write("\r" + line[:120].ljust(120))
        else:
            sys.stderr.write(line + "\n")
        sys.stderr.flush()
        self._drawn = True

    def end(self) -> None:
        if self._drawn and self._tty:
            sys.stderr.write("\n")


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return f"{seconds // 60}m{seconds % 60:02d}s"


def _import(args: argparse.Namespace) -> int:
    model = open_library().import_file(args.path, copy=not args.reference)
    print(model.id)
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    model = open_library().remove(args.id)
    kept = " (the file itself was kept)" if model.referenced else ""
    print(f"hearth: removed {model.id}{kept}", file=sys.stderr)
    return EXIT_OK


def _info(args: argparse.Namespace) -> int:
    from desktop_app.core.models.fit import format_size

    library = open_library()
    model = library.require(args.id)
    info = library.info(args.id)
    rows = [
        ("ID", model.id),
        ("Name", info.name),
        ("Architecture", info.architecture),
        ("Parameters", f"{info.parameter_count:,}" if info.parameter_count else "unknown"),
        ("Quantization", info.quantization),
        ("Context length", str(info.context_length or "unknown")),
        ("Chat template", "in the file" if info.has_chat_template else "none (fallback)"),
        ("Size", format_size(model.size)),
        ("Files", ", ".join(str(f.path) for f in model.files)),
        ("Source", model.source),
        ("sha256", ", ".join(f.sha256 for f in model.files)),
    ]
    for label, value in rows:
        print(f"{label}:\t{value}")
    return EXIT_OK


def _token(args: argparse.Namespace) -> int:
    from desktop_app.core.secrets import NO_KEYRING_MESSAGE, SecretStore

    store = SecretStore()
    if args.clear:
        store.delete(TOKEN_SECRET)
        print("hearth: the Hugging Face token was removed", file=sys.stderr)
        return EXIT_OK
    if not store.persistent:
        raise ModelsCliError(NO_KEYRING_MESSAGE + " Use the HF_TOKEN variable instead.")
    token = getpass.getpass("Hugging Face token: ") if sys.stdin.isatty() else sys.stdin.readline()
    if not token.strip():
        raise ModelsCliError("no token given")
    store.set(TOKEN_SECRET, token.strip())
    print("hearth: the token is stored in the system keyring", file=sys.stderr)
    return EXIT_OK


_HANDLERS = {
    "list": _list,
    "catalog": _catalog,
    "search": _search,
    "files": _files,
    "pull": _pull,
    "import": _import,
    "rm": _remove,
    "info": _info,
    "token": _token,
}
