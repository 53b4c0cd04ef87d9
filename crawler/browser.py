"""The scrapy-playwright settings that render pages in Chromium (found by ``crawler.chromium``),
and the guard every rendered page's requests pass."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

# Finding Chromium lives in crawler.chromium (the API asks too); the spider's names for it stay here.
from crawler.chromium import INSTALL_HINT as INSTALL_HINT
from crawler.chromium import browser_available as browser_available
from crawler.chromium import chromium_executable as chromium_executable
from crawler.resolver import parse_host_map

logger = logging.getLogger(__name__)

# Resource types a lead never hides in: not downloaded by the browser.
BLOCKED_RESOURCES = frozenset({"image", "media", "font", "stylesheet", "imageset", "texttrack", "manifest"})


def playwright_settings(host_map: str = "") -> dict[str, Any]:
    """Settings that route ``meta["playwright"]`` requests through a bounded headless Chromium.

    Plain requests keep Scrapy's own HTTP handler (scrapy-playwright falls back to it). Rendered
    pages get ``PAGE_INIT_CALLBACK``, which serves all their traffic through the network guard;
    Chromium's own connections go to a dead proxy. ``LEADSCRAPER_RESOLVE`` is also given to
    Chromium as host-resolver rules.
    """
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-component-update",
        "--disable-sync",
    ]
    rules = ", ".join(f"MAP {host} {address}" for host, address in parse_host_map(host_map).items())
    if rules:
        args.append(f"--host-resolver-rules={rules}")
    launch: dict[str, Any] = {
        "headless": True,
        "args": args,
        "timeout": 30_000,
        # "<-loopback>": not even loopback bypasses the (dead) proxy
        "proxy": {"server": DEAD_PROXY, "bypass": "<-loopback>"},
    }
    executable = chromium_executable()
    if executable:
        launch["executable_path"] = executable
    handler = "crawler.playwright_handler.LazyPlaywrightDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch,
        "PLAYWRIGHT_MAX_CONTEXTS": 2,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 4,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": 20_000,
        "PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER": True,
    }


PAGE_INIT_CALLBACK = "crawler.browser.guard_page"
SETTLE_MS = 3000  # after "load", how long a page may keep fetching (e.g. its team list) before we read it
BROWSER_FETCH_TIMEOUT = 20.0
BROWSER_MAX_BODY = 10 * 1024 * 1024
# Every connection Chromium would make on its own goes to this dead proxy and fails; the requests
# we serve from guard_page's route never reach it. Defence in depth behind the route.
DEAD_PROXY = "http://127.0.0.1:9"


async def guard_page(page: Any, request: Any) -> None:
    """Serve every request of a rendered page through the network guard (scrapy-playwright's
    ``playwright_page_init_callback``).

    The route registered here runs before scrapy-playwright's own: images, fonts and media are
    dropped; anything whose scheme, address or resolved addresses the guard refuses is aborted;
    the rest is fetched by us from the checked address (never re-resolved, redirects handed back to
    the browser one hop at a time, so each hop is checked) and fulfilled. WebSockets are closed.
    """
    guard = BrowserGuard()
    await page.route("**/*", guard.handle)
    await page.route_web_socket("**/*", lambda ws: ws.close())


async def settle(page: Any) -> None:
    """Wait, after the load event, until the page's network has been quiet for 500 ms (at most
    ``SETTLE_MS``): contacts fetched by a script after "load" are then in the DOM we read. A page
    that never goes quiet (polling, analytics beacons) is simply read when the time is up."""
    with contextlib.suppress(Exception):
        await page.wait_for_load_state("networkidle", timeout=SETTLE_MS)


def render_meta() -> dict[str, Any]:
    """The request meta that renders a page in the browser, guarded, and lets it settle."""
    from scrapy_playwright.page import PageMethod

    return {
        "playwright": True,
        "playwright_page_init_callback": PAGE_INIT_CALLBACK,
        "playwright_page_methods": [PageMethod(settle)],
    }


class BrowserGuard:
    """Fetches browser sub-requests for Chromium, after the very checks of the crawler's resolver.

    The guard resolver installed on the reactor (``crawler.resolver.StaticMapResolver``) judges
    each URL, resolves its host (static map, then DNS) and checks every address with the port, so
    the browser follows the same allowlist, platform services and host map as plain requests.
    Without it installed, every sub-request is refused.
    """

    async def handle(self, route: Any, request: Any) -> None:
        import asyncio

        if request.resource_type in BLOCKED_RESOURCES:
            await route.abort()
            return
        loop = asyncio.get_running_loop()
        try:
            status, headers, body = await loop.run_in_executor(
                None,
                self.fetch,
                request.method,
                request.url,
                await request.all_headers(),
                request.post_data_buffer,
            )
        except BrowserFetchRefused as exc:
            logger.info("browser request refused: %s", exc)
            await route.abort("blockedbyclient")
            return
        except Exception as exc:  # the browser sees a failed sub-request; the page may still render
            logger.debug("browser request failed: %s %s", request.url, exc)
            await route.abort("failed")
            return
        await route.fulfill(status=status, headers=headers, body=body)

    def fetch(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int, dict, bytes]:
        """One hop, from the checked address (worker thread)."""
        from urllib.parse import urlsplit

        from crawler.netguard import GuardRefused, NetworkGuardError, checked_pool
        from crawler.resolver import installed_resolver

        resolver = installed_resolver()
        if resolver is None:
            raise BrowserFetchRefused(f"{url}: the guard resolver is not installed")
        reason = resolver.policy.url_reason(url)
        if reason:
            raise BrowserFetchRefused(f"{url}: {reason}")
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            address = str(resolver.lookup(host, port)[0])
        except GuardRefused as exc:
            raise BrowserFetchRefused(f"{url}: {exc.reason}") from exc
        except NetworkGuardError as exc:
            raise OSError(f"{url}: {exc}") from exc
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        send = {k: v for k, v in headers.items() if not k.startswith(":") and k.lower() != "host"}
        send["Host"] = parts.netloc.rsplit("@", 1)[-1]
        pool = checked_pool(parts.scheme, address, port, host, BROWSER_FETCH_TIMEOUT)
        try:
            response = pool.urlopen(
                method,
                path,
                body=body,
                headers=send,
                redirect=False,
                preload_content=False,
                assert_same_host=False,
            )
            data = response.read(BROWSER_MAX_BODY + 1, decode_content=True)
            if len(data) > BROWSER_MAX_BODY:
                raise BrowserFetchRefused(f"{url}: larger than {BROWSER_MAX_BODY // (1024 * 1024)} MB")
            out_headers = {k: v for k, v in response.headers.items() if k.lower() not in _HOP_HEADERS}
            return response.status, out_headers, data
        finally:
            pool.close()


class BrowserFetchRefused(Exception):
    """Raised when the network guard refuses a browser sub-request (it is aborted, never sent)."""


_HOP_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"}
