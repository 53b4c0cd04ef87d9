"""Local multi-site web server for the crawler's integration tests (like Scrapy's tests/mockserver).

Run it as ``python -m tests.sites.server [--port 0] [--log FILE]`` from the repository root. It listens on
127.0.0.1 only, prints ``PORT <n>`` as its first stdout line once it accepts connections, and, with
``--log``, appends one JSON object per request (``host``, ``path``, ``method``, ``status``, ``ts``, plus
``user_agent``) and flushes each line. SIGTERM or SIGINT stops it at once; ``tests/sites/runner.py`` wraps all
of this in the ``run_test_sites()`` context manager.

The site is chosen by the ``Host`` header's hostname (port stripped, case-insensitive), so the crawler
must resolve every name below to 127.0.0.1 and keep the port, e.g. ``http://acme-robotics.com:PORT/team``.
Absolute links, sitemaps and ``Location`` headers are built from the request's own ``Host`` header.
An unknown host gets a plain 404 page; an unknown path gets the site's own HTML 404 page. Every site also
serves ``/favicon.ico``, ``/static/css/site.css`` and a placeholder image for any ``/static/img/*.png|jpg``.

Gates: any request whose query has ``hold=<token>`` waits, before it is answered or logged, until the
file ``release-<token>`` exists next to the request log (``SitesServer.release(token)``), the server
stops, or ``HOLD_MAX_SECONDS`` pass. A test holds pages open until a condition it waits on holds (both
crawl processes own URLs, a kill has landed) instead of betting that a crawl is still running after
some number of seconds.
Ground truth (which contacts a perfect crawler stores, at which depth) lives in ``tests/sites/expected.py``.

URL map
-------

acme-robotics.com (US, English)
    /                          home: products, price trap $1,299.00, date 2024-01-15, share buttons
    /about                     "team of 45", JSON-LD Organization (Austin TX address, telephone, sameAs)
    /about/leadership          depth 2: CEO again + CFO (only here)
    /about/leadership/board    depth 3: independent board member (only here)
    /team                      4 cards: CEO, VP of Sales, Head of Engineering, Account Executive
    /contact                   sales@ (mailto), info [at] ... [dot] com, main line, support line, form
    /careers                   "We're hiring", 3 roles, careers@
    /privacy                   long policy, dates, postcode, privacy@
    /imprint                   legal notice: registration numbers (traps), main line
    /robots.txt                Disallow: /admin/, /cart
    every page: logo@2x.png, lodash@4.17.21 script, Sentry DSN, footer main line (512) 555-0147

mueller-maschinenbau.de (Germany, German)
    /                          home        /ueber-uns      company history
    /team                      Geschäftsführer, Vertriebsleiterin, Technischer Leiter, Kundenservice
    /kontakt                   kontakt@ as Cloudflare data-cfemail,
                               vertrieb@ as a /cdn-cgi/l/email-protection#... link,
                               Telefon 089 12345670, Fax 089 12345679 (not a lead)
    /impressum                 Geschäftsführer: Dr. Hans Müller, HRB 12345, USt-IdNr. DE123456789, info@
    /datenschutz               datenschutz@        /karriere       bewerbung@
    /cdn-cgi/l/email-protection                 Cloudflare's "Email Protection" page (depth 2, no contacts)
    /cdn-cgi/scripts/5c5dd728/cloudflare-static/email-decode.min.js
    every page: footer Tel. +49 (0)89 1234567-0, Fax +49 (0)89 1234567-9

atelier-dupont.fr (France, French)
    /                          home        /realisations   portfolio, no contacts
    /equipe                    gérante, directrice commerciale (c.martin<span>@</span>...), chef d'atelier,
                               architecte d'intérieur (a.rousseau<!-- -->@<!-- -->...)
    /contact                   bonjour@ (mailto), Claire Martin again, presse&#64;atelier-dupont&#46;fr
    /mentions-legales          RCS/SIREN 812 345 678, SIRET, TVA (traps), 75008 Paris, bonjour@
    every page: footer Tél. 01 42 68 53 00

northwind-analytics.io (sitemap-only, English)
    /                          JS app shell: text, no <a> links at all
    /robots.txt                Sitemap: http://northwind-analytics.io:PORT/sitemap_index.xml
    /sitemap_index.xml         -> /sitemap-pages.xml.gz, /sitemap-team.xml
    /sitemap-pages.xml.gz      gzipped, application/x-gzip: /, /product, /company/contact
    /sitemap-team.xml          /company/people/ana-lima, /company/people/raj-patel
    /product                   no contacts
    /company/contact           hello@, office line +1 (415) 555-0132
    /company/people/ana-lima   Co-founder & CEO (JSON-LD Person)
    /company/people/raj-patel  Head of Partnerships (JSON-LD Person)

helio-labs.io (JavaScript-rendered, English; see site_helio.py)
    /                 empty #root filled by /static/js/app.js: hello@ (mailto), CEO card mira@
    /contact          sales@ assembled by an inline script      /team   people fetch()ed from /api/team.json
    /hang             a shell whose script never finishes loading (browser timeout)

brokenwidgets.net (hostile, English; see site_broken.py)
    /                 links to every path below
    /contact          hello@, +1 (312) 555-0188          /latin1          windows-1252, no header charset
    /wrong-charset    windows-1252 bytes, header says utf-8
    /error            500                                 /flaky           503 (always)
    /slow             headers, then 60 s silence          /drip            1 byte per second
    /huge             50 MiB with Content-Length          /huge-nolength   50 MiB chunked
    /binary.html      random bytes as text/html           /file.pdf        application/pdf
    /redirect-loop <-> /redirect-loop2 (302s)             /private/contact disallowed by robots.txt

kestrel-finch.co.uk (UK, English; see site_kestrel.py, which also lists who must arrive as a lead)
    /                 home; footer: address, switchboard, the studio's six profiles (only there)
    /team             eight cards, name and title as siblings, contacts as icon links or none
    /team/sam-rivera  depth 2: Sam Rivera's page with his mailto     /contact   hello@, grace.liu@ as text
    /legal            registered office, company and VAT numbers

alder-analytics.com (US, English; see site_kestrel.py)
    /                 home; footer LinkedIn page    /team   Alex Morgan (mailto icon), Priya Shah (none)

harborquay.com (US, English; see site_harbor.py, which also lists who must arrive as a lead)
    /                 home; footer: address, main line, the firm's LinkedIn and X (only there)
    /firm             depth 1, no contacts      /insights   depth 1, no contacts
    /firm/people      depth 2: staff table, no e-mails     /firm/people/founders   depth 3: prose
    /firm/offices     depth 2: info@, main line, the lawyers' e-mails as a bare list (no names)

holzwerk-vogel.de (Germany, German; see site_vogel.py, which also lists who must arrive as a lead)
    /                 home; footer: address, main line, Instagram and Facebook (only there)
    /unternehmen      depth 1, no contacts      /leistungen   depth 1, no contacts
    /unternehmen/menschen   depth 2: the owner in prose, staff under title headings, no contacts
    /unternehmen/kontakt    depth 2: role addresses and lines, the staff's e-mails as a bare list
    /unternehmen/kontakt/impressum   depth 3: Geschäftsführerin, HRB, USt-IdNr., fax
tidewater-routing.com (US, English; see site_tidewater.py): a SaaS whose site changes between crawls
    state v1 (default): /, /pricing, /contact      state v2 (state-tidewater file): /, /careers, /contact

24 labelled companies (see site_labelled.py; expected status per host in expected.LABELLED), e.g.
brightline-payroll.com, nordlicht-software.de, cafe-lumiere.fr: / + team or about, contact, and some of
careers, news/press, pricing, shop, all linked from the home page's nav (depth 1)
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO
from urllib.parse import parse_qs, urlsplit

from tests.sites import (
    site_acme,
    site_broken,
    site_dupont,
    site_harbor,
    site_helio,
    site_kestrel,
    site_labelled,
    site_mueller,
    site_northwind,
    site_tidewater,
    site_vogel,
)
from tests.sites.layout import STOP, Ctx, Response, Site, html_response

SITES: dict[str, Site] = {
    s.host: s
    for s in (
        site_acme.SITE,
        site_mueller.SITE,
        site_dupont.SITE,
        site_northwind.SITE,
        site_broken.SITE,
        site_helio.SITE,
        site_tidewater.SITE,
        *site_kestrel.SITES,
        *site_harbor.SITES,
        *site_vogel.SITES,
        *site_labelled.SITES,
    )
}
HOSTS: tuple[str, ...] = tuple(SITES)

_CLIENT_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)
HOLD_MAX_SECONDS = 300.0
_HOLD_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def split_host(header: str | None) -> str:
    """``Host`` header -> lower-case hostname without port or trailing dot ('' if absent)."""
    if not header:
        return ""
    try:
        name = urlsplit("//" + header.strip()).hostname or ""
    except ValueError:
        return ""
    return name.rstrip(".").lower()


def unknown_host(ctx: Ctx) -> Response:
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>404 Not Found</title></head>
<body><h1>Not Found</h1><p>No site is configured for host <code>{ctx.host or "(none)"}</code>.</p>
<p>Known hosts: {", ".join(HOSTS)}</p></body></html>
"""
    return html_response(page, status=404)


class SitesHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # never join handler threads on close: /slow and /drip would block exit
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], log_file: IO[str] | None = None) -> None:
        super().__init__(address, SitesHandler)
        self.log_file = log_file
        self._log_lock = threading.Lock()
        self.gate_dir = Path(log_file.name).parent if log_file is not None else None
        site_tidewater.STATE_DIR = self.gate_dir

    def hold(self, query: str) -> None:
        """Wait while the request's ``hold`` gate is closed (see the module docstring)."""
        tokens = [t for t in parse_qs(query).get("hold", []) if _HOLD_TOKEN.fullmatch(t)]
        if not tokens or self.gate_dir is None:
            return
        released = self.gate_dir / f"release-{tokens[0]}"
        deadline = time.monotonic() + HOLD_MAX_SECONDS
        while not released.exists() and time.monotonic() < deadline:
            if STOP.wait(0.1):
                return

    def log_json(self, record: dict) -> None:
        if self.log_file is None:
            return
        line = json.dumps(record, ensure_ascii=False)
        with self._log_lock:
            if self.log_file.closed:  # a straggling handler thread after shutdown
                return
            self.log_file.write(line + "\n")
            self.log_file.flush()

    def handle_error(self, request, client_address) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, _CLIENT_GONE):
            return  # the crawler hung up on /slow, /huge, ...: expected
        super().handle_error(request, client_address)


class SitesHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx/1.24.0"
    sys_version = ""
    timeout = 120  # idle keep-alive connections are dropped after this many seconds
    server: SitesHTTPServer

    def version_string(self) -> str:
        return self.server_version

    def _ctx(self) -> Ctx:
        target = urlsplit(self.path)
        authority = self.headers.get("Host", "") or target.netloc
        return Ctx(
            host=split_host(authority),
            authority=authority.strip(),
            path=target.path or "/",
            query=target.query,
            method=self.command,
        )

    def _serve(self, head: bool) -> None:
        ctx = self._ctx()
        self.server.hold(ctx.query)
        site = SITES.get(ctx.host)
        response = site.respond(ctx) if site is not None else unknown_host(ctx)
        if response.stream is not None:
            response.stream(self, ctx, head)
            return
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if not head:
            self.wfile.write(response.body)

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if 0 < length <= 1_000_000:
            self.rfile.read(length)
        body = (
            b"<!DOCTYPE html><html><head><title>405 Method Not Allowed</title></head>"
            b"<body><h1>405 Method Not Allowed</h1></body></html>\n"
        )
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_request(self, code="-", size="-") -> None:
        try:
            status = int(getattr(code, "value", code))
        except (TypeError, ValueError):
            status = None
        headers = getattr(self, "headers", None)
        host_header = headers.get("Host", "") if headers is not None else ""
        path = getattr(self, "path", "")
        if path.startswith(("http://", "https://")):  # absolute-form request target (proxy style)
            parts = urlsplit(path)
            host_header = host_header or parts.netloc
            path = parts.path + (f"?{parts.query}" if parts.query else "")
        self.server.log_json(
            {
                "host": split_host(host_header),
                "path": path,
                "method": getattr(self, "command", None),
                "status": status,
                "ts": round(time.time(), 6),
                "user_agent": headers.get("User-Agent") if headers is not None else None,
            }
        )

    def log_message(self, format: str, *args) -> None:
        pass  # keep stderr quiet; the JSON log is the record


def make_server(port: int = 0, log_file: IO[str] | None = None) -> SitesHTTPServer:
    """A bound (not yet serving) server on 127.0.0.1; call ``serve_forever()`` on it."""
    STOP.clear()
    return SitesHTTPServer(("127.0.0.1", port), log_file)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the LeadScraper test sites on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0 = pick a free one)")
    parser.add_argument("--log", default=None, help="append one JSON line per request to this file")
    args = parser.parse_args(argv)

    log_file = open(args.log, "a", encoding="utf-8") if args.log else None  # noqa: SIM115
    server = make_server(args.port, log_file)

    def stop(signum, frame) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except SystemExit:
        pass
    finally:
        STOP.set()
        server.server_close()
        if log_file is not None:
            with server._log_lock:
                log_file.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
