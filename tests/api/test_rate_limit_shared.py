"""Several API processes behind one Redis: the plan's hourly quota holds across all of them."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
import requests

from api.scrapyd.localnode import free_port
from tests.api.conftest import Caller
from tests.features import missing

pytestmark = [pytest.mark.db, pytest.mark.slow]

REDIS_HOST = os.environ.get("TEST_REDIS_HOST", "127.0.0.1:6379")
REPO_ROOT = Path(__file__).resolve().parents[2]


def _require_redis() -> None:
    host, port = REDIS_HOST.split(":")
    probe = redis.Redis(host=host, port=int(port), socket_connect_timeout=1)
    try:
        probe.ping()
    except redis.RedisError:
        missing("Redis", f"no Redis on {REDIS_HOST} (apt-get install redis-server)")


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis database no one else uses (the highest empty one); only it is flushed, before and after."""
    _require_redis()
    host, port = REDIS_HOST.split(":")
    for number in range(15, 0, -1):
        conn = redis.Redis(host=host, port=int(port), db=number)
        if conn.dbsize() == 0:
            break
    else:
        missing("Redis", f"no empty database on {REDIS_HOST} to use")
    conn.flushdb()
    try:
        yield f"redis://{REDIS_HOST}/{number}"
    finally:
        conn.flushdb()
        conn.close()


def _start_api(database_url: str, redis_url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """gunicorn with two workers serving ``api:create_app()``, in a process group of its own."""
    port = free_port()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url}
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [gunicorn, "--workers", "2", "--bind", f"127.0.0.1:{port}", "api:create_app()"],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return process, f"http://127.0.0.1:{port}"


def _wait_ready(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {log.read_text()[-2000:]}")
        try:
            requests.get(f"{url}/v1/openapi.json", timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn on {url} did not answer: {log.read_text()[-2000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


@pytest.fixture
def two_apis(database_url: str, redis_url: str, tmp_path: Path) -> Iterator[list[str]]:
    """Two gunicorn servers (two workers each) on one database and one Redis: four API processes."""
    started = []
    try:
        for i in range(2):
            log = tmp_path / f"gunicorn-{i}.log"
            process, url = _start_api(database_url, redis_url, log)
            started.append((process, url, log))
        for process, url, log in started:
            _wait_ready(process, url, log)
        yield [url for _p, url, _l in started]
    finally:
        for process, _url, _log in started:
            _stop(process)


def test_free_plan_quota_holds_across_two_api_servers(
    two_apis: list[str], make_caller: Callable[..., Caller]
) -> None:
    caller = make_caller(plan="free")  # 100 requests an hour
    remaining = []
    with requests.Session() as first, requests.Session() as second:
        sessions = [first, second]  # separate connections: requests spread over all four workers
        for i in range(100):
            response = sessions[i % 2].get(
                f"{two_apis[i % 2]}/v1/account", headers=caller.headers, timeout=10
            )
            assert response.status_code == 200, (i, response.text)
            assert response.headers["X-RateLimit-Limit"] == "100"
            remaining.append(int(response.headers["X-RateLimit-Remaining"]))
        assert remaining == list(range(99, -1, -1))  # one bucket, counted in order, wherever served
        for i in range(2):
            refused = sessions[i].get(f"{two_apis[i]}/v1/leads", headers=caller.headers, timeout=10)
            assert refused.status_code == 429, refused.text
            assert refused.json()["error"]["code"] == "rate_limit_exceeded"
            assert refused.headers["X-RateLimit-Remaining"] == "0"
            assert int(refused.headers["Retry-After"]) > 0

    # another account still has its whole quota on both servers
    other = make_caller(plan="free")
    for url in two_apis:
        response = requests.get(f"{url}/v1/account", headers=other.headers, timeout=10)
        assert response.status_code == 200 and response.headers["X-RateLimit-Limit"] == "100"
