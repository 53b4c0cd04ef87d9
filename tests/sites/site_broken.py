"""brokenwidgets.net: the hostile site. Its home page links to every failure a crawler must survive.

Each path and what it does (a perfect crawler's outcome is in ``tests/sites/expected.py``):

- ``/error``: always 500 (the error page mentions an address that must not be stored).
- ``/flaky``: always 503 with ``Retry-After: 1``.
- ``/slow``: sends status and headers (``Content-Length`` of a real page), then waits 60 s before the body.
- ``/drip``: ``Content-Length: 3600``, then one byte per second.
- ``/huge``: 50 MiB HTML streamed in 64 KiB chunks, with ``Content-Length``.
- ``/huge-nolength``: the same 50 MiB, ``Transfer-Encoding: chunked``, no ``Content-Length``.
- ``/binary.html``: a PNG header plus 64 KiB of seeded random bytes, served as ``text/html``.
- ``/redirect-loop`` -> 302 ``/redirect-loop2`` -> 302 ``/redirect-loop`` -> ... (absolute ``Location``).
- ``/latin1``: windows-1252 bytes, header ``text/html`` (no charset), ``<meta charset="windows-1252">``.
- ``/wrong-charset``: windows-1252 bytes, header lies ``text/html; charset=utf-8``; meta says windows-1252.
- ``/private/contact``: a page that ``/robots.txt`` disallows (``Disallow: /private/``).
- ``/contact``: a normal page (``hello@brokenwidgets.net`` and the office line).
- ``/file.pdf``: a small valid PDF (``application/pdf``).
- the unlinked start pages of ``site_outcomes.py``: one per URL outcome code (403, 429, captcha...).
"""

# ruff: noqa: E501  (page copy: long lines of HTML prose read better unwrapped)

from __future__ import annotations

import random
import zlib

from tests.sites import site_outcomes
from tests.sites.layout import (
    COOKIE_SCRIPT,
    STOP,
    Ctx,
    Response,
    Site,
    cookie_banner,
    document,
    html_response,
    not_found_main,
    pdf_bytes,
    png_bytes,
    text_response,
)

HOST = "brokenwidgets.net"
NAME = "Broken Widgets"
HUGE_SIZE = 50 * 1024 * 1024
CHUNK = 64 * 1024
SLOW_SECONDS = 60
DRIP_BYTES = 3600


def _header() -> str:
    return """<header class="site-header">
  <div class="container">
    <a class="brand" href="/"><img src="/static/img/brokenwidgets.png" alt="Broken Widgets" width="150" height="40"></a>
    <nav aria-label="Main">
      <ul>
        <li><a href="/">Home</a></li>
        <li><a href="/latin1">Our story</a></li>
        <li><a href="/contact">Contact</a></li>
      </ul>
    </nav>
  </div>
</header>"""


FOOTER = """<footer class="site-footer">
  <div class="container grid">
    <address><strong>BrokenWidgets LLC</strong><br>4410 N Ravenswood Ave, Unit 2<br>Chicago, IL 60640</address>
    <ul class="social">
      <li><a href="https://www.facebook.com/brokenwidgets" rel="noopener" target="_blank">Facebook</a></li>
      <li><a href="https://www.instagram.com/brokenwidgets/" rel="noopener" target="_blank">Instagram</a></li>
    </ul>
  </div>
  <div class="container"><p class="copyright">&copy; 2024 BrokenWidgets LLC. Repairs, refurbishing, no questions asked.</p></div>
</footer>"""


def _doc(ctx: Ctx, title: str, description: str, main: str, *, charset: str = "utf-8") -> str:
    banner = cookie_banner(
        "This site uses cookies for the shopping cart and nothing else.", "OK", "No thanks"
    )
    body = f"{_header()}\n{main}\n{FOOTER}\n{banner}"
    return document(
        ctx,
        lang="en",
        title=title,
        description=description,
        site_name=NAME,
        body=body,
        scripts=COOKIE_SCRIPT,
        charset=charset,
    )


def _page(ctx: Ctx, title: str, description: str, main: str, *, status: int = 200) -> Response:
    return html_response(_doc(ctx, title, description, main), status=status)


def home(ctx: Ctx) -> Response:
    main = """<main id="main" class="container">
  <section class="hero">
    <h1>Broken widgets? We fix them.</h1>
    <p class="lead">Since 2011 BrokenWidgets has repaired, refurbished and resold industrial widgets, sprockets
    and actuators for workshops all over the Midwest. Send us your broken parts, get them back working &ndash;
    or trade them in for refurbished stock with a 12-month warranty.</p>
  </section>
  <section>
    <h2>Shop &amp; service</h2>
    <ul class="link-list">
      <li><a href="/huge">Full parts catalog</a> (every widget we have ever stocked)</li>
      <li><a href="/huge-nolength">Live catalog feed</a></li>
      <li><a href="/drip">Live inventory ticker</a></li>
      <li><a href="/slow">Track your repair order</a></li>
      <li><a href="/flaky">Store locator</a></li>
      <li><a href="/error">Dealer login</a></li>
      <li><a href="/redirect-loop">Partner portal</a></li>
      <li><a href="/binary.html">Widget photo gallery</a></li>
      <li><a href="/file.pdf">Repair price list (PDF)</a></li>
      <li><a href="/bomb">Compressed spec sheets</a></li>
    </ul>
  </section>
  <section>
    <h2>About us</h2>
    <ul class="link-list">
      <li><a href="/latin1">Our story</a></li>
      <li><a href="/wrong-charset">Meet our customer success lead</a></li>
      <li><a href="/private/contact">Staff directory</a></li>
      <li><a href="/contact">Contact us</a></li>
    </ul>
    <p>Our workshop on the North Side handles about 300 repairs a month. Most orders ship back within five
    business days.</p>
  </section>
</main>"""
    return _page(
        ctx,
        "BrokenWidgets – Widget repair and refurbishing, Chicago",
        "Industrial widget repair, refurbishing and trade-ins from Chicago.",
        main,
    )


def contact(ctx: Ctx) -> Response:
    main = """<main id="main" class="container narrow">
  <h1>Contact us</h1>
  <p>Questions about a repair, a quote or a trade-in? Drop us a line. We answer every email within one business
  day.</p>
  <section class="card">
    <h2>Email</h2>
    <p><a href="mailto:hello@brokenwidgets.net">hello@brokenwidgets.net</a></p>
  </section>
  <section class="card">
    <h2>Phone</h2>
    <p><a href="tel:+13125550188">+1 (312) 555-0188</a></p>
    <p>Monday&ndash;Friday 9&nbsp;am to 5&nbsp;pm, Saturday 10&nbsp;am to 2&nbsp;pm.</p>
  </section>
  <section>
    <h2>Drop-off</h2>
    <p>Bring your parts to 4410 N Ravenswood Ave, Unit 2 (entrance on the alley side). Free parking for
    customers in the lot next to the loading dock.</p>
  </section>
</main>"""
    return _page(ctx, "Contact | BrokenWidgets", "Contact BrokenWidgets in Chicago.", main)


def private_contact(ctx: Ctx) -> Response:
    main = """<main id="main" class="container narrow">
  <h1>Staff directory (internal)</h1>
  <p>For employees only. Please do not share this page outside the company.</p>
  <article class="team-card">
    <h3>Morgan Reyes</h3>
    <p class="role">Operations Manager</p>
    <p><a href="mailto:secret.person@brokenwidgets.net">secret.person@brokenwidgets.net</a></p>
    <p>Ext. 214 &middot; <a href="tel:+13125550199">+1 (312) 555-0199</a></p>
  </article>
</main>"""
    return _page(ctx, "Staff directory | BrokenWidgets", "Internal staff directory.", main)


def _cp1252_page(ctx: Ctx, *, content_type: str, title: str, main: str) -> Response:
    body = _doc(ctx, title, "The story of BrokenWidgets.", main, charset="windows-1252").encode("cp1252")
    return Response(body=body, content_type=content_type)


def latin1(ctx: Ctx) -> Response:
    main = """<main id="main" class="container narrow">
  <h1>Our story</h1>
  <p>BrokenWidgets started in 2011 when Jürgen Weiß, a machinist from Stuttgart, couldn’t find anyone in Chicago
  willing to fix a single worn-out gear actuator. So he fixed it himself – and then the next fifty.</p>
  <p>Today the workshop employs twelve people and keeps a stock of more than 8,000 refurbished parts. Jürgen
  still inspects every trade-in personally; “if it can be fixed, it should be fixed” is printed above the door.</p>
  <article class="team-card">
    <h3>Jürgen Weiß</h3>
    <p class="role">Founder &amp; CEO</p>
    <p><a href="mailto:j.weiss@brokenwidgets.net">j.weiss@brokenwidgets.net</a></p>
  </article>
</main>"""
    return _cp1252_page(ctx, content_type="text/html", title="Our story | BrokenWidgets", main=main)


def wrong_charset(ctx: Ctx) -> Response:
    main = """<main id="main" class="container narrow">
  <h1>Meet Renée</h1>
  <p>Renée Faßbender joined BrokenWidgets in 2019 and built our customer success team from scratch. If a repair
  is late or a part doesn’t fit, she is the person who makes it right – usually the same day.</p>
  <article class="team-card">
    <h3>Renée Faßbender</h3>
    <p class="role">Head of Customer Success</p>
    <p><a href="mailto:r.fassbender@brokenwidgets.net">r.fassbender@brokenwidgets.net</a></p>
  </article>
</main>"""
    return _cp1252_page(
        ctx, content_type="text/html; charset=utf-8", title="Meet Renée | BrokenWidgets", main=main
    )


def error(ctx: Ctx) -> Response:
    page = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>500 Internal Server Error</title></head>
<body><h1>Internal Server Error</h1>
<p>The dealer portal is temporarily unavailable. If this keeps happening, email
<a href="mailto:webmaster@brokenwidgets.net">webmaster@brokenwidgets.net</a>.</p>
<hr><address>nginx</address></body></html>
"""
    return html_response(page, status=500)


def flaky(ctx: Ctx) -> Response:
    page = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>503 Service Unavailable</title></head>
<body><h1>Service Unavailable</h1><p>The store locator is down for maintenance. Try again in a moment.</p>
<p>Status updates: <a href="mailto:status@brokenwidgets.net">status@brokenwidgets.net</a></p></body></html>
"""
    return html_response(page, status=503, headers=[("Retry-After", "1")])


def redirect(target: str):
    def handler(ctx: Ctx) -> Response:
        location = ctx.abs(target)
        body = f'<!DOCTYPE html><html><head><title>302 Found</title></head><body><p>Moved to <a href="{location}">{location}</a>.</p></body></html>\n'
        return html_response(body, status=302, headers=[("Location", location)])

    return handler


def _safe_write(handler, data: bytes) -> bool:
    """Write and flush; False once the client is gone (the handler then closes the connection)."""
    try:
        handler.wfile.write(data)
        handler.wfile.flush()
        return True
    except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError, OSError):
        handler.close_connection = True
        return False


def _slow_writer(handler, ctx: Ctx, head: bool) -> None:
    body = _doc(
        ctx,
        "Repair order status | BrokenWidgets",
        "Track your repair.",
        """<main id="main" class="container narrow">
  <h1>Repair order status</h1>
  <p>Your order is in the queue. Questions? <a href="mailto:late@brokenwidgets.net">late@brokenwidgets.net</a></p>
</main>""",
    ).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    if not _safe_write(handler, b"") or head:
        return
    STOP.wait(SLOW_SECONDS)
    handler.close_connection = True
    if not STOP.is_set():
        _safe_write(handler, body)


def _drip_writer(handler, ctx: Ctx, head: bool) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(DRIP_BYTES))
    handler.end_headers()
    handler.close_connection = True
    if not _safe_write(handler, b"") or head:
        return
    text = b'<!DOCTYPE html><html lang="en"><head><title>Inventory</title></head><body><p>Loading inventory'
    payload = (text + b"." * DRIP_BYTES)[:DRIP_BYTES]
    for i in range(DRIP_BYTES):
        if not _safe_write(handler, payload[i : i + 1]) or STOP.wait(1.0):
            return


_HUGE_PREFIX = b"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Full parts catalog | BrokenWidgets</title></head>
<body>
<h1>Full parts catalog</h1>
<p>Questions about a part number? Email <a href="mailto:catalog@brokenwidgets.net">catalog@brokenwidgets.net</a>.</p>
<table>
<thead><tr><th>Part no.</th><th>Description</th><th>Condition</th><th>Price</th></tr></thead>
<tbody>
"""
_HUGE_SUFFIX = b"</tbody>\n</table>\n</body>\n</html>\n"


def _huge_block() -> bytes:
    """One 64 KiB block of catalog rows (padded with newlines to exactly CHUNK bytes)."""
    kinds = [
        "Hex widget, zinc-plated",
        "Spur gear actuator",
        "Roller chain sprocket",
        "Cam follower",
        "Linear bearing block",
        "Worm gear reducer",
    ]
    rows, size, n = [], 0, 0
    while True:
        row = (
            f"<tr><td>BW-{n:06d}</td><td>{kinds[n % len(kinds)]}, {8 + n % 40} mm</td>"
            f"<td>{'Refurbished' if n % 3 else 'New old stock'}</td><td>${(n % 97) + 0.49:.2f}</td></tr>\n"
        ).encode()
        if size + len(row) > CHUNK:
            break
        rows.append(row)
        size += len(row)
        n += 1
    return b"".join(rows) + b"\n" * (CHUNK - size)


_HUGE_BLOCK = _huge_block()


def _huge_parts():
    """The 50 MiB body in pieces of at most CHUNK bytes, summing to exactly HUGE_SIZE."""
    yield _HUGE_PREFIX
    remaining = HUGE_SIZE - len(_HUGE_PREFIX) - len(_HUGE_SUFFIX)
    while remaining >= CHUNK:
        yield _HUGE_BLOCK
        remaining -= CHUNK
    yield b"\n" * remaining
    yield _HUGE_SUFFIX


def _huge_writer(handler, ctx: Ctx, head: bool) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(HUGE_SIZE))
    handler.end_headers()
    if head:
        return
    for part in _huge_parts():
        if STOP.is_set() or not _safe_write(handler, part):
            handler.close_connection = True
            return


def _huge_chunked_writer(handler, ctx: Ctx, head: bool) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    if head:
        return
    for part in _huge_parts():
        if not part:
            continue
        if STOP.is_set() or not _safe_write(handler, b"%x\r\n%s\r\n" % (len(part), part)):
            handler.close_connection = True
            return
    _safe_write(handler, b"0\r\n\r\n")


def _stream(writer):
    return lambda ctx: Response(stream=writer)


_BINARY = png_bytes(4, 4) + random.Random(20240115).randbytes(64 * 1024)


def binary(ctx: Ctx) -> Response:
    return Response(body=_BINARY, content_type="text/html")


_PDF = pdf_bytes(
    [
        "BrokenWidgets LLC - Repair price list 2024",
        "Gear actuator overhaul ............ $149.00",
        "Sprocket re-cut ..................... $39.00",
        "Bearing block refurbishment ........ $64.50",
        "Orders: orders@brokenwidgets.net",
    ]
)


def file_pdf(ctx: Ctx) -> Response:
    return Response(
        body=_PDF,
        content_type="application/pdf",
        headers=[("Content-Disposition", 'inline; filename="price-list-2024.pdf"')],
    )


def robots(ctx: Ctx) -> Response:
    return text_response("User-agent: *\nDisallow: /private/\n")


_BOMB_SIZE = 200 * 1024 * 1024  # 200 MiB of zeros once inflated; about 200 KiB on the wire
_BOMB: bytes | None = None


def bomb(ctx: Ctx) -> Response:
    """A gzip bomb: a small compressed body that inflates far beyond any download cap."""
    global _BOMB
    if _BOMB is None:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
        chunk = b"\0" * (1024 * 1024)
        _BOMB = b"".join(compressor.compress(chunk) for _ in range(_BOMB_SIZE // len(chunk)))
        _BOMB += compressor.flush()
    return Response(
        body=_BOMB, content_type="text/html; charset=utf-8", headers=[("Content-Encoding", "gzip")]
    )


def maze(ctx: Ctx) -> Response:
    """/maze/<n>: an endless link maze; every page links to ten pages nobody has seen yet."""
    try:
        n = int(ctx.path.rsplit("/", 1)[1])
    except ValueError:
        n = 0
    links = "".join(
        f'<li><a href="/maze/{n * 10 + i}">Archive section {n * 10 + i}</a></li>' for i in range(1, 11)
    )
    main = f"""<main id="main" class="container">
  <h1>Parts archive, section {n}</h1>
  <p>Every widget part we have ever listed, grouped by the year it was introduced and the catalog it
  appeared in. Pick a section to narrow the list down.</p>
  <ul class="link-list">{links}</ul>
</main>"""
    return _page(ctx, f"Parts archive {n} | BrokenWidgets", "Parts archive.", main)


def not_found(ctx: Ctx) -> Response:
    if ctx.path.startswith("/maze/"):
        return maze(ctx)
    return _page(
        ctx,
        "Not found | BrokenWidgets",
        "Page not found.",
        not_found_main("404 &ndash; Not found", "That page is broken beyond repair.", "Home"),
        status=404,
    )


SITE = Site(
    host=HOST,
    name=NAME,
    routes={
        "/": home,
        "/contact": contact,
        "/private/contact": private_contact,
        "/latin1": latin1,
        "/wrong-charset": wrong_charset,
        "/error": error,
        "/flaky": flaky,
        "/slow": _stream(_slow_writer),
        "/drip": _stream(_drip_writer),
        "/huge": _stream(_huge_writer),
        "/huge-nolength": _stream(_huge_chunked_writer),
        "/binary.html": binary,
        "/redirect-loop": redirect("/redirect-loop2"),
        "/redirect-loop2": redirect("/redirect-loop"),
        "/file.pdf": file_pdf,
        "/bomb": bomb,
        "/robots.txt": robots,
        **site_outcomes.ROUTES,  # one start URL per outcome code, linked from nowhere
    },
    not_found=not_found,
)
