"""``make run``: migrate, start a local scrapyd and deploy to it, create a first key, serve the API."""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from types import FrameType

from sqlalchemy import select
from werkzeug.serving import make_server

from api.cli import create_account_with_key
from api.config import (
    api_bind,
    crawl_policy,
    default_config,
    scrapyd_urls,
    webhook_policy,
    without_credentials,
)
from api.rest.app import create_app
from api.scrapyd.deploy import deploy
from api.scrapyd.localnode import LocalScrapyd, free_port, start_scrapyd
from crawler.chromium import EXECUTABLE_SETTING, HOW_TO_ENABLE, describe_browser, install_playwright_chromium
from crawler.netguard import describe_allowlist
from db.engine import REPO_ROOT, database_failure, database_url, get_engine, session_scope
from db.migrate import upgrade
from db.models import Account

VAR = REPO_ROOT / "var"
FIRST_ACCOUNT_EMAIL = os.environ.get("LEADSCRAPER_ADMIN_EMAIL", "admin@localhost")


def absolute_database_url() -> str:
    """scrapyd's spiders run in another directory: a relative SQLite path must be made absolute."""
    url = database_url()
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite:///:memory:":
        url = prefix + str((Path.cwd() / url[len(prefix) :]).resolve())
    return url


def start_workers() -> subprocess.Popen[bytes]:
    """Start one worker (``python -m api.worker``: webhooks, exports) beside scrapyd and the API.

    A separate process, as in production; it is stopped when the dev server exits. More can be
    started by hand with the same command.
    """
    worker = subprocess.Popen([sys.executable, "-m", "api.worker"], env=dict(os.environ))

    def stop() -> None:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(10)
            except subprocess.TimeoutExpired:
                worker.kill()

    atexit.register(stop)
    exports = os.environ.get("LEADSCRAPER_EXPORT_DIR") or VAR / "exports"
    print(f"worker: started (pid {worker.pid}; exports in {exports})")
    return worker


def print_network_guard() -> None:
    """Which networks crawls and webhooks may reach, and the services they never reach."""
    config = default_config()
    crawl, hooks = crawl_policy(config), webhook_policy(config)
    print(f"network guard: crawls may reach private networks: {describe_allowlist(crawl.allow)}")
    if not crawl.allow:
        print("  to crawl a site on this machine: LEADSCRAPER_ALLOW_PRIVATE_NETWORKS=127.0.0.1/32 make run")
    print(f"  webhooks may reach private networks: {describe_allowlist(hooks.allow)}")
    print(f"  never contacted, whatever is allowed: {crawl.platform.describe()}")


def provide_browser() -> str | None:
    """A Chromium for script-built pages: the configured or system one, else Playwright's own
    download when that works; else one line saying rendering is off and how to turn it on.

    Returns the Chromium found (None when there is none). The spiders look for it the same way.
    """
    found = describe_browser()
    configured = os.environ.get(EXECUTABLE_SETTING)
    why = f"{EXECUTABLE_SETTING}={configured} is not an executable" if configured else "no Chromium"
    if found is None and not configured and os.environ.get("LEADSCRAPER_BROWSER_DOWNLOAD", "1") != "0":
        print("JavaScript rendering: no Chromium found; trying playwright install chromium ...")
        sys.stdout.flush()
        worked, said = install_playwright_chromium()
        found = describe_browser() if worked else None
        if not worked:
            print(f"  it did not work: {said} (LEADSCRAPER_BROWSER_DOWNLOAD=0 skips this try)")
    if found is None:
        print(
            f"JavaScript rendering is OFF ({why}): script-built pages are read as plain HTML and "
            f"their URLs say so; to enable it: {HOW_TO_ENABLE}, then restart make run"
        )
    else:
        print(f"JavaScript rendering: on (Chromium {found})")
    return found


def ensure_first_account(base_url: str) -> None:
    """On the first start only: an account with credits and a key, printed once (never written to a file)."""
    with session_scope(get_engine()) as session:
        existing = session.scalar(select(Account.email).order_by(Account.created_at).limit(1))
    if existing is not None:
        print(f"  accounts exist (first: {existing}); a new key for it:")
        print(f"    .venv/bin/leadscraper create-key --email {existing}")
        return
    plan = os.environ.get("LEADSCRAPER_ADMIN_PLAN", "pro")
    _account_id, key = create_account_with_key(FIRST_ACCOUNT_EMAIL, plan=plan, full_name="Local admin")
    print(f"  first account: {FIRST_ACCOUNT_EMAIL} (plan {plan})")
    print(f"  API key (shown once, store it now): {key}")
    print("  try:")
    print(f'    curl {base_url}/v1/account -H "Authorization: Bearer {key}"')


def main() -> int:
    try:
        return serve()
    except Exception as exc:
        message = database_failure(exc)
        if message is None:
            raise
        print(f"make run: {message}", file=sys.stderr)
        return 2


def serve() -> int:
    os.environ["DATABASE_URL"] = absolute_database_url()
    upgrade()
    print(f"database: {os.environ['DATABASE_URL'].split('@')[-1]}")

    scrapyd: LocalScrapyd | None = None
    if os.environ.get("SCRAPYD_URLS"):
        nodes = scrapyd_urls()
        print(f"scrapyd: using SCRAPYD_URLS {', '.join(without_credentials(n) for n in nodes)}")
    else:
        env = {"DATABASE_URL": os.environ["DATABASE_URL"]}
        scrapyd = start_scrapyd(VAR / "scrapyd", port=free_port(6800), env=env)
        nodes = [scrapyd.auth_url]
        # the API and the worker (started below, inheriting it) reach the node with its credentials
        os.environ["SCRAPYD_URLS"] = scrapyd.auth_url
        print(
            f"scrapyd: started {scrapyd.url}, password-protected (user {scrapyd.username}, "
            f"password in {scrapyd.workdir / 'scrapyd.conf'}); logs in {scrapyd.workdir / 'logs'}"
        )
    try:
        for node, outcome in deploy(nodes).items():
            print(f"deploy: {node} {'ok' if outcome == 'ok' else 'FAILED: ' + outcome}")
        start_workers()

        host, port = api_bind()
        base_url = f"http://{host}:{port}"
        print_network_guard()
        provide_browser()
        server = make_server(host, port, create_app(), threaded=True)
        print(f"API: {base_url}/v1  docs: {base_url}/docs  OpenAPI: {base_url}/v1/openapi.json")
        ensure_first_account(base_url)
        print("Ctrl-C stops everything.")
        sys.stdout.flush()

        def stop(_signum: int, _frame: FrameType | None) -> None:
            threading.Thread(target=server.shutdown, daemon=True).start()

        # Explicit handlers: a shell may start us with SIGINT ignored (background jobs), and SIGTERM
        # must stop scrapyd too.
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not orphan scrapyd
        if scrapyd is not None:
            scrapyd.stop()
            print("scrapyd stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
