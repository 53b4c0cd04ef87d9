"""brokenwidgets.net's pages for the per-URL outcome codes: one start URL per way a site can end.

None of them is linked from the site's home page, and none links to the rest of the site (no
header, no nav), so a crawl of one of them reads that page and its own links only:

- ``/card``: a bare page with one address (``card@brokenwidgets.net``) and no links: ``ok``.
- ``/quiet``: a bare page with text and no contact, no links: ``no_contacts``.
- ``/forbidden``: 403; ``/members``: 401: ``blocked``.
- ``/challenge``: 503 with ``cf-mitigated: challenge`` and a captcha form: ``blocked``.
- ``/human-check``: 200, a "Just a moment..." page with a captcha and nothing else: ``blocked``.
- ``/busy``: 429 with ``Retry-After: 1``, always: ``rate_limited``.
- ``/gone``: 404: ``http_error``.
- ``/conference``: a conference programme whose first 12 links are broken (``/conference/talks/<n>``,
  404) and whose last 8 are speakers' pages (``/conference/speakers/<n>``, one address each:
  ``speaker<n>@brokenwidgets.net``): the page cap must count pages read, not broken links.
- ``/dead-ends``: 30 links, all broken (``/dead-ends/<n>``, 404): the failed-page bound stops it.
"""

from __future__ import annotations

from tests.sites.layout import Ctx, Handler, Response, html_response

CONFERENCE_BROKEN = 12
CONFERENCE_SPEAKERS = 8
DEAD_ENDS = 30


def _bare(title: str, main: str, status: int = 200, headers: list[tuple[str, str]] | None = None) -> Response:
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main>{main}</main></body></html>
"""
    return html_response(page, status=status, headers=headers)


def card(ctx: Ctx) -> Response:
    return _bare(
        "Repairs desk | BrokenWidgets",
        "<h1>Repairs desk</h1><p>Send your broken widget's details to "
        '<a href="mailto:card@brokenwidgets.net">card@brokenwidgets.net</a>.</p>',
    )


def quiet(ctx: Ctx) -> Response:
    return _bare(
        "Our workshop | BrokenWidgets",
        "<h1>Our workshop</h1><p>Every widget is taken apart, cleaned, and put back together by hand. "
        "We have been doing this for twelve years in the same small workshop.</p>",
    )


def forbidden(ctx: Ctx) -> Response:
    return _bare("403 Forbidden", "<h1>Forbidden</h1><p>You do not have access.</p>", status=403)


def members(ctx: Ctx) -> Response:
    return _bare(
        "401 Unauthorized",
        "<h1>Members only</h1>",
        status=401,
        headers=[("WWW-Authenticate", 'Basic realm="members"')],
    )


def challenge(ctx: Ctx) -> Response:
    return _bare(
        "Just a moment...",
        '<h1>Checking your browser</h1><form id="challenge-form"><div class="h-captcha" '
        'data-sitekey="10000000-ffff-ffff-ffff-000000000001"></div></form>',
        status=503,
        headers=[("cf-mitigated", "challenge")],
    )


def human_check(ctx: Ctx) -> Response:
    return _bare(
        "Just a moment...",
        '<h1>Verify you are human</h1><form><div class="g-recaptcha" data-sitekey="6Lc_test"></div></form>',
    )


def busy(ctx: Ctx) -> Response:
    return _bare("429 Too Many Requests", "<h1>Slow down</h1>", status=429, headers=[("Retry-After", "1")])


def gone(ctx: Ctx) -> Response:
    return _bare("404 Not Found", "<h1>Not found</h1>", status=404)


def conference(ctx: Ctx) -> Response:
    talks = "".join(
        f'<li><a href="/conference/talks/{n}">Talk {n}</a></li>' for n in range(1, CONFERENCE_BROKEN + 1)
    )
    speakers = "".join(
        f'<li><a href="/conference/speakers/{n}">Speaker {n}</a></li>'
        for n in range(1, CONFERENCE_SPEAKERS + 1)
    )
    return _bare(
        "Widget Repair Summit 2024",
        f"<h1>Widget Repair Summit 2024</h1><h2>Talks</h2><ul>{talks}</ul>"
        f"<h2>Speakers</h2><ul>{speakers}</ul>",
    )


def speaker(n: int) -> Handler:
    def page(ctx: Ctx) -> Response:
        address = f"speaker{n}@brokenwidgets.net"
        return _bare(
            f"Speaker {n} | Widget Repair Summit",
            f'<h1>Speaker {n}</h1><p>Write to <a href="mailto:{address}">{address}</a>.</p>',
        )

    return page


def dead_ends(ctx: Ctx) -> Response:
    links = "".join(f'<li><a href="/dead-ends/{n}">Part {n}</a></li>' for n in range(1, DEAD_ENDS + 1))
    return _bare("Discontinued parts | BrokenWidgets", f"<h1>Discontinued parts</h1><ul>{links}</ul>")


ROUTES = {
    "/card": card,
    "/quiet": quiet,
    "/forbidden": forbidden,
    "/members": members,
    "/challenge": challenge,
    "/human-check": human_check,
    "/busy": busy,
    "/gone": gone,
    "/conference": conference,
    "/dead-ends": dead_ends,
    **{f"/conference/speakers/{n}": speaker(n) for n in range(1, CONFERENCE_SPEAKERS + 1)},
}
