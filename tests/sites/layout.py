"""Shared plumbing for the test sites: request context, responses, HTML skeleton, small assets.

Nothing here knows about a particular site; ``site_*.py`` modules build their pages from it and
``server.py`` routes requests to them.
"""

from __future__ import annotations

import html
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from http.server import BaseHTTPRequestHandler

esc = html.escape


@dataclass(frozen=True)
class Ctx:
    """One request as the pages see it.

    ``host`` is the site name (lower-case, port stripped); ``authority`` is the ``Host`` header as
    sent (``acme-robotics.com:8123``), so absolute links built with :meth:`abs` carry the right port.
    """

    host: str
    authority: str
    path: str  # path only, no query string
    query: str = ""
    method: str = "GET"

    @property
    def base(self) -> str:
        return f"http://{self.authority}"

    def abs(self, path: str) -> str:
        """Absolute URL on the requested host (and port)."""
        return self.base + path


# A stream writer gets the handler, the context and ``head`` (True for HEAD requests) and sends the
# whole response itself: status line, headers and body, at whatever pace it likes.
StreamWriter = Callable[["BaseHTTPRequestHandler", Ctx, bool], None]


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    stream: StreamWriter | None = None


def html_response(text: str, status: int = 200, *, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(status=status, body=text.encode("utf-8"), headers=list(headers or []))


def text_response(text: str, content_type: str = "text/plain; charset=utf-8", status: int = 200) -> Response:
    return Response(status=status, body=text.encode("utf-8"), content_type=content_type)


Handler = Callable[[Ctx], Response]


@dataclass
class Site:
    """A virtual host: its routes (exact paths) and its own 404 page."""

    host: str
    name: str
    routes: dict[str, Handler]
    not_found: Handler

    def respond(self, ctx: Ctx) -> Response:
        handler = self.routes.get(ctx.path)
        if handler is not None:
            return handler(ctx)
        static = static_asset(ctx.path)
        if static is not None:
            return static
        return self.not_found(ctx)


# --------------------------------------------------------------------------------------------------
# HTML skeleton


def document(
    ctx: Ctx,
    *,
    lang: str,
    title: str,
    description: str,
    site_name: str,
    body: str,
    head_extra: str = "",
    scripts: str = "",
    charset: str = "utf-8",
    body_class: str = "",
) -> str:
    """A complete HTML5 document with the usual head: title, description, canonical, Open Graph."""
    url = ctx.abs(ctx.path)
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="{charset}">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{esc(title)}</title>
  <meta name="description" content="{esc(description)}">
  <link rel="canonical" href="{url}">
  <meta property="og:site_name" content="{esc(site_name)}">
  <meta property="og:title" content="{esc(title)}">
  <meta property="og:description" content="{esc(description)}">
  <meta property="og:type" content="website">
  <meta property="og:url" content="{url}">
  <link rel="icon" href="/favicon.ico">
  <link rel="stylesheet" href="/static/css/site.css">
{head_extra}</head>
<body class="{body_class}">
{body}
{scripts}
</body>
</html>
"""


def cookie_banner(text: str, accept: str, reject: str, link: str = "") -> str:
    return f"""<div class="cookie-banner" id="cookie-banner" role="dialog" aria-live="polite" hidden>
  <p>{text} {link}</p>
  <div class="cookie-actions">
    <button type="button" data-consent="all">{accept}</button>
    <button type="button" data-consent="necessary">{reject}</button>
  </div>
</div>"""


COOKIE_SCRIPT = """<script>
  (function () {
    var banner = document.getElementById('cookie-banner');
    if (!banner) return;
    try {
      if (!window.localStorage.getItem('cookie-consent')) banner.hidden = false;
    } catch (e) { banner.hidden = false; }
    banner.addEventListener('click', function (ev) {
      var choice = ev.target && ev.target.getAttribute('data-consent');
      if (!choice) return;
      try { window.localStorage.setItem('cookie-consent', choice); } catch (e) {}
      banner.hidden = true;
    });
  })();
</script>"""


def analytics_script(measurement_id: str) -> str:
    return f"""<script async src="https://www.googletagmanager.com/gtag/js?id={measurement_id}"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){{dataLayer.push(arguments);}}
  gtag('js', new Date());
  gtag('config', '{measurement_id}', {{ anonymize_ip: true }});
</script>"""


def not_found_main(heading: str, text: str, home_label: str) -> str:
    return f"""<main id="main" class="container narrow">
  <h1>{heading}</h1>
  <p>{text}</p>
  <p><a href="/">{home_label}</a></p>
</main>"""


# --------------------------------------------------------------------------------------------------
# Cloudflare email obfuscation


def cf_encode(email: str, key: int = 0x5A) -> str:
    """Cloudflare's ``data-cfemail`` encoding: hex key byte, then each byte XOR key, as hex."""
    return f"{key:02x}" + "".join(f"{b ^ key:02x}" for b in email.encode("utf-8"))


def cf_decode(encoded: str) -> str:
    key = int(encoded[:2], 16)
    return bytes(int(encoded[i : i + 2], 16) ^ key for i in range(2, len(encoded), 2)).decode("utf-8")


# --------------------------------------------------------------------------------------------------
# Small binary assets


def png_bytes(width: int = 1, height: int = 1, rgb: tuple[int, int, int] = (34, 85, 136)) -> bytes:
    """A valid, tiny, single-colour PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def pdf_bytes(lines: list[str]) -> bytes:
    """A minimal but valid one-page PDF showing ``lines`` (ASCII) in Helvetica."""

    def pdf_str(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text_ops = ["BT", "/F1 12 Tf", "72 720 Td", "16 TL"]
    for line in lines:
        text_ops.append(f"({pdf_str(line)}) Tj T*")
    text_ops.append("ET")
    content = "\n".join(text_ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref_at = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)


SITE_CSS = """:root{--ink:#1d2733;--muted:#5b6775;--accent:#225588;--bg:#fff;--soft:#f3f5f8}
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
  background:var(--bg)}
.container{max-width:1120px;margin:0 auto;padding:0 24px}.narrow{max-width:760px}
.site-header{border-bottom:1px solid #e3e7ec}
.site-header .container{display:flex;align-items:center;justify-content:space-between;height:72px}
nav ul{list-style:none;display:flex;gap:24px;margin:0;padding:0}nav a{color:var(--ink);text-decoration:none}
.btn{background:var(--accent);color:#fff!important;padding:8px 16px;border-radius:6px}
.hero{background:var(--soft);padding:72px 0}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(240px,1fr));gap:24px}
.card,.team-card{border:1px solid #e3e7ec;border-radius:10px;padding:20px}
.site-footer{background:#111a24;color:#cfd6de;padding:48px 0;margin-top:64px}.site-footer a{color:#fff}
.cookie-banner{position:fixed;bottom:16px;left:16px;right:16px;background:#fff;border:1px solid #ccd;
  padding:16px;border-radius:8px;box-shadow:0 4px 24px rgba(0,0,0,.12)}
.skip-link{position:absolute;left:-999px}.skip-link:focus{left:8px;top:8px}
"""

FAVICON = png_bytes(16, 16)
_IMAGE = png_bytes(2, 2)
_CACHE = ("Cache-Control", "public, max-age=86400")


def static_asset(path: str) -> Response | None:
    """Assets every site shares: a stylesheet, a favicon and a placeholder for any image."""
    if path == "/static/css/site.css":
        return Response(body=SITE_CSS.encode(), content_type="text/css; charset=utf-8", headers=[_CACHE])
    if path == "/favicon.ico":
        return Response(body=FAVICON, content_type="image/png", headers=[_CACHE])
    if path.startswith("/static/img/") and path.rsplit(".", 1)[-1] in {"png", "jpg", "jpeg", "webp", "gif"}:
        return Response(body=_IMAGE, content_type="image/png", headers=[_CACHE])
    return None


# Set by the server when it shuts down, so handlers that sleep on purpose (/slow, /drip) wake up.
import threading  # noqa: E402

STOP = threading.Event()
