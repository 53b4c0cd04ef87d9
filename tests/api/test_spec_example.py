"""The spec's own client examples (section 7), run as printed against a real API and a real scrapyd.

The examples are read from the repo's copy of the spec (``tests/spec/api.md``, kept identical to the
shared one). Only ``BASE_URL``, ``API_KEY`` and the two example URLs are replaced; the URLs become
local test sites with planted contacts. The scrapyd node here polls its queue slowly, so every
spider process starts seconds after ``schedule.json`` answered: the window in which a client that
polls ``while status == 'processing'`` would stop before anything was crawled if the job still read
``pending``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from api import create_app
from tests.api.conftest import SPEC_EXAMPLE_HOSTS, Caller
from tests.features import missing
from tests.sites.expected import SITES

pytestmark = [pytest.mark.db, pytest.mark.slow]

SPEC_COPY = Path(__file__).resolve().parents[1] / "spec" / "api.md"
SHARED_SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "api.md"
SITE_HOSTS = ("acme-robotics.com", "mueller-maschinenbau.de")  # stand in for the spec's two URLs
SPEC_URLS = ("https://example.com/contact", "https://company.com/about")
SPEC_KEY = "ls_1234567890abcdef"
SPEC_BASE_URL = "https://api.leadscraper.com/v1"
# scrapyd starts a queued spider at its next poll: every launch here waits up to this long, on top
# of the spider process's own start-up.
SLOW_POLL_SECONDS = 3.0
# What the Node.js example needs besides node: the client library it imports, and TypeScript to
# strip its type annotations (Node 20 runs JavaScript only).
NODE_PACKAGES = ("axios@1", "typescript@5")


def code_example(language: str) -> str:
    """The ```<language> block of section 7 of the repo's spec copy, as printed."""
    examples = SPEC_COPY.read_text(encoding="utf-8").split("## 7. Code Examples", 1)[1].split("\n## ", 1)[0]
    block = re.search(rf"```{language}\n(.*?)```", examples, re.S)
    assert block is not None, f"no {language} example in section 7 of {SPEC_COPY}"
    return block.group(1)


def test_the_repo_s_spec_is_the_shared_spec() -> None:
    assert SPEC_COPY.read_bytes().startswith(b"# API Documentation")
    if not SHARED_SPEC.exists():
        pytest.skip(f"{SHARED_SPEC} is not beside this checkout")
    assert SPEC_COPY.read_bytes() == SHARED_SPEC.read_bytes(), f"copy {SHARED_SPEC} to {SPEC_COPY}"


def test_the_examples_poll_while_processing_and_use_the_replaced_names() -> None:
    python, typescript = code_example("python"), code_example("typescript")
    assert "while status['status'] == 'processing':" in python
    assert "while (status.status === 'processing') {" in typescript
    for example in (python, typescript):
        assert example.count(SPEC_KEY) == 1 and example.count(SPEC_BASE_URL) == 1
        assert all(example.count(url) == 1 for url in SPEC_URLS)


@pytest.fixture(scope="module")
def slow_scrapyd(
    database_url: str, test_sites: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    from api.scrapyd.deploy import deploy
    from api.scrapyd.localnode import free_port, start_scrapyd

    hosts = (*test_sites.hosts, *SPEC_EXAMPLE_HOSTS)
    env = {
        "DATABASE_URL": database_url,
        "LEADSCRAPER_RESOLVE": ",".join(f"{h}=127.0.0.1" for h in hosts),
        "LEADSCRAPER_PROGRESS_INTERVAL": "0.5",
        "LEADSCRAPER_ALLOW_PRIVATE_NETWORKS": "127.0.0.1/32",
    }
    node = start_scrapyd(
        tmp_path_factory.mktemp("slow-scrapyd"), port=free_port(), env=env, poll_interval=SLOW_POLL_SECONDS
    )
    try:
        assert deploy([node.auth_url]) == {node.url: "ok"}
        yield node
    finally:
        node.stop()


@pytest.fixture
def server_url(database_url: str, slow_scrapyd: Any) -> Iterator[str]:
    app: Flask = create_app(
        {
            "DATABASE_URL": database_url,
            "TESTING": True,
            "SCRAPYD_URLS": [slow_scrapyd.auth_url],
            # scrapyd answers schedule.json after listing the egg's spiders in a subprocess, which
            # takes longer than the default 10 s timeout on a loaded test machine
            "SCRAPYD_TIMEOUT": 60,
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1"
    finally:
        server.shutdown()
        thread.join(5)


def localized(example: str, server_url: str, key: str, sites: Any) -> str:
    """The example with only the API's address, the key and the two URLs replaced."""
    script = example.replace(SPEC_KEY, key).replace(SPEC_BASE_URL, server_url)
    for spec_url, host in zip(SPEC_URLS, SITE_HOSTS, strict=True):
        script = script.replace(spec_url, sites.url(host))
    return script


def planted_leads() -> int:
    return sum(len(SITES[host].leads_at_depth(1)) for host in SITE_HOSTS)


def assert_printed_a_real_result(stdout: str, separator: str) -> None:
    lines = stdout.splitlines()
    assert len(lines) == 3, lines
    assert re.fullmatch(rf"Job created:{separator}job_[0-9A-Z]{{26}}", lines[0]), lines
    completed = re.fullmatch(rf"Job completed:{separator}(\d+) leads found", lines[1])
    assert completed is not None, lines
    assert int(completed.group(1)) >= planted_leads(), (lines, planted_leads())
    assert re.fullmatch(rf"Hot leads:{separator}\d+", lines[2]), lines


def test_the_spec_python_example_runs_as_printed(server_url: str, caller: Caller, test_sites: Any) -> None:
    script = localized(code_example("python"), server_url, caller.key, test_sites)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert_printed_a_real_result(result.stdout, " ")  # f-strings: one space after the colon


@pytest.fixture(scope="module")
def node_modules(request: pytest.FixtureRequest) -> Path:
    """axios and TypeScript from the npm registry, kept in pytest's cache between runs."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        missing("Node.js", "node and npm are needed for the Node.js example (apt-get install nodejs npm)")
    root = Path(request.config.cache.mkdir("spec-node-example"))
    if not all(
        (root / "node_modules" / name.split("@")[0] / "package.json").exists() for name in NODE_PACKAGES
    ):
        installed = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(root), *NODE_PACKAGES],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert installed.returncode == 0, installed.stderr[-2000:]
    return root / "node_modules"


# TypeScript's own transpiler strips the annotations; an ES module keeps the top-level awaits.
TRANSPILE = """
const ts = require('typescript');
const fs = require('fs');
const out = ts.transpileModule(fs.readFileSync(process.argv[1], 'utf8'), {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  reportDiagnostics: true,
});
if (out.diagnostics && out.diagnostics.length) { console.error(out.diagnostics); process.exit(1); }
fs.writeFileSync(process.argv[2], out.outputText);
"""


def test_the_spec_node_example_runs_as_printed(
    server_url: str, caller: Caller, test_sites: Any, node_modules: Path, tmp_path: Path
) -> None:
    (tmp_path / "node_modules").symlink_to(node_modules)
    source, module = tmp_path / "example.ts", tmp_path / "example.mjs"
    source.write_text(localized(code_example("typescript"), server_url, caller.key, test_sites))
    env = {"NODE_PATH": str(node_modules), "PATH": "/usr/bin:/bin"}
    stripped = subprocess.run(
        ["node", "-e", TRANSPILE, str(source), str(module)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert stripped.returncode == 0, stripped.stderr
    result = subprocess.run(["node", str(module)], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    assert_printed_a_real_result(result.stdout, " ")  # console.log puts one space between arguments
