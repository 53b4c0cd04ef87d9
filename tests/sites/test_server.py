"""Checks for the test sites server itself, and that ``expected.py`` matches what the pages contain."""

from __future__ import annotations

import gzip
import html
import http.client
import re
import socket
import time
import uuid
import xml.etree.ElementTree as ET
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import phonenumbers
import pytest

from tests.sites import site_harbor, site_kestrel, site_tidewater, site_vogel
from tests.sites.expected import LABELLED
from tests.sites.expected import SITES as TRUTH
from tests.sites.layout import cf_decode, cf_encode
from tests.sites.runner import SitesServer, run_test_sites
from tests.sites.server import SITES, split_host

# sites whose contacts and links are in the served HTML (the others need a browser to see them)
STATIC_HOSTS = sorted(h for h, t in TRUTH.items() if not t.needs_browser)

SM_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(scope="module")
def sites():
    with run_test_sites() as server:
        yield server


def fetch(sites: SitesServer, host: str, path: str, *, method: str = "GET", timeout: float = 5.0):
    conn = http.client.HTTPConnection("127.0.0.1", sites.port, timeout=timeout)
    try:
        conn.request(method, path, headers={"Host": f"{host}:{sites.port}", "User-Agent": "sites-test/1.0"})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def page_text(sites: SitesServer, host: str, path: str) -> str:
    status, _headers, body = fetch(sites, host, path)
    assert status == 200, (host, path, status)
    cp1252 = host == "brokenwidgets.net" and path in ("/latin1", "/wrong-charset")
    return body.decode("cp1252" if cp1252 else "utf-8")


# --------------------------------------------------------------------------------------------------
# The server


def test_runner_exposes_port_hosts_and_urls(sites):
    assert sites.port > 0
    assert (
        set(sites.hosts)
        == set(TRUTH)
        | set(LABELLED)
        | set(site_kestrel.LANGS)
        | set(site_harbor.LANGS)
        | set(site_vogel.LANGS)
        | {site_tidewater.HOST}
        == set(SITES)
    )
    assert not set(TRUTH) & set(LABELLED)
    assert sites.url("acme-robotics.com", "/team") == f"http://acme-robotics.com:{sites.port}/team"


@pytest.mark.parametrize("host", sorted(SITES))
def test_home_page(sites, host):
    status, headers, body = fetch(sites, host, "/")
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    text = body.decode("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    lang = (
        TRUTH[host].lang
        if host in TRUTH
        else LABELLED[host].lang
        if host in LABELLED
        else {**site_kestrel.LANGS, **site_harbor.LANGS, **site_vogel.LANGS, site_tidewater.HOST: "en"}[host]
    )
    assert f'<html lang="{lang}">' in text
    assert "<title>" in text


@pytest.mark.parametrize("host", sorted(SITES))
def test_unknown_path_is_html_404(sites, host):
    status, headers, body = fetch(sites, host, "/no/such/page")
    assert status == 404
    assert headers["content-type"].startswith("text/html")
    assert b"<html" in body


def test_unknown_host_is_404(sites):
    status, _, body = fetch(sites, "unknown.example", "/")
    assert status == 404
    assert b"unknown.example" in body


def test_host_matching():
    assert split_host("Acme-Robotics.com:8123") == "acme-robotics.com"
    assert split_host("acme-robotics.com.") == "acme-robotics.com"
    assert split_host("[::1]:80") == "::1"
    assert split_host(None) == ""


def test_absolute_links_carry_the_request_port(sites):
    text = page_text(sites, "acme-robotics.com", "/")
    assert f'href="http://acme-robotics.com:{sites.port}/privacy"' in text
    status, headers, _ = fetch(sites, "brokenwidgets.net", "/redirect-loop")
    assert status == 302
    assert headers["location"] == f"http://brokenwidgets.net:{sites.port}/redirect-loop2"


def test_head_request(sites):
    status, headers, body = fetch(sites, "acme-robotics.com", "/team", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 1000


def test_robots_txt(sites):
    _, headers, body = fetch(sites, "brokenwidgets.net", "/robots.txt")
    assert headers["content-type"].startswith("text/plain")
    assert "User-agent: *\nDisallow: /private/\n" in body.decode()
    _, _, body = fetch(sites, "northwind-analytics.io", "/robots.txt")
    sitemap_line = f"Sitemap: http://northwind-analytics.io:{sites.port}/sitemap_index.xml"
    assert sitemap_line in body.decode().splitlines()


def _locs(xml_bytes: bytes, tag: str) -> list[str]:
    root = ET.fromstring(xml_bytes)
    assert root.tag == SM_NS + tag
    return [el.text or "" for el in root.iter(SM_NS + "loc")]


def test_sitemaps(sites):
    base = f"http://northwind-analytics.io:{sites.port}"
    _, _, body = fetch(sites, "northwind-analytics.io", "/sitemap_index.xml")
    assert _locs(body, "sitemapindex") == [f"{base}/sitemap-pages.xml.gz", f"{base}/sitemap-team.xml"]

    status, headers, body = fetch(sites, "northwind-analytics.io", "/sitemap-pages.xml.gz")
    assert status == 200 and headers["content-type"] in ("application/x-gzip", "application/gzip")
    assert "content-encoding" not in headers and body[:2] == b"\x1f\x8b"
    pages = _locs(gzip.decompress(body), "urlset")
    _, _, body = fetch(sites, "northwind-analytics.io", "/sitemap-team.xml")
    team = _locs(body, "urlset")
    assert tuple(urlsplit(u).path for u in pages + team) == TRUTH["northwind-analytics.io"].sitemap_pages
    assert all(u.startswith(base + "/") for u in pages + team)


def test_log_records_requests(sites):
    marker = f"/log-check-{uuid.uuid4().hex}"
    fetch(sites, "atelier-dupont.fr", marker + "?q=1")
    records = []
    deadline = time.monotonic() + 30
    while not records and time.monotonic() < deadline:  # written by the server's thread
        records = [r for r in sites.requests("atelier-dupont.fr") if r["path"] == marker + "?q=1"]
        time.sleep(0.02)
    assert len(records) == 1
    rec = records[0]
    assert rec["method"] == "GET" and rec["status"] == 404 and rec["user_agent"] == "sites-test/1.0"
    assert abs(rec["ts"] - time.time()) < 60


def test_slow_sends_headers_then_hangs(sites):
    # the headers come long before the body's 60 s (however loaded the machine) ...
    with socket.create_connection(("127.0.0.1", sites.port), timeout=30) as sock:
        sock.sendall(f"GET /slow HTTP/1.1\r\nHost: brokenwidgets.net:{sites.port}\r\n\r\n".encode())
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = sock.recv(4096)
            assert chunk, "connection closed before the headers"
            received += chunk
        head, _, body = received.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200") and b"Content-Length:" in head
        assert body == b""
        sock.settimeout(2)
        with pytest.raises(socket.timeout):
            sock.recv(4096)  # ... but the body does not
    # other requests are not blocked meanwhile
    assert fetch(sites, "brokenwidgets.net", "/contact")[0] == 200


def test_a_held_request_is_answered_once_its_gate_opens(sites):
    token = uuid.uuid4().hex
    path = f"/contact?hold={token}"
    with socket.create_connection(("127.0.0.1", sites.port), timeout=30) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: acme-robotics.com:{sites.port}\r\n\r\n".encode())
        sock.settimeout(1)
        with pytest.raises(socket.timeout):
            sock.recv(4096)  # held: nothing at all, not even the status line
        assert fetch(sites, "acme-robotics.com", "/contact")[0] == 200  # other requests go through
        assert [r for r in sites.requests("acme-robotics.com") if r["path"] == path] == []
        sites.release(token)
        sock.settimeout(30)
        assert sock.recv(4096).startswith(b"HTTP/1.1 200")
    # another token's gate is still closed
    with socket.create_connection(("127.0.0.1", sites.port), timeout=30) as sock:
        other = f"/contact?hold={uuid.uuid4().hex}"
        sock.sendall(f"GET {other} HTTP/1.1\r\nHost: acme-robotics.com:{sites.port}\r\n\r\n".encode())
        sock.settimeout(1)
        with pytest.raises(socket.timeout):
            sock.recv(4096)


def test_other_hostile_paths(sites):
    assert fetch(sites, "brokenwidgets.net", "/error")[0] == 500
    status, headers, _ = fetch(sites, "brokenwidgets.net", "/flaky")
    assert status == 503 and headers["retry-after"] == "1"
    status, headers, body = fetch(sites, "brokenwidgets.net", "/file.pdf")
    assert headers["content-type"] == "application/pdf"
    assert body.startswith(b"%PDF-1.4") and b"%%EOF" in body[-8:]
    status, headers, body = fetch(sites, "brokenwidgets.net", "/binary.html")
    assert headers["content-type"] == "text/html" and body.startswith(b"\x89PNG")
    status, headers, body = fetch(sites, "brokenwidgets.net", "/latin1")
    assert headers["content-type"] == "text/html" and "Jürgen Weiß".encode("cp1252") in body
    status, headers, body = fetch(sites, "brokenwidgets.net", "/wrong-charset")
    assert headers["content-type"] == "text/html; charset=utf-8" and b'<meta charset="windows-1252">' in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    status, headers, _ = fetch(sites, "brokenwidgets.net", "/huge", method="HEAD")
    assert headers["content-length"] == str(50 * 1024 * 1024)
    status, headers, _ = fetch(sites, "brokenwidgets.net", "/huge-nolength", method="HEAD")
    assert headers["transfer-encoding"] == "chunked" and "content-length" not in headers


def test_cloudflare_encoding(sites):
    assert cf_decode(cf_encode("kontakt@mueller-maschinenbau.de", 0x5A)) == "kontakt@mueller-maschinenbau.de"
    text = page_text(sites, "mueller-maschinenbau.de", "/kontakt")
    found = {cf_decode(h) for h in re.findall(r'data-cfemail="([0-9a-f]+)"', text)}
    found |= {cf_decode(h) for h in re.findall(r'/cdn-cgi/l/email-protection#([0-9a-f]+)"', text)}
    assert found == {"kontakt@mueller-maschinenbau.de", "vertrieb@mueller-maschinenbau.de"}
    assert "kontakt@" not in text and "vertrieb@" not in text


# --------------------------------------------------------------------------------------------------
# expected.py agrees with the pages


class _Page(HTMLParser):
    """Links, visible text (inline elements joined without spaces, comments dropped) and hidden emails."""

    BLOCK = {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "tr",
        "td",
        "th",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "br",
        "address",
        "form",
        "label",
        "blockquote",
        "title",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.parts: list[str] = []
        self.hidden: list[str] = []  # mailto:, tel:, data-cfemail, cdn-cgi fragments
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "noscript"):
            self._skip += 1
        if tag in self.BLOCK:
            self.parts.append("\n")
        href = a.get("href") or ""
        if tag == "a" and href:
            if href.startswith(("mailto:", "tel:")):
                self.hidden.append(href.split(":", 1)[1])
            elif "/cdn-cgi/l/email-protection#" in href:
                self.hidden.append(cf_decode(href.rsplit("#", 1)[1]))
            else:
                self.links.append(href)
        if a.get("data-cfemail"):
            self.hidden.append(cf_decode(a["data-cfemail"]))

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript"):
            self._skip -= 1
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return html.unescape("".join(self.parts))


def _parse(text: str) -> _Page:
    parser = _Page()
    parser.feed(text)
    parser.close()
    return parser


@pytest.fixture(scope="module")
def parsed(sites):
    """Every page of every site that a crawler parses: host -> path -> _Page."""
    return {
        host: {path: _parse(page_text(sites, host, path)) for path in truth.pages}
        for host, truth in TRUTH.items()
    }


@pytest.mark.parametrize("host", STATIC_HOSTS)
def test_link_depths(sites, parsed, host):
    truth = TRUTH[host]
    depth = {"/": 0}
    queue = deque(["/"])
    while queue:
        path = queue.popleft()
        if path not in parsed[host]:
            continue  # a failing/skipped path of brokenwidgets.net: not parsed, links not followed
        for href in parsed[host][path].links:
            url = urlsplit(urljoin(sites.url(host, path), href))
            if url.hostname != host:
                continue
            assert url.port == sites.port, href
            target = url.path
            if target not in depth:
                depth[target] = depth[path] + 1
                queue.append(target)
    pages = {p for p in depth if not p.startswith("/static/")}
    linked = {p: d for p, d in truth.pages.items() if d is not None}
    if host == "brokenwidgets.net":
        linked.update({p: 1 for p in truth.outcomes if p != "/"})
    assert {p: depth[p] for p in pages} == linked
    for path in pages:  # every link on the site goes somewhere real
        assert path in SITES[host].routes, path


_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", re.IGNORECASE)


def _emails(page: _Page) -> set[str]:
    text = re.sub(r"\s*\[at\]\s*", "@", page.text)
    text = re.sub(r"\s*\[dot\]\s*", ".", text)
    found = {e.lower() for e in _EMAIL.findall(text)}
    return found | {h.lower() for h in page.hidden if "@" in h}


@pytest.mark.parametrize("host", STATIC_HOSTS)
def test_planted_emails_match_expected(parsed, host):
    truth = TRUTH[host]
    for path, page in parsed[host].items():
        on_page = {e for e in _emails(page) if e.endswith(("@" + truth.domain, "." + truth.domain))}
        shown = [lead for lead in truth.leads if path in lead.paths and path not in lead.named_only]
        expected = {lead.email for lead in shown if lead.email}
        assert on_page - set(truth.not_leads) == expected, path


@pytest.mark.parametrize("host", STATIC_HOSTS)
def test_planted_people_and_phones_match_expected(parsed, host):
    truth = TRUTH[host]
    for path, page in parsed[host].items():
        text = page.text
        found = {
            phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)
            for m in phonenumbers.PhoneNumberMatcher(text, truth.country, phonenumbers.Leniency.VALID)
        }
        found |= {h for h in page.hidden if h.startswith("+")}
        shown = [lead for lead in truth.leads if path in lead.paths and path not in lead.named_only]
        expected = {lead.phone for lead in shown if lead.phone}
        assert found - set(truth.not_leads) == expected, path
        for lead in truth.leads:
            if lead.full_name and path in lead.paths:
                assert lead.full_name in text, (path, lead.full_name)
    # a person's title stands on at least one of their pages (an imprint line may name them without it)
    for lead in truth.leads:
        if lead.full_name:
            assert any(lead.job_title in parsed[host][p].text for p in lead.paths), lead.full_name


def test_traps_are_on_the_pages(sites):
    raw = {
        host: "".join(page_text(sites, host, p) for p in TRUTH[host].pages)
        for host in ("acme-robotics.com", "mueller-maschinenbau.de", "atelier-dupont.fr")
    }
    for host, text in raw.items():
        for value in TRUTH[host].not_leads:
            if "@" in value:
                assert value in text, value
    acme = raw["acme-robotics.com"]
    for trap in (
        "$1,299.00",
        "2024-01-15",
        "twitter.com/intent/tweet",
        "facebook.com/sharer/sharer.php",
        "team of 45",
        "application/ld+json",
    ):
        assert trap in acme, trap
    mueller = raw["mueller-maschinenbau.de"]
    for trap in (
        "Fax: 089 12345679",
        "HRB 12345",
        "DE123456789",
        "80331 München",
        "Geschäftsführer: Dr. Hans Müller",
    ):
        assert trap in mueller, trap
    dupont = raw["atelier-dupont.fr"]
    assert "SIRET : 812 345 678 00024" in dupont and "75008 Paris" in dupont


def test_expected_counts():
    acme = TRUTH["acme-robotics.com"]
    assert [len(acme.leads_at_depth(d)) for d in (0, 1, 2, 3)] == [1, 10, 11, 12]
    assert len(TRUTH["mueller-maschinenbau.de"].leads_at_depth(1)) == 10
    assert len(TRUTH["atelier-dupont.fr"].leads_at_depth(1)) == 7
    northwind = TRUTH["northwind-analytics.io"]
    assert northwind.leads_at_depth(3) == () and len(northwind.sitemap_leads()) == 4
    assert len(TRUTH["brokenwidgets.net"].leads_at_depth(3)) == 4
    for truth in TRUTH.values():
        keys = [lead.key for lead in truth.leads]
        assert len(keys) == len(set(keys)), truth.host
        for lead in truth.leads:
            assert lead.email is None or lead.email == lead.email.lower()
            assert lead.phone is None or re.fullmatch(r"\+[1-9]\d{6,14}", lead.phone)
            depths = [truth.pages[p] for p in lead.paths]
            assert lead.min_depth == (
                min(d for d in depths if d is not None) if any(d is not None for d in depths) else None
            ), lead
