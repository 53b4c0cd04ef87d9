"""Start the test sites server as a subprocess for a test and stop it afterwards.

from tests.sites.runner import run_test_sites

with run_test_sites() as sites:
    resolver_map = {host: "127.0.0.1" for host in sites.hosts}
    start_url = sites.url("acme-robotics.com")          # http://acme-robotics.com:PORT/
    ...run the crawler...
    paths = {r["path"] for r in sites.requests() if r["host"] == "acme-robotics.com"}
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.sites.server import HOSTS

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 10.0


class SitesServer:
    """A running ``python -m tests.sites.server`` subprocess."""

    hosts: tuple[str, ...] = HOSTS

    def __init__(self, log_path: str | os.PathLike[str] | None = None) -> None:
        self._tmpdir: tempfile.TemporaryDirectory[str] | None = None
        if log_path is None:
            self._tmpdir = tempfile.TemporaryDirectory(prefix="leadscraper-sites-")
            log_path = Path(self._tmpdir.name) / "requests.jsonl"
        self.log_path = Path(log_path)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path.touch()
        self.port: int = 0
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> SitesServer:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.sites.server", "--port", "0", "--log", str(self.log_path)],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        lines: queue.Queue[str] = queue.Queue()
        stdout = self.proc.stdout
        assert stdout is not None
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        try:
            first = lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            self.stop()
            msg = f"test sites server did not print its port within {START_TIMEOUT:.0f} s"
            raise RuntimeError(msg) from None
        if not first.startswith("PORT "):
            code = self.proc.poll()
            self.stop()
            raise RuntimeError(f"test sites server failed to start (exit code {code}, first line {first!r})")
        self.port = int(first.split()[1])
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    def url(self, host: str, path: str = "/") -> str:
        """``http://<host>:<port><path>``: the URL a crawler (with the custom resolver) should use."""
        if not path.startswith("/"):
            path = "/" + path
        return f"http://{host}:{self.port}{path}"

    def requests(self, host: str | None = None) -> list[dict[str, Any]]:
        """The server's request log so far (one dict per request), optionally only for ``host``."""
        records = []
        with open(self.log_path, encoding="utf-8") as fh:
            for line in fh:
                if line.endswith("\n"):  # skip a line still being written
                    records.append(json.loads(line))
        return [r for r in records if host is None or r["host"] == host]

    def set_state(self, site: str, value: str) -> None:
        """Switch a site that has states (``tests/sites/site_tidewater.py``) to ``value``."""
        (self.log_path.parent / f"state-{site}").write_text(value, encoding="utf-8")

    def release(self, token: str) -> None:
        """Open the gate ``hold=<token>``: requests held on it are answered (tests/sites/server.py)."""
        (self.log_path.parent / f"release-{token}").touch()

    def requested_paths(self, host: str) -> set[str]:
        return {r["path"] for r in self.requests(host)}


@contextmanager
def run_test_sites(log_path: str | os.PathLike[str] | None = None) -> Iterator[SitesServer]:
    """Run the test sites server for the duration of the ``with`` block."""
    server = SitesServer(log_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()
