"""Finding a Chromium for JS rendering, and the scrapy-playwright settings that use it."""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path
from typing import Any

from crawler.resolver import parse_host_map

SYSTEM_CHROMIUMS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
INSTALL_HINT = (
    "this page needs a browser to render its JavaScript: install Chromium "
    "(Debian/Ubuntu: apt-get install chromium) or set PLAYWRIGHT_CHROMIUM_EXECUTABLE"
)
# Resource types a lead never hides in: not downloaded by the browser.
BLOCKED_RESOURCES = frozenset({"image", "media", "font", "stylesheet", "imageset", "texttrack", "manifest"})


def chromium_executable() -> str | None:
    """The Chromium to launch: ``PLAYWRIGHT_CHROMIUM_EXECUTABLE``, the system's, or None.

    None with ``playwright_has_own_chromium()`` means Playwright's own download is used.
    """
    configured = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for path in SYSTEM_CHROMIUMS:
        if os.access(path, os.X_OK):
            return path
    found = shutil.which("chromium")
    return found


def playwright_has_own_chromium() -> bool:
    root = os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or str(Path.home() / ".cache" / "ms-playwright")
    return bool(glob.glob(os.path.join(root, "chromium-*", "chrome-linux*", "chrome")))


def browser_available() -> bool:
    return chromium_executable() is not None or playwright_has_own_chromium()


def playwright_settings(host_map: str = "") -> dict[str, Any]:
    """Settings that route ``meta["playwright"]`` requests through a bounded headless Chromium.

    Plain requests keep Scrapy's own HTTP handler (scrapy-playwright falls back to it). The
    static host map of ``LEADSCRAPER_RESOLVE`` is given to Chromium as host-resolver rules, so the
    browser reaches the same addresses the crawler does.
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
    launch: dict[str, Any] = {"headless": True, "args": args, "timeout": 30_000}
    executable = chromium_executable()
    if executable:
        launch["executable_path"] = executable
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch,
        "PLAYWRIGHT_MAX_CONTEXTS": 2,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 4,
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": 20_000,
        "PLAYWRIGHT_ABORT_REQUEST": "crawler.browser.abort_request",
        "PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER": True,
    }


def abort_request(request: Any) -> bool:
    """Block images, fonts, media and style sheets: they cost time and never hold a contact."""
    return request.resource_type in BLOCKED_RESOURCES
