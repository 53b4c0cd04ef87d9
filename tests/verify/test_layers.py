"""The verification package stays pure: importing it pulls in no crawl engine, database or API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

FORBIDDEN = ("scrapy", "twisted", "sqlalchemy", "db", "pipelines", "api", "flask", "litellm")


def test_importing_crawler_verify_loads_no_engine_and_no_database() -> None:
    code = (
        "import sys, crawler.verify, crawler.verify.evaluation\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
        "print('crawler.verify.verifier' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True, timeout=120
    ).stdout.split("\n")

    assert out[1] == "True"  # the package really was imported
    assert out[0] == "[]"
