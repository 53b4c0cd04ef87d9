"""kestrel-finch.co.uk and alder-analytics.com: a team grid where most people have no contact point.

kestrel-finch.co.uk, a London design studio (English, UK):

    /                   home: nav to team, contact, legal; footer with the studio's address, its
                        switchboard and its own profiles (LinkedIn page, X, Facebook, Instagram,
                        YouTube, GitHub organisation): the only place they appear
    /team               eight cards, name and title as sibling elements; contacts are icon links
                        without text (a mailto envelope, a tel handset, a LinkedIn "in"), or absent:
                        Olivia Hart (own mailto + LinkedIn), Noah Patel (own mailto), Emma Silva (none),
                        Liam O'Connor (the studio's hello@ on his card: not his), Ava Nguyen (direct
                        line), Sam Rivera (none here; a link to his page), Grace Liu (none here),
                        Alex Morgan (none)
    /team/sam-rivera    depth 2: Sam Rivera's own page with his mailto and LinkedIn icons
    /contact            hello@ (mailto), "Accounts and invoices: grace.liu@..." as plain text, switchboard
    /legal              company details: registered office, company number and VAT number (traps), no people

alder-analytics.com, a data consultancy (English, US): one team page whose Alex Morgan (a namesake of
kestrel-finch's) has his own address, and an about page with the layouts a team grid is not.

    /                   home: nav to team and about; footer with the company's LinkedIn page
    /team               Alex Morgan (mailto icon alex.morgan@alder-analytics.com), Priya Shah (none)
    /about              a grid with short role labels ("Tech", "UX"; Jordan Ellis's mailto icon), an
                        "Advisors" heading over two names with affiliations, a staff sentence ("Meet
                        Dana Brooks, our office manager", her mailto in it) and an officer line
                        ("Company Secretary: Martin Blake"); and the traps beside them: "Current
                        Openings" and "Press Releases" sections, a testimonial, an author byline

Who must arrive as a lead (hand-written; ``tests/api/test_people_leads_e2e.py`` asserts exactly this):
``PEOPLE`` by site, then ``ROLE_LEADS`` (the company-level leads, which carry the company's profiles),
``COMPANY_PROFILES`` (the footer's) and ``ADDRESS``.
"""

# ruff: noqa: E501  (page copy: long lines of HTML prose read better unwrapped)

from __future__ import annotations

from tests.sites.layout import Ctx, Response, Site, document, html_response, not_found_main

KESTREL = "kestrel-finch.co.uk"
ALDER = "alder-analytics.com"

# (full name, job title, email, phone, linkedin) a perfect crawl at depth 2 stores, by site
PEOPLE: dict[str, tuple[tuple[str, str, str | None, str | None, str | None], ...]] = {
    KESTREL: (
        (
            "Olivia Hart",
            "Founder & Creative Director",
            "olivia.hart@kestrel-finch.co.uk",
            None,
            "https://linkedin.com/in/olivia-hart-kf",
        ),
        ("Noah Patel", "Head of Design", "n.patel@kestrel-finch.co.uk", None, None),
        ("Emma Silva", "UX Researcher", None, None, None),
        ("Liam O'Connor", "Senior Developer", None, None, None),
        ("Ava Nguyen", "Project Manager", None, "+442079460358", None),
        (
            "Sam Rivera",
            "Account Director",
            "sam.rivera@kestrel-finch.co.uk",
            None,
            "https://linkedin.com/in/sam-rivera-kf",
        ),
        ("Grace Liu", "Finance Manager", "grace.liu@kestrel-finch.co.uk", None, None),
        ("Alex Morgan", "Studio Manager", None, None, None),
    ),
    ALDER: (
        ("Alex Morgan", "Principal Data Scientist", "alex.morgan@alder-analytics.com", None, None),
        ("Priya Shah", "Head of Analytics", None, None, None),
        ("Jordan Ellis", "Tech", "jordan@alder-analytics.com", None, None),
        ("Mia Castellano", "UX", None, None, None),
        ("Helen Marsh", "Advisor", None, None, None),
        ("Tomás Ortega", "Advisor", None, None, None),
        ("Dana Brooks", "Office Manager", "dana.brooks@alder-analytics.com", None, None),
        ("Martin Blake", "Company Secretary", None, None, None),
    ),
}
# company-level leads: (email, phone)
ROLE_LEADS: dict[str, tuple[tuple[str | None, str | None], ...]] = {
    KESTREL: (("hello@kestrel-finch.co.uk", None), (None, "+442079460321")),
    ALDER: (),
}
COMPANY_PROFILES: dict[str, dict[str, str]] = {
    KESTREL: {
        "linkedin": "https://linkedin.com/company/kestrel-finch",
        "twitter": "https://x.com/kestrelfinch",
        "facebook": "https://facebook.com/kestrelfinchstudio",
        "instagram": "https://instagram.com/kestrelfinch",
        "youtube": "https://youtube.com/@kestrelfinch",
        "github": "https://github.com/kestrel-finch",
    },
    ALDER: {"linkedin": "https://linkedin.com/company/alder-analytics"},
}
LANGS = {KESTREL: "en-GB", ALDER: "en"}  # each site's <html lang>
ADDRESS = {"street": "14 Wharf Road", "postal_code": "N1 7GR", "city": "London", "country": "GB"}

_MAIL_ICON = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M2 4h20v16H2z"/></svg>'
_PHONE_ICON = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M6 2l4 4-2 3 7 7 3-2 4 4-3 4C9 22 2 15 2 5z"/></svg>'
_LINKEDIN_ICON = '<i class="fa-brands fa-linkedin-in" aria-hidden="true"></i>'


def _kestrel_page(ctx: Ctx, title: str, main: str, *, status: int = 200) -> Response:
    body = f"""<header class="site-header"><div class="container">
  <a href="/" class="logo"><img src="/static/img/kestrel-logo.png" alt="Kestrel &amp; Finch" width="140" height="40"></a>
  <nav aria-label="Main"><ul>
    <li><a href="/">Studio</a></li><li><a href="/team">People</a></li>
    <li><a href="/contact">Contact</a></li><li><a href="/legal">Legal</a></li>
  </ul></nav>
</div></header>
{main}
<footer class="site-footer"><div class="container grid">
  <div>
    <p><strong>Kestrel &amp; Finch Studio</strong></p>
    <p>14 Wharf Road<br>London N1 7GR<br>United Kingdom</p>
    <p>Studio: <a href="tel:+442079460321">+44 20 7946 0321</a></p>
  </div>
  <div class="follow">
    <p>Follow the studio</p>
    <ul class="social-links">
      <li><a href="https://www.linkedin.com/company/kestrel-finch/" aria-label="LinkedIn">{_LINKEDIN_ICON}</a></li>
      <li><a href="https://twitter.com/kestrelfinch" aria-label="X"><i class="fa-brands fa-x-twitter"></i></a></li>
      <li><a href="https://www.facebook.com/kestrelfinchstudio" aria-label="Facebook"><i class="fa-brands fa-facebook-f"></i></a></li>
      <li><a href="https://www.instagram.com/kestrelfinch/" aria-label="Instagram"><i class="fa-brands fa-instagram"></i></a></li>
      <li><a href="https://www.youtube.com/@kestrelfinch" aria-label="YouTube"><i class="fa-brands fa-youtube"></i></a></li>
      <li><a href="https://github.com/kestrel-finch" aria-label="GitHub"><i class="fa-brands fa-github"></i></a></li>
    </ul>
  </div>
  <p class="legal">&copy; 2025 Kestrel &amp; Finch Studio Ltd. All rights reserved.</p>
</div></footer>"""
    return html_response(
        document(
            ctx,
            lang="en-GB",
            title=title,
            description="Kestrel & Finch is an independent brand and digital design studio in London.",
            site_name="Kestrel & Finch",
            body=body,
        ),
        status=status,
    )


def kestrel_home(ctx: Ctx) -> Response:
    main = """<main id="main" class="container">
  <h1>Brand and digital design, made in Islington</h1>
  <p>We are a studio of designers, researchers and developers who build identities, websites and
  products for cultural institutions and challenger brands. Since 2016 we have worked with more than
  eighty clients across Europe.</p>
  <p><a href="/team">Meet the people behind the work</a></p>
</main>"""
    return _kestrel_page(ctx, "Kestrel & Finch – Brand and digital design studio, London", main)


def _card(name: str, title: str, links: str = "", extra: str = "") -> str:
    return f"""    <article class="team-card">
      <img src="/static/img/team-{name.split()[0].lower()}.jpg" alt="" loading="lazy">
      <h3 class="team-card__name">{name}</h3>
      <p class="team-card__role">{title}</p>
      {f'<div class="team-card__links">{links}</div>' if links else ""}{extra}
    </article>
"""


def kestrel_team(ctx: Ctx) -> Response:
    cards = "".join(
        [
            _card(
                "Olivia Hart",
                "Founder &amp; Creative Director",
                f'<a href="mailto:olivia.hart@kestrel-finch.co.uk" aria-label="Email">{_MAIL_ICON}</a>'
                f'<a href="https://www.linkedin.com/in/olivia-hart-kf/" aria-label="LinkedIn">{_LINKEDIN_ICON}</a>',
            ),
            _card(
                "Noah Patel",
                "Head of Design",
                f'<a href="mailto:n.patel@kestrel-finch.co.uk">{_MAIL_ICON}</a>',
            ),
            _card("Emma Silva", "UX Researcher"),
            _card(
                "Liam O&#39;Connor",
                "Senior Developer",
                f'<a href="mailto:hello@kestrel-finch.co.uk" title="Write to the studio">{_MAIL_ICON}</a>',
            ),
            _card(
                "Ava Nguyen",
                "Project Manager",
                f'<a href="tel:+442079460358" aria-label="Call">{_PHONE_ICON}</a>',
            ),
            _card(
                "Sam Rivera", "Account Director", extra='<p><a href="/team/sam-rivera">More about Sam</a></p>'
            ),
            _card("Grace Liu", "Finance Manager"),
            _card("Alex Morgan", "Studio Manager"),
        ]
    )
    main = f"""<main id="main" class="container">
  <h1>People</h1>
  <p>Twelve of us, one long table, a lot of coffee. The core team:</p>
  <section class="team-grid">
{cards}  </section>
</main>"""
    return _kestrel_page(ctx, "People – Kestrel & Finch", main)


def kestrel_sam(ctx: Ctx) -> Response:
    main = f"""<main id="main" class="container narrow">
  <article class="profile">
    <img src="/static/img/team-sam.jpg" alt="">
    <h1>Sam Rivera</h1>
    <p class="profile__role">Account Director</p>
    <p>Sam looks after our museum and heritage clients and has led the studio's work for the Thames
    Archive since 2019.</p>
    <div class="profile__links">
      <a href="mailto:sam.rivera@kestrel-finch.co.uk" aria-label="Email Sam">{_MAIL_ICON}</a>
      <a href="https://www.linkedin.com/in/sam-rivera-kf" aria-label="Sam on LinkedIn">{_LINKEDIN_ICON}</a>
    </div>
  </article>
  <p><a href="/team">All people</a></p>
</main>"""
    return _kestrel_page(ctx, "Sam Rivera – Kestrel & Finch", main)


def kestrel_contact(ctx: Ctx) -> Response:
    main = """<main id="main" class="container narrow">
  <h1>Contact</h1>
  <p>New projects and general enquiries: <a href="mailto:hello@kestrel-finch.co.uk">hello@kestrel-finch.co.uk</a></p>
  <p>Accounts and invoices: grace.liu@kestrel-finch.co.uk</p>
  <p>Or call the studio on +44 20 7946 0321 (Monday to Friday, 9:00–17:30).</p>
</main>"""
    return _kestrel_page(ctx, "Contact – Kestrel & Finch", main)


def kestrel_legal(ctx: Ctx) -> Response:
    main = """<main id="main" class="container narrow legal">
  <h1>Company information</h1>
  <p>Kestrel &amp; Finch Studio Ltd is registered in England and Wales, company number 09876543.</p>
  <p>Registered office: 14 Wharf Road, London N1 7GR, United Kingdom</p>
  <p>VAT registration number GB 123 4567 89</p>
</main>"""
    return _kestrel_page(ctx, "Legal – Kestrel & Finch", main)


def kestrel_not_found(ctx: Ctx) -> Response:
    return _kestrel_page(
        ctx,
        "Page not found – Kestrel & Finch",
        not_found_main("Page not found", "Nothing here.", "Home"),
        status=404,
    )


def _alder_page(ctx: Ctx, title: str, main: str, *, status: int = 200) -> Response:
    body = f"""<header class="site-header"><div class="container">
  <a href="/" class="logo">Alder Analytics</a>
  <nav><a href="/">Home</a> <a href="/team">Team</a> <a href="/about">About</a></nav>
</div></header>
{main}
<footer class="site-footer"><div class="container">
  <p>Alder Analytics LLC &middot; 220 Pearl Street, Denver, CO 80203</p>
  <p><a href="https://www.linkedin.com/company/alder-analytics">LinkedIn</a></p>
</div></footer>"""
    return html_response(
        document(
            ctx,
            lang="en",
            title=title,
            description="Alder Analytics builds forecasting models for regional utilities.",
            site_name="Alder Analytics",
            body=body,
        ),
        status=status,
    )


def alder_home(ctx: Ctx) -> Response:
    main = """<main id="main" class="container">
  <h1>Forecasts utilities can plan on</h1>
  <p>Alder Analytics builds demand and outage forecasting models for regional utilities.</p>
  <p><a href="/team">Our team</a></p>
</main>"""
    return _alder_page(ctx, "Alder Analytics – Forecasting for utilities", main)


def alder_team(ctx: Ctx) -> Response:
    main = f"""<main id="main" class="container">
  <h1>Team</h1>
  <div class="people">
    <div class="person">
      <h3>Alex Morgan</h3>
      <p>Principal Data Scientist</p>
      <a href="mailto:alex.morgan@alder-analytics.com" aria-label="Email">{_MAIL_ICON}</a>
    </div>
    <div class="person">
      <h3>Priya Shah</h3>
      <p>Head of Analytics</p>
    </div>
  </div>
</main>"""
    return _alder_page(ctx, "Team – Alder Analytics", main)


def alder_about(ctx: Ctx) -> Response:
    main = f"""<main id="main" class="container">
  <h1>About Alder</h1>
  <p>Founded in Denver in 2016, Alder Analytics is eleven people who like hard forecasting problems.</p>
  <section class="row">
    <div class="col-md-3"><div class="block">
      <h4>Jordan Ellis</h4><p>Tech</p>
      <a href="mailto:jordan@alder-analytics.com" aria-label="Email">{_MAIL_ICON}</a>
    </div></div>
    <div class="col-md-3"><div class="block">
      <h4>Mia Castellano</h4><p>UX</p>
    </div></div>
  </section>
  <h2>Advisors</h2>
  <ul>
    <li>Helen Marsh (University of Colorado Boulder)</li>
    <li>Tomás Ortega (Colorado School of Mines)</li>
  </ul>
  <h2>Our office</h2>
  <p>Meet Dana Brooks, our office manager. Visitors, deliveries and invoices go through her:
  <a href="mailto:dana.brooks@alder-analytics.com">dana.brooks@alder-analytics.com</a>.</p>
  <h2>Current Openings</h2>
  <div class="block"><h4>Senior Data Engineer</h4><p>Denver or remote (US)</p></div>
  <h2>Press Releases</h2>
  <p>Alder wins the 2024 Utility Analytics Award.</p>
  <div class="testimonial"><p>“Their outage model paid for itself in one storm season.”</p>
  <p><strong>Robert Hale</strong>, Operations Director, Front Range Power</p></div>
  <p class="byline">Posted by <a href="/about">Karen Liu</a> on May 2, 2024</p>
  <p>Alder Analytics LLC, a Colorado limited liability company.<br>Company Secretary: Martin Blake</p>
</main>"""
    return _alder_page(ctx, "About – Alder Analytics", main)


def alder_not_found(ctx: Ctx) -> Response:
    return _alder_page(
        ctx, "Not found – Alder Analytics", not_found_main("Not found", "Nothing here.", "Home"), status=404
    )


SITES = (
    Site(
        host=KESTREL,
        name="Kestrel & Finch",
        routes={
            "/": kestrel_home,
            "/team": kestrel_team,
            "/team/sam-rivera": kestrel_sam,
            "/contact": kestrel_contact,
            "/legal": kestrel_legal,
        },
        not_found=kestrel_not_found,
    ),
    Site(
        host=ALDER,
        name="Alder Analytics",
        routes={"/": alder_home, "/team": alder_team, "/about": alder_about},
        not_found=alder_not_found,
    ),
)
