"""/docs works without internet: Swagger UI comes from this installation, and renders the API's operations."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from crawler.browser import chromium_executable
from tests.features import requires

pytestmark = pytest.mark.db


class _References(HTMLParser):
    """Every URL a page loads by itself: scripts, style sheets, images, frames, icons."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "src" or (name == "href" and tag == "link")):
                self.urls.append(value)


def test_docs_page_and_every_asset_come_from_this_server(client: FlaskClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    refs = _References()
    refs.feed(html)
    assert len(refs.urls) == 3, refs.urls  # Swagger UI's style sheet and its two scripts
    for url in refs.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, url  # a path on this server, no CDN
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.mimetype in ("text/css", "text/javascript"), (url, asset.mimetype)
        assert len(asset.get_data()) > 10_000, url
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # nothing else from elsewhere
    assert '"validatorUrl": null' in html  # the validator badge would call validator.swagger.io
    assert client.get("/docs/assets/../../setup.cfg").status_code == 404
    spec = client.get("/v1/openapi.json")
    assert spec.status_code == 200 and "/v1/scrape" in spec.get_json()["paths"]


@pytest.fixture
def server(app: Flask) -> Iterator[str]:
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        thread.join()


@pytest.mark.slow
@requires("Chromium", lambda: chromium_executable() is not None, "apt-get install chromium")
def test_docs_render_in_a_browser_with_no_network_but_this_server(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import Route, sync_playwright

    blocked: list[str] = []
    loaded: list[str] = []

    def only_this_server(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            loaded.append(url)
            route.continue_()
        else:
            blocked.append(url)
            route.abort("internetdisconnected")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-default-apps",
                "--disable-sync",
                "--no-first-run",
                "--proxy-server=http://127.0.0.1:9",  # whatever escapes the route goes nowhere
                "--proxy-bypass-list=127.0.0.1",
            ],
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 2000})
            page.route("**/*", only_this_server)
            page.goto(f"{server}/docs", wait_until="networkidle")
            page.wait_for_selector(".opblock-summary-path", timeout=30_000)
            operations = {
                (
                    block.query_selector(".opblock-summary-method").inner_text().strip(),  # type: ignore[union-attr]
                    block.query_selector(".opblock-summary-path").inner_text().strip(),  # type: ignore[union-attr]
                )
                for block in page.query_selector_all(".opblock")
            }
            title = page.inner_text(".info .title")
            shot = tmp_path / "docs.png"
            page.screenshot(path=str(shot), full_page=False)
        finally:
            browser.close()
    if os.environ.get("LEADSCRAPER_DOCS_SCREENSHOT"):  # to look at it: a path to copy the PNG to
        Path(os.environ["LEADSCRAPER_DOCS_SCREENSHOT"]).write_bytes(shot.read_bytes())
    assert "LeadScraper API" in title
    assert {("POST", "/v1/scrape"), ("GET", "/v1/leads"), ("GET", "/v1/jobs/{job_id}")} <= operations
    assert len(operations) >= 30
    assert blocked == []  # the page asked nothing of the internet
    assert any(u.endswith("/docs/assets/swagger-ui-bundle.js") for u in loaded)
    assert any(u.endswith("/v1/openapi.json") for u in loaded)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
