"""tidewater-routing.com: a route-planning SaaS whose site changes between two crawls.

The site has two states, chosen by the file ``state-tidewater`` next to the request log
(``SitesServer.set_state("tidewater", "v2")``); without it, ``v1``:

    v1  /           home: "route-planning SaaS", free trial; nav to pricing and contact
        /pricing    three plans, $12 and $24 per user / month, Enterprise on request
        /contact    Nora Quist, Co-founder & CEO (nora.quist@), hello@
    v2  /           the same home; nav to careers and contact (pricing is gone: 404)
        /careers    "We're hiring": three job cards
        /contact    the same

A re-crawl after the switch must find hiring as a new signal (``company.signal_detected``, a higher
score for Nora) and mark has_pricing_page as ended.
"""

# ruff: noqa: E501  (page copy: long lines of HTML prose read better unwrapped)

from __future__ import annotations

from pathlib import Path

from tests.sites.layout import Ctx, Response, Site, document, html_response, not_found_main

HOST = "tidewater-routing.com"
NAME = "Tidewater Routing"
STATE_DIR: Path | None = None  # set by the server: where ``state-tidewater`` is looked for


def state() -> str:
    path = STATE_DIR / "state-tidewater" if STATE_DIR is not None else None
    if path is not None and path.exists():
        return path.read_text(encoding="utf-8").strip() or "v1"
    return "v1"


def _page(ctx: Ctx, title: str, main: str) -> Response:
    links = ['<a href="/">Home</a>']
    links.append('<a href="/pricing">Pricing</a>' if state() == "v1" else '<a href="/careers">Careers</a>')
    links.append('<a href="/contact">Contact</a>')
    body = f"""<header><nav>{" ".join(links)}</nav></header>
<main>{main}</main>
<footer><p>&copy; 2026 Tidewater Routing Inc., Portland, OR</p></footer>"""
    return html_response(
        document(
            ctx,
            lang="en",
            title=f"{title} | {NAME}",
            description="Route planning for delivery fleets",
            site_name=NAME,
            body=body,
        )
    )


def home(ctx: Ctx) -> Response:
    return _page(
        ctx,
        "Route planning for delivery fleets",
        """<h1>Plan every route in minutes</h1>
<p>Tidewater is a route-planning SaaS for delivery fleets: plan, dispatch and track from the browser.</p>
<p><a class="btn" href="/contact">Start your free trial</a></p>""",
    )


def pricing(ctx: Ctx) -> Response:
    if state() != "v1":
        return not_found(ctx)
    return _page(
        ctx,
        "Pricing",
        """<h1>Pricing</h1>
<div class="plans"><div class="plan"><h3>Starter</h3><p>$12 per user / month</p></div>
<div class="plan"><h3>Team</h3><p>$24 per user / month</p></div>
<div class="plan"><h3>Enterprise</h3><p>Contact sales</p></div></div>""",
    )


def careers(ctx: Ctx) -> Response:
    if state() == "v1":
        return not_found(ctx)
    return _page(
        ctx,
        "Careers",
        """<h1>We're hiring</h1><p>Help delivery fleets waste fewer miles.</p>
<article class="job"><h3>Backend Engineer</h3><p>Portland or remote</p></article>
<article class="job"><h3>Account Executive</h3><p>Portland</p></article>
<article class="job"><h3>Customer Success Manager</h3><p>Remote, US</p></article>""",
    )


def contact(ctx: Ctx) -> Response:
    return _page(
        ctx,
        "Contact",
        """<h1>Contact</h1>
<div class="person"><h3>Nora Quist</h3><p>Co-founder &amp; CEO</p><p><a href="mailto:nora.quist@tidewater-routing.com">nora.quist@tidewater-routing.com</a></p></div>
<p>General questions: <a href="mailto:hello@tidewater-routing.com">hello@tidewater-routing.com</a></p>""",
    )


def not_found(ctx: Ctx) -> Response:
    return html_response(
        document(
            ctx,
            lang="en",
            title=f"Not found | {NAME}",
            description="",
            site_name=NAME,
            body=not_found_main("Page not found", "Nothing here.", "Home"),
        ),
        status=404,
    )


SITE = Site(
    host=HOST,
    name=NAME,
    routes={"/": home, "/pricing": pricing, "/careers": careers, "/contact": contact},
    not_found=not_found,
)
