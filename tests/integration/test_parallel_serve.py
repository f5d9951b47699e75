"""``hearth serve`` for many clients: parallel decoding, models on demand, health, metrics.

Driven by the official ``openai`` client against the real app over a ``ModelPool``, with
copies of the tiny model in a temporary library.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.pool_helpers import PoolServer, library_of_copies, pool_server
from tests.serve_helpers import hearth_serve

pytestmark = pytest.mark.integration

WAIT_S = 120.0
PROMPTS = [
    "Tell me about lighthouses.",
    "What is the capital of France?",
    "Write a haiku about rain",
    "Count from one to ten please",
]


def wait_until(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def library(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return library_of_copies(tiny_model, tmp_path_factory.mktemp("lib"), ("alpha", "beta"))


@pytest.fixture(scope="module")
def server(library) -> Iterator[PoolServer]:  # type: ignore[no-untyped-def]
    with pool_server(library, parallel=4, max_models=2) as running:
        yield running


def client_for(server: PoolServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="unused", max_retries=0, timeout=WAIT_S)


def greedy_stream(client: openai.OpenAI, prompt: str, tokens: int = 40, model: str = "alpha"):  # type: ignore[no-untyped-def]
    return client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": prompt}],
        max_tokens=tokens,
        temperature=0,
        seed=3,
        stream=True,
        stream_options={"include_usage": True},
        extra_body={"ignore_eos": True},
    )


def collect(stream) -> tuple[str, str | None]:  # type: ignore[no-untyped-def]
    text, finish = [], None
    for chunk in stream:
        if chunk.choices:
            text.append(chunk.choices[0].delta.content or "")
            finish = chunk.choices[0].finish_reason or finish
    return "".join(text), finish


def test_four_concurrent_streams_give_each_the_answer_it_gets_alone(server: PoolServer) -> None:
    with client_for(server) as client:
        alone = [collect(greedy_stream(client, p)) for p in PROMPTS]
        assert len({text for text, _ in alone}) == len(PROMPTS), "prompts must differ"
        together: list[tuple[str, str | None] | None] = [None] * len(PROMPTS)
        started = threading.Barrier(len(PROMPTS))

        def run(index: int) -> None:
            started.wait()
            together[index] = collect(greedy_stream(client, PROMPTS[index]))

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(PROMPTS))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT_S)
    assert together == alone
    assert all(finish == "length" for _, finish in alone)


def test_a_cancelled_stream_leaves_the_others_untouched(server: PoolServer) -> None:
    with client_for(server) as client:
        alone = [collect(greedy_stream(client, p, 60)) for p in PROMPTS[:3]]
        results: dict[int, tuple[str, str | None]] = {}
        quitter_started = threading.Event()

        def run(index: int) -> None:
            results[index] = collect(greedy_stream(client, PROMPTS[index], 60))

        def quit_early() -> None:
            stream = greedy_stream(client, PROMPTS[3], 5000)
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta.content:
                    quitter_started.set()
                    break
            stream.close()

        quitter = threading.Thread(target=quit_early)
        quitter.start()
        quitter_started.wait(WAIT_S)
        threads = [threading.Thread(target=run, args=(i,)) for i in range(3)]
        for thread in threads:
            thread.start()
        quitter.join(WAIT_S)
        for thread in threads:
            thread.join(WAIT_S)
    assert [results[i] for i in range(3)] == alone
    runner = server.pool.route("alpha")[2]
    wait_until(lambda: runner.active == 0, "the cancelled answer to leave its slot")
    assert "cancelled" in [r.value for r in runner.completed]


def test_a_follow_up_turn_reuses_its_slots_cache(server: PoolServer) -> None:
    with client_for(server) as client:
        first_turn = [{"role": "user", "content": "Remember the word lantern."}]
        first = client.chat.completions.create(
            model="alpha", messages=first_turn, max_tokens=12, temperature=0,
            extra_body={"ignore_eos": True},
        )  # fmt: skip
        for prompt in PROMPTS[:2]:  # other clients use other slots in between
            collect(greedy_stream(client, prompt, 8))
        second = client.chat.completions.create(
            model="alpha",
            messages=[
                *first_turn,
                {"role": "assistant", "content": first.choices[0].message.content},
                {"role": "user", "content": "Which word?"},
            ],
            max_tokens=4,
            temperature=0,
        )
    assert first.usage is not None and second.usage is not None
    details = second.usage.prompt_tokens_details
    assert details is not None and details.cached_tokens is not None
    assert details.cached_tokens >= first.usage.prompt_tokens
    assert second.model_extra is not None
    assert second.model_extra["timings"]["cached_tokens"] == details.cached_tokens


def test_models_are_listed_and_loaded_on_demand(library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pool_server(library, parallel=2, max_models=1) as server, client_for(server) as client:
        assert httpx.get(server.root + "/health").status_code == 200
        listed = {m.id: m.model_extra for m in client.models.list()}
        assert set(listed) == {"alpha", "beta"}
        assert all(extra and extra["state"] == "unloaded" for extra in listed.values())
        assert httpx.get(server.base_url + "/ps").json()["data"] == []

        answer = client.chat.completions.create(
            model="beta", messages=[{"role": "user", "content": "Hi"}], max_tokens=3
        )
        assert answer.model == "beta" and answer.model_extra is not None
        assert answer.model_extra["timings"]["load_s"] > 0
        rows = httpx.get(server.base_url + "/ps").json()["data"]
        assert [(r["id"], r["state"], r["parallel"]) for r in rows] == [("beta", "ready", 2)]
        assert rows[0]["memory_bytes"] > 0

        # The pool holds one model: asking for another unloads the least recently used.
        again = client.chat.completions.create(
            model="alpha", messages=[{"role": "user", "content": "Hi"}], max_tokens=3
        )
        assert again.model_extra is not None and again.model_extra["timings"]["load_s"] > 0
        assert [r["id"] for r in httpx.get(server.base_url + "/ps").json()["data"]] == ["alpha"]
        assert server.pool.unloaded == ["beta:lru"]
        assert server.loads == ["beta.gguf", "alpha.gguf"]


def test_an_idle_model_is_unloaded_after_its_ttl(library) -> None:  # type: ignore[no-untyped-def]
    with pool_server(library, parallel=1, ttl_s=0.3) as server, client_for(server) as client:
        client.chat.completions.create(
            model="alpha", messages=[{"role": "user", "content": "Hi"}], max_tokens=2
        )
        wait_until(lambda: server.pool.unloaded == ["alpha:ttl"], "the idle model to unload")
        assert httpx.get(server.base_url + "/ps").json()["data"] == []
        # The next request loads it again.
        client.chat.completions.create(
            model="alpha", messages=[{"role": "user", "content": "Hi"}], max_tokens=2
        )
        assert server.loads == ["alpha.gguf", "alpha.gguf"]


def test_requests_wait_for_a_loading_model_and_health_says_so(library) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    with pool_server(
        library, parallel=2, before_load=lambda _path: release.wait(WAIT_S)
    ) as server, client_for(server) as client:  # fmt: skip
        answers: list[str | None] = []

        def ask() -> None:
            answer = client.chat.completions.create(
                model="alpha", messages=[{"role": "user", "content": "Hi"}], max_tokens=2
            )
            answers.append(answer.choices[0].finish_reason)

        threads = [threading.Thread(target=ask) for _ in range(2)]
        for thread in threads:
            thread.start()
        wait_until(lambda: server.pool.loading, "the load to start")
        assert httpx.get(server.root + "/health").status_code == 503
        release.set()
        for thread in threads:
            thread.join(WAIT_S)
        assert len(answers) == 2
        assert server.loads == ["alpha.gguf"]
        assert httpx.get(server.root + "/health").status_code == 200


@pytest.mark.allow_log("desktop_app.server.scheduler")
def test_a_model_that_cannot_load_fails_its_requests_and_the_server_goes_on(
    library, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.server.model_pool import ModelSource

    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 64)
    extra = [ModelSource("broken", str(broken), broken.stat().st_size)]
    with pool_server(library, extra=extra) as server, client_for(server) as client:
        with pytest.raises(openai.InternalServerError) as failed:
            client.chat.completions.create(
                model="broken", messages=[{"role": "user", "content": "Hi"}], max_tokens=2
            )
        assert "Could not load broken" in str(failed.value)
        with pytest.raises(openai.NotFoundError):
            client.chat.completions.create(
                model="nowhere", messages=[{"role": "user", "content": "Hi"}], max_tokens=2
            )
        answer = client.chat.completions.create(
            model="alpha", messages=[{"role": "user", "content": "Hi"}], max_tokens=2
        )
        assert answer.choices[0].finish_reason in ("length", "stop")


def test_metrics_parse_and_count(server: PoolServer) -> None:
    with client_for(server) as client:
        collect(greedy_stream(client, "Hello", 7))
    text = httpx.get(server.root + "/metrics").text
    families = {f.name: f for f in text_string_to_metric_families(text)}
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in families.values()
        for s in family.samples
    }
    assert samples[("hearth_requests_total", (("model", "alpha"), ("outcome", "length")))] >= 1
    assert samples[("hearth_tokens_generated_total", (("model", "alpha"),))] >= 7
    assert samples[("hearth_models_loaded", ())] >= 1
    assert samples[("hearth_queue_length", (("model", "alpha"),))] == 0
    assert families["hearth_time_to_first_token_seconds"].type == "histogram"
    assert samples[("hearth_time_to_first_token_seconds_count", (("model", "alpha"),))] >= 1
    assert families["hearth_tokens_per_second"].type == "histogram"


def _env(tmp_path: Path) -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["HEARTH_HOME"] = str(tmp_path / "home")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    return env


def _hearth(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        capture_output=True, text=True, env=env, timeout=WAIT_S,
    )  # fmt: skip


def test_hearth_serve_and_hearth_ps(tiny_model: Path, tmp_path: Path) -> None:
    env = _env(tmp_path)
    assert "no Hearth server is running" in _hearth("ps", env=env).stderr
    assert _hearth("serve", "--ttl", "0", env=env).returncode == 2
    with hearth_serve(
        "--port", "0", "--model", str(tiny_model), "--parallel", "3", "--max-models", "2",
        env=env,
    ) as serve:  # fmt: skip
        port = serve.wait_for(r"serving tiny .*3 in parallel\) at http://127\.0\.0\.1:(\d+)/v1")
        serve.wait_for(r"up to 2 model\(s\) loaded")
        base = f"http://127.0.0.1:{port.group(1)}"
        assert httpx.get(base + "/health", timeout=WAIT_S).status_code == 200
        listed = _hearth("ps", env=env)
        assert listed.returncode == 0, listed.stderr
        header, row = listed.stdout.splitlines()
        assert header.split() == ["MODEL", "STATE", "MEMORY", "PARALLEL", "ACTIVE", "WAITING",
                                  "IDLE"]  # fmt: skip
        assert row.split()[:2] == ["tiny", "ready"] and row.split()[4] == "3"
        as_json = json.loads(_hearth("ps", "--json", "--url", base, env=env).stdout)
        assert as_json[0]["id"] == "tiny" and as_json[0]["memory_bytes"] > 0
    assert "no Hearth server is running" in _hearth("ps", env=env).stderr


def test_hearth_serve_without_a_model_loads_none(tiny_model: Path, tmp_path: Path) -> None:
    env = _env(tmp_path)
    imported = _hearth("models", "import", str(tiny_model), env=env)
    assert imported.returncode == 0, imported.stderr
    with hearth_serve("--port", "0", env=env) as serve:
        port = serve.wait_for(r"serving models on demand .* at http://127\.0\.0\.1:(\d+)/v1")
        base = f"http://127.0.0.1:{port.group(1)}/v1"
        assert httpx.get(base + "/ps", timeout=WAIT_S).json()["data"] == []
        with openai.OpenAI(base_url=base, api_key="unused", max_retries=0) as client:
            (model,) = client.models.list()
            with pytest.raises(openai.BadRequestError):  # none loaded, none named
                client.chat.completions.create(messages=[{"role": "user", "content": "Hi"}],
                                               model="")  # fmt: skip
            answer = client.chat.completions.create(
                model=model.id, messages=[{"role": "user", "content": "Hi"}], max_tokens=2
            )
            assert answer.model == model.id
