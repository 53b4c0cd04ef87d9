"""Which Chromium renders JavaScript pages, and how a machine without one gets one.

No Scrapy, no Playwright import: ``make run`` (the API side) asks the same questions as the
spider before it starts anything, so it can say at start whether rendering works.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

SYSTEM_CHROMIUMS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
EXECUTABLE_SETTING = "PLAYWRIGHT_CHROMIUM_EXECUTABLE"
HOW_TO_ENABLE = (
    "apt-get install chromium (Debian/Ubuntu), or .venv/bin/playwright install chromium, "
    f"or {EXECUTABLE_SETTING}=/path/to/chromium"
)
INSTALL_HINT = (
    "this page needs a browser to render its JavaScript: install Chromium "
    f"(Debian/Ubuntu: apt-get install chromium) or set {EXECUTABLE_SETTING}"
)


def chromium_executable() -> str | None:
    """The Chromium to launch: ``PLAYWRIGHT_CHROMIUM_EXECUTABLE``, the system's, or None.

    None with ``playwright_has_own_chromium()`` means Playwright's own download is used.
    """
    configured = os.environ.get(EXECUTABLE_SETTING)
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    for path in SYSTEM_CHROMIUMS:
        if os.access(path, os.X_OK):
            return path
    return shutil.which("chromium")


def playwright_browsers_root() -> str:
    return os.environ.get("PLAYWRIGHT_BROWSERS_PATH") or str(Path.home() / ".cache" / "ms-playwright")


def playwright_own_chromium() -> str | None:
    """The executable of a Chromium that ``playwright install chromium`` downloaded, if any."""
    found = sorted(
        glob.glob(os.path.join(playwright_browsers_root(), "chromium-*", "chrome-linux*", "chrome"))
    )
    return found[-1] if found else None


def playwright_has_own_chromium() -> bool:
    return playwright_own_chromium() is not None


def browser_available() -> bool:
    return chromium_executable() is not None or playwright_has_own_chromium()


def describe_browser() -> str | None:
    """Where the Chromium the crawls will use lives, None when there is none."""
    executable = chromium_executable()
    if executable:
        configured = os.environ.get(EXECUTABLE_SETTING)
        return f"{executable} ({EXECUTABLE_SETTING})" if configured else executable
    own = playwright_own_chromium()
    return f"{own} (Playwright's own)" if own else None


def install_playwright_chromium(timeout: float = 300) -> tuple[bool, str]:
    """Try Playwright's own ``playwright install chromium``; (worked, last line of its output).

    It downloads from Playwright's servers, which a machine without general internet access cannot
    reach: then it fails, and the caller says how to enable rendering instead.
    """
    try:
        done = subprocess.run(
            [sys.executable, "-m", "playwright", "install", "chromium"],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    lines = [line.strip() for line in (done.stderr + done.stdout).splitlines() if line.strip()]
    # its first error line names what failed; the lines after it are a Node.js stack
    said = next((line for line in lines if line.startswith("Error")), lines[-1] if lines else "")
    return done.returncode == 0 and playwright_has_own_chromium(), said or f"exit status {done.returncode}"
