"""Start a scrapyd on this machine (``make run`` and the tests), configured in a directory of its own."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import requests

from api.scrapyd.deploy import with_credentials

SCRAPYD_CONF = """\
[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
eggs_dir = {dir}/eggs
logs_dir = {dir}/logs
dbs_dir = {dir}/dbs
items_dir =
jobs_to_keep = 20
finished_to_keep = 200
poll_interval = {poll_interval}
max_proc_per_cpu = 4
username = {username}
password = {password}
"""


class ScrapydStartError(Exception):
    """Raised when the local scrapyd does not answer in time or exits at once."""


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(preferred: int | None = None) -> int:
    if preferred and port_is_free(preferred):
        return preferred
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalScrapyd:
    """A scrapyd child process and its URL; ``stop()`` ends it and the spiders it launched.

    ``url`` names the node (no credentials: for logs, job rows, comparisons); ``auth_url`` is the
    same with the node's credentials, for ``SCRAPYD_URLS`` and every call to it.
    """

    process: subprocess.Popen[bytes]
    url: str
    workdir: Path
    username: str = ""
    password: str = ""

    @property
    def auth_url(self) -> str:
        return with_credentials(self.url, self.username, self.password) if self.username else self.url

    def stop(self, timeout: float = 10) -> None:
        if self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)  # its own group: scrapyd and its spiders
        except ProcessLookupError:
            return
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)


def start_scrapyd(
    workdir: Path,
    *,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    poll_interval: float = 1.0,
    timeout: float = 30,
    username: str | None = None,
    password: str | None = None,
) -> LocalScrapyd:
    """Run scrapyd from ``workdir`` (its scrapyd.conf, eggs, logs) with ``env`` added to this environment.

    Spiders inherit scrapyd's environment, so ``env`` is where DATABASE_URL and LEADSCRAPER_RESOLVE go.
    The node requires HTTP basic authentication: with ``username``/``password``, or credentials
    generated for this start (random, in its scrapyd.conf, readable by this user only).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    port = port or free_port(6800)
    username = username or "leadscraper"
    password = password or secrets.token_urlsafe(24)
    conf = workdir / "scrapyd.conf"
    conf.touch(mode=0o600)
    conf.chmod(0o600)
    conf.write_text(
        SCRAPYD_CONF.format(
            port=port,
            dir=workdir.resolve(),
            poll_interval=poll_interval,
            username=username,
            password=password,
        )
    )
    child_env = {**os.environ, **(env or {})}
    scrapyd = shutil.which("scrapyd", path=str(Path(sys.executable).parent)) or "scrapyd"
    log = open(workdir / "scrapyd.log", "ab")  # noqa: SIM115 - handed to the child, closed with it
    process = subprocess.Popen(
        [scrapyd], cwd=workdir, env=child_env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    log.close()
    url = f"http://127.0.0.1:{port}"
    node = LocalScrapyd(process, url, workdir, username, password)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ScrapydStartError(
                f"scrapyd exited with {process.returncode}; see {workdir / 'scrapyd.log'}"
            )
        try:
            if requests.get(f"{url}/daemonstatus.json", timeout=1, auth=(username, password)).ok:
                return node
        except requests.RequestException:
            pass
        time.sleep(0.2)
    node.stop()
    raise ScrapydStartError(f"scrapyd did not answer on {url} within {timeout}s")
