"""rendering_reason: which plain-HTML pages need a browser, and which never do."""

from __future__ import annotations

import urllib.request

import pytest

from crawler.extract import Page
from crawler.extract.rendering import rendering_reason
from tests.sites.expected import HELIO, HELIO_RENDER_REASONS, SITES
from tests.sites.runner import SitesServer, run_test_sites

ARTICLE = "<p>" + "Acme Robotics builds autonomous pallet movers for mid-size warehouses. " * 8 + "</p>"

NEEDS_BROWSER = {
    "react shell": (
        '<html><body><div id="root"></div><script src="/static/js/main.js"></script></body></html>'
    ),
    "next shell": ('<html><body><div id="__next"></div><script src="/_next/app.js"></script></body></html>'),
    "noscript note": (
        "<html><body><noscript>Bitte JavaScript aktivieren.</noscript><main><h1>Willkommen</h1></main>"
        '<script src="/app.js"></script></body></html>'
    ),
    "tiny text and scripts": '<html><body><h1>Loading</h1><script src="/a.js"></script></body></html>',
    "email glued in js": (
        f"<html><body>{ARTICLE}<span id=e></span><script>var u='jane', d='acme.com';"
        "document.getElementById('e').textContent = u + '@' + d;</script></body></html>"
    ),
    "mailto built in js": (
        f"<html><body>{ARTICLE}<script>el.href = 'mailto:' + user + String.fromCharCode(64) + host;"
        "</script></body></html>"
    ),
    "team fetched": (
        f"<html><body>{ARTICLE}<div id=people></div><script>fetch('/api/people.json').then(r => r.json())"
        "</script></body></html>"
    ),
}

STATIC = {
    "no scripts at all": "<html><body><div id='root'></div></body></html>",
    "article with analytics": (
        f"<html><body>{ARTICLE}<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push"
        "(arguments)}};gtag('config','G-XYZ');</script><script async src='https://gtm.example/gtag.js'></script>"
        "</body></html>"
    ),
    "server-rendered app": (
        f'<html><body><div id="root">{ARTICLE}<a href="mailto:jane@acme-robotics.com">Mail</a></div>'
        '<script src="/static/js/main.js"></script></body></html>'
    ),
    "json-ld with an email": (
        f'<html><body>{ARTICLE}<script type="application/ld+json">{{"@type":"Organization",'
        '"email":"info@acme-robotics.com"}</script></body></html>'
    ),
}


@pytest.mark.parametrize("case", sorted(NEEDS_BROWSER))
def test_pages_that_need_a_browser(case: str) -> None:
    assert rendering_reason(Page(NEEDS_BROWSER[case], "https://www.acme-robotics.com/")) is not None


@pytest.mark.parametrize("case", sorted(STATIC))
def test_pages_whose_html_is_enough(case: str) -> None:
    assert rendering_reason(Page(STATIC[case], "https://www.acme-robotics.com/")) is None


@pytest.fixture(scope="module")
def served() -> SitesServer:
    with run_test_sites() as server:
        yield server


def _html(server: SitesServer, host: str, path: str) -> str:
    request = urllib.request.Request(f"http://127.0.0.1:{server.port}{path}", headers={"Host": host})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.read().decode("utf-8", "replace")


def test_every_page_of_the_static_test_sites_is_left_to_plain_http(served: SitesServer) -> None:
    for host, truth in SITES.items():
        if truth.needs_browser or host == "northwind-analytics.io":  # northwind's home is an app shell
            continue
        for path in truth.pages:
            assert rendering_reason(Page(_html(served, host, path), f"http://{host}{path}")) is None, (
                host,
                path,
            )


def test_the_javascript_site_is_sent_to_the_browser_for_the_right_reason(served: SitesServer) -> None:
    for path, expected in HELIO_RENDER_REASONS.items():
        reason = rendering_reason(Page(_html(served, HELIO.host, path), f"http://{HELIO.host}{path}"))
        assert reason is not None and expected in reason, (path, reason)
