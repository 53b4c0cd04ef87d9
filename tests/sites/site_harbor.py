"""harborquay.com: a law firm whose people sit two and three links deep, never next to their e-mail.

Harbor & Quay LLP, a Boston firm (English, US). Unlike the other sites, no page a home-page link
reaches names anybody, the team page is a table with no e-mail in it, the lawyers' addresses are
listed on a separate page without their names, and one partner appears only in prose:

    /                        home: "The Firm" and "Insights" in the nav; footer on every page with
                             the address, the main line and the firm's LinkedIn and X profiles
                             (icon links, the only place they appear)
    /insights                depth 1: two article teasers, no contacts
    /firm                    depth 1: about the firm; links to its people and its offices
    /firm/people             depth 2: a staff table (Name | Position | Direct line), no e-mails:
                             Ruth Calloway (direct line), Daniel Okonkwo, Sofia Lindqvist (direct
                             line), Marcus Feld (no contact point at all); a link to the partners' page
    /firm/people/founders    depth 3: prose only: "Meet Helen Arbuthnot, our founding partner ..." with
                             her address in the same paragraph
    /firm/offices            depth 2: info@, the main line, and "Lawyers' direct e-mail" as a bare list
                             of addresses with no names: ruth.calloway@, dokonkwo@, sofia.lindqvist@

Who must arrive as a lead after a crawl to depth 3 (hand-written): ``PEOPLE`` (each named person,
with the address on /firm/offices that spells their name), ``ROLE_LEADS`` (the company's info@ and
main line), ``COMPANY_PROFILES`` (the footer's) and ``ADDRESS``. A crawl to depth 1 reaches nobody:
only ``ROLE_LEADS``' main line, which every page's footer shows.
"""

# ruff: noqa: E501  (page copy: long lines of HTML prose read better unwrapped)

from __future__ import annotations

from tests.sites.layout import Ctx, Response, Site, document, html_response, not_found_main

HARBOR = "harborquay.com"
COMPANY_NAME = "Harbor & Quay"

# (full name, job title, email, phone, linkedin)
PEOPLE: tuple[tuple[str, str, str | None, str | None, str | None], ...] = (
    ("Ruth Calloway", "Managing Partner", "ruth.calloway@harborquay.com", "+16175550171", None),
    ("Daniel Okonkwo", "Partner", "dokonkwo@harborquay.com", None, None),
    ("Sofia Lindqvist", "Senior Associate", "sofia.lindqvist@harborquay.com", "+16175550176", None),
    ("Marcus Feld", "Paralegal", None, None, None),
    ("Helen Arbuthnot", "Founding Partner", "helen.arbuthnot@harborquay.com", None, None),
)
MAIN_LINE = "+16175550140"
ROLE_LEADS: tuple[tuple[str | None, str | None], ...] = (("info@harborquay.com", None), (None, MAIN_LINE))
COMPANY_PROFILES = {
    "linkedin": "https://linkedin.com/company/harbor-quay-llp",
    "twitter": "https://x.com/harborquaylaw",
}
LANGS = {HARBOR: "en"}
ADDRESS = {
    "street": "200 Atlantic Avenue, Suite 900",
    "postal_code": "02110",
    "city": "Boston",
    "region": "MA",
    "country": "US",
}
# the depth of every page (shortest chain of links from "/")
PAGES = {
    "/": 0,
    "/insights": 1,
    "/firm": 1,
    "/firm/people": 2,
    "/firm/offices": 2,
    "/firm/people/founders": 3,
}

_LINKEDIN_ICON = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h4v16H4zM10 9h4v2c1-2 6-3 6 2v7h-4v-6c0-2-2-2-2 0v6h-4z"/></svg>'
_X_ICON = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M3 3l18 18M21 3L3 21"/></svg>'


def _page(ctx: Ctx, title: str, main: str, *, status: int = 200) -> Response:
    body = f"""<header class="masthead">
  <a href="/" class="brand"><img src="/static/img/harbor-quay.png" alt="Harbor &amp; Quay LLP" width="180" height="44"></a>
  <nav class="primary"><a href="/">Home</a> <a href="/firm">The Firm</a> <a href="/insights">Insights</a></nav>
</header>
{main}
<footer class="colophon">
  <div class="colophon__address">
    Harbor &amp; Quay LLP<br>
    200 Atlantic Avenue, Suite 900<br>
    Boston, MA 02110
  </div>
  <div class="colophon__phone">Main +1 (617) 555-0140</div>
  <div class="colophon__social">
    <a href="https://www.linkedin.com/company/harbor-quay-llp/" aria-label="Harbor &amp; Quay on LinkedIn">{_LINKEDIN_ICON}</a>
    <a href="https://twitter.com/harborquaylaw" aria-label="Harbor &amp; Quay on X">{_X_ICON}</a>
  </div>
  <p class="colophon__legal">Attorney advertising. Prior results do not guarantee a similar outcome. &copy; 2025 Harbor &amp; Quay LLP.</p>
</footer>"""
    return html_response(
        document(
            ctx,
            lang="en",
            title=title,
            description="Harbor & Quay LLP advises shipping, logistics and trade businesses from Boston.",
            site_name=COMPANY_NAME,
            body=body,
        ),
        status=status,
    )


def home(ctx: Ctx) -> Response:
    main = """<main class="hero">
  <h1>Counsel for the businesses that move goods</h1>
  <p>Since 1987 we have advised carriers, ports, freight forwarders and the companies that depend on
  them: charter disputes, cargo claims, customs and trade compliance, and the contracts that keep
  them out of court.</p>
  <p><a href="/firm">About the firm</a></p>
</main>"""
    return _page(ctx, "Harbor & Quay LLP – Maritime and trade law, Boston", main)


def insights(ctx: Ctx) -> Response:
    main = """<main class="listing">
  <h1>Insights</h1>
  <article><h2><a href="/insights">What the new port-state rules mean for charterers</a></h2>
  <p>Detention periods are getting longer. Here is how to draft for it.</p></article>
  <article><h2><a href="/insights">Five clauses every freight forwarding agreement needs</a></h2>
  <p>Liability caps, lien rights and the rest of the list.</p></article>
</main>"""
    return _page(ctx, "Insights – Harbor & Quay LLP", main)


def firm(ctx: Ctx) -> Response:
    main = """<main class="prose">
  <h1>The Firm</h1>
  <p>Harbor &amp; Quay is a firm of eleven lawyers and staff on the Boston waterfront. We take on
  fewer matters than larger firms, and a partner leads every one of them.</p>
  <ul class="more">
    <li><a href="/firm/people">Our people</a></li>
    <li><a href="/firm/offices">Offices and contact</a></li>
  </ul>
</main>"""
    return _page(ctx, "The Firm – Harbor & Quay LLP", main)


def people(ctx: Ctx) -> Response:
    main = """<main class="prose">
  <h1>Our people</h1>
  <table class="staff">
    <thead><tr><th>Name</th><th>Position</th><th>Direct line</th></tr></thead>
    <tbody>
      <tr><td>Ruth Calloway</td><td>Managing Partner</td><td>+1 617 555 0171</td></tr>
      <tr><td>Daniel Okonkwo</td><td>Partner</td><td>&mdash;</td></tr>
      <tr><td>Sofia Lindqvist</td><td>Senior Associate</td><td>+1 617 555 0176</td></tr>
      <tr><td>Marcus Feld</td><td>Paralegal</td><td>&mdash;</td></tr>
    </tbody>
  </table>
  <p>E-mail addresses for each of us are on the <a href="/firm/offices">offices page</a>.
  Read about <a href="/firm/people/founders">the partner who founded the firm</a>.</p>
</main>"""
    return _page(ctx, "Our people – Harbor & Quay LLP", main)


def founders(ctx: Ctx) -> Response:
    main = """<main class="prose">
  <h1>How it started</h1>
  <p>In 1987 a former ship's officer opened a two-room office above a chandlery on Atlantic Avenue.
  The chandlery is gone; the firm is still here.</p>
  <p>Meet Helen Arbuthnot, our founding partner. She still chairs the maritime practice and reads
  every charter party that crosses the firm's desks; write to her at helen.arbuthnot@harborquay.com.</p>
</main>"""
    return _page(ctx, "How it started – Harbor & Quay LLP", main)


def offices(ctx: Ctx) -> Response:
    main = """<main class="prose">
  <h1>Offices and contact</h1>
  <p>New matters and general questions: <a href="mailto:info@harborquay.com">info@harborquay.com</a>,
  or call the main line, +1 (617) 555-0140.</p>
  <h2>Lawyers' direct e-mail</h2>
  <ul class="plain">
    <li>ruth.calloway@harborquay.com</li>
    <li>dokonkwo@harborquay.com</li>
    <li>sofia.lindqvist@harborquay.com</li>
  </ul>
  <p>Reception is open Monday to Friday, 8:30 to 6:00. Visitor parking on Northern Avenue.</p>
</main>"""
    return _page(ctx, "Offices and contact – Harbor & Quay LLP", main)


def not_found(ctx: Ctx) -> Response:
    return _page(
        ctx,
        "Not found – Harbor & Quay LLP",
        not_found_main("Page not found", "That page has moved or never existed.", "Home"),
        status=404,
    )


SITES = (
    Site(
        host=HARBOR,
        name="Harbor & Quay LLP",
        routes={
            "/": home,
            "/insights": insights,
            "/firm": firm,
            "/firm/people": people,
            "/firm/people/founders": founders,
            "/firm/offices": offices,
        },
        not_found=not_found,
    ),
)
