"""The labelled companies: 24 small company sites for measuring the scorer against hand-written labels.

Each site is generated from a compact :class:`Spec` (people with titles and contact points, role
addresses, main line, address, and the planted evidence: a careers page with N open roles or none, a
``JobPosting``, a dated funding press release, a pricing page, a shop, dated news, "team of N", and free
prose for traps). Every site has ``/`` plus 2–5 pages, all linked from the home page's nav (depth 1).
Dates that must be *recent* are computed from today when the server starts, so the set never goes stale;
dates that must be *old* are fixed (2015, 2019, 2023). The expected status of each company, with the
reason, is ``tests.sites.expected.LABELLED``; the check is ``tests/crawler/test_labelled_scoring.py``.
"""

# ruff: noqa: E501  (page copy: long lines of HTML prose read better unwrapped)

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta

from tests.sites.layout import Ctx, Response, Site, document, esc, html_response, not_found_main

TODAY = date.today()


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@dataclass(frozen=True)
class Person:
    name: str
    title: str
    email: str | None = None
    phone: tuple[str, str] | None = None  # (E.164 for tel:, as displayed)
    bio: str = ""


@dataclass(frozen=True)
class Careers:
    roles: tuple[str, ...] = ()  # job titles; () = a careers page saying there is nothing open
    jsonld: bool = False  # one schema.org JobPosting per role
    expired_jsonld: bool = False  # a JobPosting whose validThrough is long past
    intro: str = ""


@dataclass(frozen=True)
class News:
    when: date
    headline: str
    text: str


@dataclass(frozen=True)
class Spec:
    host: str
    name: str
    lang: str  # en | de | fr
    tagline: str
    about: tuple[str, ...]  # paragraphs of the about/team page (industry words, traps)
    address: str
    phone: tuple[str, str] | None = None  # the main line (E.164, displayed)
    role_emails: tuple[str, ...] = ()  # shown on the contact page
    people: tuple[Person, ...] = ()
    careers: Careers | None = None
    footer_careers: bool = False  # the footer links to the careers page too
    news: tuple[News, ...] = ()
    pricing: tuple[tuple[str, str, str], ...] = ()  # (plan, price, what)
    shop: tuple[tuple[str, str], ...] = ()  # (product, price)
    home_extra: str = ""  # extra home-page HTML
    software_jsonld: bool = False
    extra_pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (nav label, HTML main)


# --------------------------------------------------------------------------------------------------
# Per-language words

WORDS = {
    "en": {
        "home": "Home",
        "about": ("/about", "About us"),
        "team": ("/team", "Team"),
        "contact": ("/contact", "Contact"),
        "careers": ("/careers", "Careers"),
        "news": ("/news", "News"),
        "pricing": ("/pricing", "Pricing"),
        "shop": ("/shop", "Shop"),
        "team_h": "Our team",
        "contact_h": "Get in touch",
        "phone": "Phone",
        "email": "Email",
        "hiring": "We're hiring: {n} open positions",
        "none": "There are no open positions at the moment. Feel free to check back later.",
        "apply": "Send your application to",
        "news_h": "News & press",
        "pricing_h": "Pricing",
        "shop_h": "Shop",
        "cart": "Add to cart",
        "not_found": ("Page not found", "Sorry, this page does not exist.", "Back to the home page"),
        "rights": "All rights reserved.",
    },
    "de": {
        "home": "Start",
        "about": ("/ueber-uns", "Über uns"),
        "team": ("/team", "Team"),
        "contact": ("/kontakt", "Kontakt"),
        "careers": ("/karriere", "Karriere"),
        "news": ("/presse", "Presse"),
        "pricing": ("/preise", "Preise"),
        "shop": ("/shop", "Shop"),
        "team_h": "Unser Team",
        "contact_h": "Kontakt",
        "phone": "Telefon",
        "email": "E-Mail",
        "hiring": "Wir stellen ein: {n} offene Stellen",
        "none": "Derzeit keine offenen Stellen. Initiativbewerbungen sind trotzdem willkommen.",
        "apply": "Bewerbungen bitte an",
        "news_h": "Presse & Neuigkeiten",
        "pricing_h": "Preise",
        "shop_h": "Shop",
        "cart": "In den Warenkorb",
        "not_found": ("Seite nicht gefunden", "Diese Seite gibt es leider nicht.", "Zur Startseite"),
        "rights": "Alle Rechte vorbehalten.",
    },
    "fr": {
        "home": "Accueil",
        "about": ("/a-propos", "À propos"),
        "team": ("/equipe", "Équipe"),
        "contact": ("/contact", "Contact"),
        "careers": ("/carrieres", "Carrières"),
        "news": ("/actualites", "Actualités"),
        "pricing": ("/tarifs", "Tarifs"),
        "shop": ("/boutique", "Boutique"),
        "team_h": "Notre équipe",
        "contact_h": "Nous contacter",
        "phone": "Tél.",
        "email": "E-mail",
        "hiring": "Nous recrutons : {n} postes à pourvoir",
        "none": "Aucun poste ouvert pour le moment. Vous pouvez nous envoyer une candidature spontanée.",
        "apply": "Candidatures à",
        "news_h": "Actualités",
        "pricing_h": "Nos tarifs",
        "shop_h": "Boutique",
        "cart": "Ajouter au panier",
        "not_found": ("Page introuvable", "Cette page n'existe pas.", "Retour à l'accueil"),
        "rights": "Tous droits réservés.",
    },
}

_MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "de": [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    "fr": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
}


def fmt_date(d: date, lang: str) -> str:
    month = _MONTHS[lang][d.month - 1]
    if lang == "en":
        return f"{month} {d.day}, {d.year}"
    if lang == "de":
        return f"{d.day}. {month} {d.year}"
    return f"{d.day} {month} {d.year}"


# --------------------------------------------------------------------------------------------------
# Page builders


def _nav(spec: Spec) -> list[tuple[str, str]]:
    w = WORDS[spec.lang]
    items = [("/", w["home"]), w["team"] if spec.people else w["about"]]
    if spec.shop:
        items.append(w["shop"])
    if spec.pricing:
        items.append(w["pricing"])
    if spec.news:
        items.append(w["news"])
    if spec.careers is not None and not spec.footer_careers:
        items.append(w["careers"])
    items += [(p, label) for p, (label, _) in spec.extra_pages.items()]
    items.append(w["contact"])
    return items


def _page(
    spec: Spec, ctx: Ctx, title: str, main: str, *, status: int = 200, head_extra: str = ""
) -> Response:
    w = WORDS[spec.lang]
    links = "\n".join(f'        <li><a href="{p}">{esc(label)}</a></li>' for p, label in _nav(spec))
    phone = f'<br>{w["phone"]} <a href="tel:{spec.phone[0]}">{spec.phone[1]}</a>' if spec.phone else ""
    careers = (
        f'<li><a href="{ctx.abs(w["careers"][0])}">{w["careers"][1]}</a></li>' if spec.footer_careers else ""
    )
    body = f"""<header class="site-header">
  <div class="container">
    <a class="brand" href="/">{esc(spec.name)}</a>
    <nav aria-label="main">
      <ul>
{links}
      </ul>
    </nav>
  </div>
</header>
{main}
<footer class="site-footer">
  <div class="container grid">
    <address><strong>{esc(spec.name)}</strong><br>{esc(spec.address)}{phone}</address>
    <ul class="legal">{careers}<li><a href="{w["contact"][0]}">{w["contact"][1]}</a></li></ul>
  </div>
  <div class="container"><p class="copyright">&copy; {TODAY.year} {esc(spec.name)}. {w["rights"]}</p></div>
</footer>"""
    page = document(
        ctx,
        lang=spec.lang,
        title=f"{title} | {spec.name}",
        description=spec.tagline,
        site_name=spec.name,
        body=body,
        head_extra=head_extra,
    )
    return html_response(page, status=status)


def _ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>\n'


def _card(p: Person, lang: str) -> str:
    w = WORDS[lang]
    rows = []
    if p.email:
        rows.append(f'<li class="email">{w["email"]}: <a href="mailto:{p.email}">{p.email}</a></li>')
    if p.phone:
        rows.append(f'<li class="phone">{w["phone"]} <a href="tel:{p.phone[0]}">{p.phone[1]}</a></li>')
    contact = f'<ul class="contact">{"".join(rows)}</ul>' if rows else ""
    bio = f"<p>{p.bio}</p>" if p.bio else ""
    return f"""  <article class="team-card">
    <h3>{esc(p.name)}</h3>
    <p class="role">{esc(p.title)}</p>
    {bio}
    {contact}
  </article>"""


def home(spec: Spec, ctx: Ctx) -> Response:
    w = WORDS[spec.lang]
    path, label = w["contact"]
    head = ""
    if spec.software_jsonld:
        head = _ld(
            {
                "@context": "https://schema.org",
                "@type": "SoftwareApplication",
                "name": spec.name,
                "applicationCategory": "BusinessApplication",
                "operatingSystem": "Web",
            }
        )
    main = f"""<main id="main">
  <section class="hero"><div class="container">
    <h1>{esc(spec.name)}</h1>
    <p class="lead">{spec.tagline}</p>
    <p><a class="btn" href="{path}">{label}</a></p>
  </div></section>
  <section class="container">
{spec.home_extra}
  </section>
</main>"""
    return _page(spec, ctx, spec.name, main, head_extra=head)


def about(spec: Spec, ctx: Ctx) -> Response:
    w = WORDS[spec.lang]
    paras = "\n".join(f"  <p>{p}</p>" for p in spec.about)
    cards = "\n".join(_card(p, spec.lang) for p in spec.people)
    team = f'<h2>{w["team_h"]}</h2>\n<div class="grid">\n{cards}\n</div>' if spec.people else ""
    heading = w["team"][1] if spec.people else w["about"][1]
    main = f"""<main id="main" class="container">
  <h1>{heading}</h1>
{paras}
  {team}
</main>"""
    return _page(spec, ctx, heading, main)


def contact(spec: Spec, ctx: Ctx) -> Response:
    w = WORDS[spec.lang]
    rows = [f'<p>{w["email"]}: <a href="mailto:{e}">{e}</a></p>' for e in spec.role_emails]
    if spec.phone:
        rows.append(f'<p>{w["phone"]} <a href="tel:{spec.phone[0]}">{spec.phone[1]}</a></p>')
    main = f"""<main id="main" class="container">
  <h1>{w["contact_h"]}</h1>
  <address>{esc(spec.name)}<br>{esc(spec.address)}</address>
  {"".join(rows)}
</main>"""
    return _page(spec, ctx, w["contact_h"], main)


def careers(spec: Spec, ctx: Ctx) -> Response:
    w = WORDS[spec.lang]
    c = spec.careers
    assert c is not None
    head = ""
    if c.roles:
        jobs = "\n".join(
            f'  <article class="job"><h3>{esc(r)}</h3><p>{esc(spec.address.split(",")[-1].strip())}</p></article>'
            for r in c.roles
        )
        body = f'<h2>{w["hiring"].format(n=len(c.roles))}</h2>\n<div class="jobs">\n{jobs}\n</div>'
        if c.jsonld:
            head = "".join(
                _ld(
                    {
                        "@context": "https://schema.org",
                        "@type": "JobPosting",
                        "title": r,
                        "datePosted": ago(20).isoformat(),
                        "validThrough": (TODAY + timedelta(days=60)).isoformat(),
                        "hiringOrganization": {"@type": "Organization", "name": spec.name},
                    }
                )
                for r in c.roles
            )
    else:
        body = f"<p>{w['none']}</p>"
        if c.expired_jsonld:
            head = _ld(
                {
                    "@context": "https://schema.org",
                    "@type": "JobPosting",
                    "title": "Senior Gameplay Programmer",
                    "datePosted": "2023-02-01",
                    "validThrough": "2023-04-30",
                    "hiringOrganization": {"@type": "Organization", "name": spec.name},
                }
            )
    intro = f"<p>{c.intro}</p>" if c.intro else ""
    main = f"""<main id="main" class="container">
  <h1>{w["careers"][1]}</h1>
  {intro}
  {body}
</main>"""
    return _page(spec, ctx, w["careers"][1], main, head_extra=head)


def news(spec: Spec, ctx: Ctx) -> Response:
    w = WORDS[spec.lang]
    items = "\n".join(
        f"""  <article class="post">
    <h2>{esc(n.headline)}</h2>
    <p><time datetime="{n.when.isoformat()}">{fmt_date(n.when, spec.lang)}</time></p>
    <p>{n.text}</p>
  </article>"""
        for n in sorted(spec.news, key=lambda n: n.when, reverse=True)
    )
    main = f"""<main id="main" class="container">
  <h1>{w["news_h"]}</h1>
{items}
</main>"""
    return _page(spec, ctx, w["news_h"], main)


def pricing(spec: Spec, ctx: Ctx) -> Response:
    w = WORDS[spec.lang]
    plans = "\n".join(
        f'  <div class="card plan"><h3>{esc(n)}</h3><p class="price">{esc(p)}</p><p>{esc(what)}</p></div>'
        for n, p, what in spec.pricing
    )
    main = f"""<main id="main" class="container">
  <h1>{w["pricing_h"]}</h1>
  <div class="grid">
{plans}
  </div>
</main>"""
    return _page(spec, ctx, w["pricing_h"], main)


def shop(spec: Spec, ctx: Ctx) -> Response:
    w = WORDS[spec.lang]
    items = "\n".join(
        f'  <div class="card product"><h3>{esc(n)}</h3><p class="price">{esc(p)}</p>'
        f'<button type="button" class="add-to-cart">{w["cart"]}</button></div>'
        for n, p in spec.shop
    )
    main = f"""<main id="main" class="container">
  <h1>{w["shop_h"]}</h1>
  <div class="grid">
{items}
  </div>
</main>"""
    return _page(spec, ctx, w["shop_h"], main)


def build(spec: Spec) -> Site:
    w = WORDS[spec.lang]
    routes = {
        "/": lambda ctx: home(spec, ctx),
        (w["team"] if spec.people else w["about"])[0]: lambda ctx: about(spec, ctx),
        w["contact"][0]: lambda ctx: contact(spec, ctx),
    }
    if spec.careers is not None:
        routes[w["careers"][0]] = lambda ctx: careers(spec, ctx)
    if spec.news:
        routes[w["news"][0]] = lambda ctx: news(spec, ctx)
    if spec.pricing:
        routes[w["pricing"][0]] = lambda ctx: pricing(spec, ctx)
    if spec.shop:
        routes[w["shop"][0]] = lambda ctx: shop(spec, ctx)
    for path, (label, main) in spec.extra_pages.items():
        routes[path] = lambda ctx, label=label, main=main: _page(spec, ctx, label, main)

    def not_found(ctx: Ctx) -> Response:
        return _page(spec, ctx, w["not_found"][0], not_found_main(*w["not_found"]), status=404)

    return Site(host=spec.host, name=spec.name, routes=routes, not_found=not_found)


# --------------------------------------------------------------------------------------------------
# The companies (labels and reasons: tests/sites/expected.py, LABELLED)

R = ago(75)  # a recent funding round / announcement
RN = ago(40)  # recent news

SPECS: tuple[Spec, ...] = (
    Spec(
        host="brightline-payroll.com",
        name="Brightline Payroll",
        lang="en",
        tagline="Cloud-based payroll and HR software for growing teams. Start your free trial today.",
        about=(
            "Brightline Payroll is a SaaS platform that runs payroll, benefits and time tracking for 2,400 small businesses across the US.",
            "We are a team of 38 in Denver, Colorado.",
        ),
        address="1550 Wynkoop St, Denver, CO 80202",
        phone=("+13035550142", "(303) 555-0142"),
        role_emails=("hello@brightline-payroll.com",),
        people=(
            Person(
                "Megan Alvarez",
                "Co-founder & CEO",
                "megan@brightline-payroll.com",
                ("+13035550143", "(303) 555-0143"),
            ),
            Person("Priya Nair", "Head of Customer Success", "priya@brightline-payroll.com"),
        ),
        careers=Careers(
            ("Senior Backend Engineer", "Account Executive", "Payroll Specialist", "Product Designer"),
            jsonld=True,
        ),
        news=(
            News(
                R,
                "Brightline Payroll raises $12M Series A",
                "Brightline Payroll today announced it has raised $12 million in Series A funding led by Foundry Peak Ventures to expand into benefits administration.",
            ),
        ),
        pricing=(
            ("Starter", "$6 per user / month", "Payroll for up to 10 people"),
            ("Business", "$12 per user / month", "Payroll, benefits, time tracking"),
        ),
    ),
    Spec(
        host="nordlicht-software.de",
        name="Nordlicht Software",
        lang="de",
        tagline="Individuelle Software und Web-Plattformen für den Mittelstand aus Hamburg.",
        about=(
            "Nordlicht Software entwickelt seit 2016 individuelle Softwarelösungen, Apps und Schnittstellen für mittelständische Unternehmen.",
            "Wir sind ein Team von 24 Entwicklerinnen und Entwicklern in der Hamburger Speicherstadt.",
        ),
        address="Am Sandtorkai 54, 20457 Hamburg",
        phone=("+494055550120", "040 55550120"),
        role_emails=("info@nordlicht-software.de",),
        people=(
            Person(
                "Jan Petersen",
                "Geschäftsführer",
                "j.petersen@nordlicht-software.de",
                ("+494055550121", "040 55550121"),
            ),
            Person("Lea Brandt", "Projektmanagerin", "l.brandt@nordlicht-software.de"),
        ),
        careers=Careers(
            ("Senior Java-Entwickler (m/w/d)", "UX-Designerin (m/w/d)", "DevOps Engineer (m/w/d)")
        ),
        news=(
            News(
                R,
                "Nordlicht Software schließt Finanzierungsrunde ab",
                "Nordlicht Software hat eine Finanzierungsrunde über 4 Mio. Euro abgeschlossen. Investoren sind der Hamburger Innovationsfonds und zwei Business Angels.",
            ),
        ),
    ),
    Spec(
        host="cafe-lumiere.fr",
        name="Café Lumière",
        lang="fr",
        tagline="Café de quartier, brunch le week-end et pâtisseries maison à Lyon.",
        about=(
            "Ouvert en 2018 par Élodie Garnier, le Café Lumière sert des cafés de spécialité, des brunchs et des pâtisseries maison dans le 1er arrondissement.",
            "Réservations pour les groupes par téléphone ou par e-mail.",
        ),
        address="8 rue Sainte-Catherine, 69001 Lyon",
        phone=("+33478285510", "04 78 28 55 10"),
        role_emails=("bonjour@cafe-lumiere.fr",),
    ),
    Spec(
        host="keystone-logistics.com",
        name="Keystone Logistics",
        lang="en",
        tagline="Freight forwarding, warehousing and last-mile delivery across the Midwest.",
        about=(
            "Keystone Logistics moves freight for manufacturers and retailers from three warehouses in Ohio and Indiana.",
            "Our team of 140 drivers, planners and warehouse staff handles 9,000 shipments a month.",
        ),
        address="2200 Harbor Dr, Toledo, OH 43604",
        phone=("+14195550187", "(419) 555-0187"),
        role_emails=("info@keystone-logistics.com",),
        careers=Careers(("Warehouse Supervisor", "Dispatcher", "CDL-A Driver"), jsonld=True),
        news=(
            News(
                R,
                "Keystone Logistics closes $30M Series B",
                "Keystone Logistics has raised $30 million in a Series B round led by Great Lakes Growth Partners to open a fourth warehouse.",
            ),
        ),
    ),
    Spec(
        host="harborview-dental.com",
        name="Harborview Dental",
        lang="en",
        tagline="Family and cosmetic dentistry in Portland, Maine.",
        about=(
            "Harborview Dental has cared for families on the Portland waterfront since 1998: check-ups, cleanings, fillings, crowns and whitening.",
            "New patients are always welcome. Call the front desk to book an appointment.",
        ),
        address="45 Commercial St, Portland, ME 04101",
        phone=("+12075550163", "(207) 555-0163"),
        role_emails=("frontdesk@harborview-dental.com",),
        careers=Careers(intro="We are always happy to meet hygienists and dental assistants."),
        footer_careers=True,
    ),
    Spec(
        host="meridian-analytics.io",
        name="Meridian Analytics",
        lang="en",
        tagline="Product analytics SaaS for mobile apps: funnels, retention and cohorts. Start your free trial.",
        about=(
            "Meridian is a cloud platform for product analytics. It integrates with Segment, Amplitude and 40+ integrations, and offers a public API and webhooks.",
            "Founded in 2019, we are a team of 12 in Toronto.",
        ),
        address="200 Adelaide St W, Toronto, ON M5H 1W7",
        role_emails=("support@meridian-analytics.io",),
        people=(
            Person("Daniel Okafor", "Founder & CEO", "daniel@meridian-analytics.io"),
            Person("Sofia Marchetti", "Customer Success Manager", "sofia@meridian-analytics.io"),
        ),
        pricing=(
            ("Free", "$0 / month", "Up to 10k events"),
            ("Pro", "$99 / month", "1M events"),
            ("Enterprise", "Custom", "SSO, SOC 2 reports"),
        ),
        software_jsonld=True,
    ),
    Spec(
        host="oakridge-advisory.com",
        name="Oakridge Advisory",
        lang="en",
        tagline="Independent management consulting for family-owned businesses.",
        about=(
            "Oakridge Advisory is the one-person practice of Thomas Hale, who spent 20 years in corporate finance before going independent in 2017.",
            "I help owners of family businesses with succession planning, financing and strategy. I work alone and take on four clients a year.",
        ),
        address="310 Main St, Burlington, VT 05401",
        people=(
            Person(
                "Thomas Hale",
                "Owner & Principal Consultant",
                "tom@oakridge-advisory.com",
                ("+18025550119", "(802) 555-0119"),
            ),
        ),
    ),
    Spec(
        host="boulangerie-martin.fr",
        name="Boulangerie Martin",
        lang="fr",
        tagline="Pain au levain, viennoiseries et pâtisseries à Bordeaux depuis 1987.",
        about=(
            "La Boulangerie Martin est une boulangerie artisanale familiale du quartier des Chartrons. Jean Martin et son épouse pétrissent chaque nuit le pain au levain.",
            "Commandes de gâteaux pour vos fêtes : passez en boutique ou téléphonez-nous.",
        ),
        address="27 rue Notre-Dame, 33000 Bordeaux",
        phone=("+33556481230", "05 56 48 12 30"),
        role_emails=("contact@boulangerie-martin.fr",),
    ),
    Spec(
        host="alpenblick-hotel.de",
        name="Hotel Alpenblick",
        lang="de",
        tagline="Familiengeführtes 4-Sterne-Hotel mit Spa in Garmisch-Partenkirchen.",
        about=(
            "Das Hotel Alpenblick wird seit drei Generationen von Familie Reiter geführt: 62 Zimmer, Restaurant und Wellnessbereich mit Blick auf die Zugspitze.",
            "Rund 45 Mitarbeiter sorgen für Ihren Aufenthalt.",
        ),
        address="Zugspitzstraße 18, 82467 Garmisch-Partenkirchen",
        phone=("+49882155520", "08821 55520"),
        role_emails=("rezeption@alpenblick-hotel.de",),
        people=(
            Person("Katharina Reiter", "Inhaberin und Gastgeberin", "k.reiter@alpenblick-hotel.de"),
            Person("Markus Feld", "Küchenchef"),
        ),
        careers=Careers(("Rezeptionist (m/w/d)", "Koch / Köchin (m/w/d)"), jsonld=True),
    ),
    Spec(
        host="vektor-robotik.de",
        name="Vektor Robotik",
        lang="de",
        tagline="Autonome Roboter für die Intralogistik – entwickelt in München.",
        about=(
            "Vektor Robotik baut autonome mobile Roboter, die Paletten und Kleinladungsträger in Lagern und Fabriken transportieren.",
            "Gegründet 2022 als Ausgründung der TU München.",
        ),
        address="Lichtenbergstraße 8, 85748 Garching bei München",
        role_emails=("hallo@vektor-robotik.de",),
        people=(
            Person("Dr. Felix Aumann", "Gründer & CEO", "felix.aumann@vektor-robotik.de"),
            Person("Sara Yilmaz", "Mitgründerin & CTO", "sara.yilmaz@vektor-robotik.de"),
        ),
        careers=Careers(
            (
                "Robotics Software Engineer (m/w/d)",
                "Embedded-Entwickler (m/w/d)",
                "Mechatroniker (m/w/d)",
                "Sales Manager DACH (m/w/d)",
                "Field Service Techniker (m/w/d)",
                "Werkstudent Simulation (m/w/d)",
            )
        ),
        news=(
            News(
                R,
                "Vektor Robotik sammelt 2,5 Mio. Euro ein",
                "Vektor Robotik hat eine Seed-Finanzierungsrunde über 2,5 Mio. Euro abgeschlossen, angeführt von Isar Ventures.",
            ),
        ),
    ),
    Spec(
        host="atelier-sauvage.fr",
        name="Atelier Sauvage",
        lang="fr",
        tagline="Studio de design graphique et d'identité visuelle à Nantes.",
        about=(
            "Atelier Sauvage conçoit des identités visuelles, des sites et des éditions pour les marques culturelles et les entreprises de l'Ouest.",
            "Nous sommes une équipe de 4 graphistes.",
        ),
        address="5 quai de la Fosse, 44000 Nantes",
        role_emails=("studio@atelier-sauvage.fr",),
        people=(
            Person("Camille Roux", "Fondatrice et directrice artistique", "camille@atelier-sauvage.fr"),
            Person("Hugo Lemaire", "Graphiste"),
        ),
        news=(
            News(
                date(2019, 6, 12),
                "Atelier Sauvage fête ses cinq ans",
                "Le studio a fêté ses cinq ans avec une exposition de ses affiches au Lieu Unique.",
            ),
        ),
    ),
    Spec(
        host="greenfield-solar.com",
        name="Greenfield Solar",
        lang="en",
        tagline="Commercial rooftop solar and battery storage for businesses in Arizona.",
        about=(
            "Greenfield Solar designs and installs rooftop solar and battery systems for warehouses, schools and offices.",
            "Our team is growing: we are a team of 60 installers, engineers and project managers.",
        ),
        address="4020 E Broadway Rd, Phoenix, AZ 85040",
        phone=("+16025550177", "(602) 555-0177"),
        role_emails=("info@greenfield-solar.com",),
        people=(
            Person(
                "Carlos Mendoza",
                "VP of Sales",
                "carlos.mendoza@greenfield-solar.com",
                ("+16025550178", "(602) 555-0178"),
            ),
            Person("Amy Chen", "Project Manager"),
        ),
        careers=Careers(
            (
                "Solar Installer",
                "Electrical Engineer",
                "Project Manager",
                "Sales Representative",
                "Warehouse Associate",
            )
        ),
        news=(
            News(
                RN,
                "Greenfield Solar completes 5 MW school district project",
                "The largest rooftop installation in our history is now online at Mesa Unified School District.",
            ),
        ),
    ),
    Spec(
        host="lumen-health.io",
        name="Lumen Health",
        lang="en",
        tagline="Remote patient monitoring software for cardiology clinics.",
        about=(
            "Lumen Health makes remote patient monitoring software for cardiology clinics. Founded in 2013, we raised a $2M seed round from angel investors in March 2015 and have been profitable since 2018.",
            "We are a team of 15 in Boston.",
        ),
        address="31 Milk St, Boston, MA 02109",
        role_emails=("contact@lumen-health.io",),
        people=(
            Person("Rebecca Stone", "Co-founder & CEO"),
            Person("Arjun Mehta", "Chief Technology Officer", "arjun@lumen-health.io"),
        ),
    ),
    Spec(
        host="fjord-outdoor.com",
        name="Fjord Outdoor",
        lang="en",
        tagline="Outdoor clothing and camping gear, shipped from Seattle.",
        about=(
            "Fjord Outdoor is an online store for hiking, camping and climbing gear. Free shipping on orders over $75.",
            "Questions about an order? Our customer service answers within one business day.",
        ),
        address="1201 Western Ave, Seattle, WA 98101",
        role_emails=("support@fjord-outdoor.com", "hello@fjord-outdoor.com"),
        shop=(
            ("Trail Runner 2 Jacket", "$149.00"),
            ("Basecamp Tent 3P", "$329.00"),
            ("Merino Hiking Socks", "$19.00"),
        ),
    ),
    Spec(
        host="schreinerei-huber.de",
        name="Schreinerei Huber",
        lang="de",
        tagline="Möbel nach Maß, Innenausbau und Fenster aus Meisterhand im Allgäu.",
        about=(
            "Die Schreinerei Huber fertigt seit 1974 Küchen, Einbauschränke, Türen und Fenster nach Maß. Wir sind ein Team von 9 Schreinern.",
        ),
        address="Gewerbestraße 7, 87435 Kempten",
        phone=("+4983155510", "0831 55510"),
        role_emails=("info@schreinerei-huber.de",),
        people=(
            Person(
                "Josef Huber",
                "Schreinermeister und Inhaber",
                "josef@schreinerei-huber.de",
                ("+49831555111", "0831 555111"),
            ),
        ),
        careers=Careers(("Schreinergeselle (m/w/d)",), intro="Wir stellen ein! Werde Teil unseres Teams."),
    ),
    Spec(
        host="cabinet-lefevre.fr",
        name="Cabinet Lefèvre",
        lang="fr",
        tagline="Expertise comptable, paie et conseil aux TPE et PME à Lille.",
        about=(
            "Le Cabinet Lefèvre accompagne depuis 2005 plus de 300 entreprises de la métropole lilloise : comptabilité, paie, fiscalité et création d'entreprise.",
            "Nous sommes une équipe de 12 collaborateurs.",
        ),
        address="14 rue Esquermoise, 59000 Lille",
        phone=("+33320557890", "03 20 55 78 90"),
        role_emails=("accueil@cabinet-lefevre.fr",),
        people=(
            Person(
                "Nathalie Lefèvre",
                "Expert-comptable, associée gérante",
                "n.lefevre@cabinet-lefevre.fr",
                ("+33320557891", "03 20 55 78 91"),
            ),
            Person("Julien Caron", "Responsable du pôle social", "j.caron@cabinet-lefevre.fr"),
        ),
        careers=Careers(("Collaborateur comptable (H/F)", "Gestionnaire de paie (H/F)")),
    ),
    Spec(
        host="quantum-leaf.com",
        name="QuantumLeaf",
        lang="en",
        tagline="Embedded lending infrastructure for marketplaces and vertical SaaS.",
        about=(
            "QuantumLeaf lets marketplaces offer working-capital loans to their sellers through one API.",
            "We are a team of 85 across New York and London.",
        ),
        address="85 Broad St, New York, NY 10004",
        role_emails=("press@quantum-leaf.com", "careers@quantum-leaf.com"),
        careers=Careers(
            (
                "Staff Engineer, Payments",
                "Senior Credit Risk Analyst",
                "Partnerships Manager",
                "Compliance Officer",
                "Product Manager, Lending",
                "Engineering Manager",
                "Data Scientist",
                "Talent Partner",
            ),
            jsonld=True,
        ),
        news=(
            News(
                R,
                "QuantumLeaf raises $45M Series C",
                "QuantumLeaf has closed a $45 million Series C led by Harbor Street Capital, with participation from existing investors.",
            ),
        ),
    ),
    Spec(
        host="riverside-print.com",
        name="Riverside Print",
        lang="en",
        tagline="Business cards, flyers, banners and signage printed in Sacramento.",
        about=(
            "Riverside Print is a family print shop serving Sacramento businesses since 1991: offset and digital printing, large-format banners and signs.",
            "Send us your files and our office team will get back to you with a quote.",
        ),
        address="915 R St, Sacramento, CA 95811",
        phone=("+19165550136", "(916) 555-0136"),
        people=(Person("Linda Powell", "Office Manager", "linda@riverside-print.com"),),
    ),
    Spec(
        host="datenwerk-berlin.de",
        name="Datenwerk",
        lang="de",
        tagline="Datenplattformen und BI-Dashboards für Handel und E-Commerce aus Berlin.",
        about=(
            "Datenwerk baut Datenplattformen, Dashboards und Prognosemodelle für Händler. Unsere Cloud-Plattform Datenwerk Insights läuft als SaaS und bietet eine offene REST API.",
            "Wir sind 18 Mitarbeiter in Berlin-Kreuzberg.",
        ),
        address="Köpenicker Straße 126, 10179 Berlin",
        role_emails=("kontakt@datenwerk-berlin.de",),
        people=(
            Person(
                "Tobias Krüger",
                "Vertriebsleiter",
                "t.krueger@datenwerk-berlin.de",
                ("+4930555501230", "030 5555 01230"),
            ),
            Person("Mia Schulz", "Data Engineer"),
        ),
        pricing=(
            ("Starter", "49 € pro Monat", "Ein Shop, Standard-Dashboards"),
            ("Business", "199 € pro Monat", "Mehrere Shops, Prognosen"),
        ),
    ),
    Spec(
        host="maison-verdier.fr",
        name="Maison Verdier",
        lang="fr",
        tagline="Vins de Bourgogne du domaine familial, en vente directe.",
        about=(
            "Maison Verdier cultive 14 hectares de vignes à Meursault depuis quatre générations.",
            "Visites et dégustations au domaine sur rendez-vous.",
        ),
        address="3 rue de la Velle, 21190 Meursault",
        phone=("+33380215540", "03 80 21 55 40"),
        role_emails=("domaine@maison-verdier.fr",),
        people=(Person("Antoine Verdier", "Propriétaire et vigneron", "antoine@maison-verdier.fr"),),
        shop=(
            ("Meursault 2021, 75 cl", "48,00 €"),
            ("Bourgogne Aligoté 2022, 75 cl", "16,50 €"),
            ("Coffret découverte, 3 bouteilles", "89,00 €"),
        ),
    ),
    Spec(
        host="tidewater-capital.com",
        name="Tidewater Capital",
        lang="en",
        tagline="Early-stage venture capital for climate and industrial technology.",
        about=(
            "Tidewater Capital invests in seed and Series A rounds of climate and industrial technology companies.",
            "Our portfolio companies raised more than $300 million in follow-on funding last year; in the last quarter our portfolio company Gridwise raised a $20M Series B.",
        ),
        address="100 Summer St, Boston, MA 02110",
        role_emails=("info@tidewater-capital.com",),
        people=(
            Person("Elaine Brooks", "Managing Partner", "elaine@tidewater-capital.com"),
            Person("Marcus Webb", "Partner", "marcus@tidewater-capital.com"),
        ),
    ),
    Spec(
        host="pixelforge-studio.com",
        name="Pixelforge Studio",
        lang="en",
        tagline="An independent game studio making cozy strategy games.",
        about=(
            "Pixelforge Studio is an independent game studio in Austin. Our last title, Harbor Lights, sold 200,000 copies on Steam.",
        ),
        address="1108 E 6th St, Austin, TX 78702",
        role_emails=("hello@pixelforge-studio.com",),
        people=(
            Person("Noah Fischer", "CEO & Creative Director", "noah@pixelforge-studio.com"),
            Person("Grace Liu", "Lead Artist"),
        ),
        careers=Careers(expired_jsonld=True, intro="We are a small team and hire rarely."),
    ),
    Spec(
        host="bergmann-steuerberatung.de",
        name="Bergmann Steuerberatung",
        lang="de",
        tagline="Steuerberatung für Privatpersonen, Freiberufler und kleine Unternehmen in Köln.",
        about=(
            "Die Kanzlei Bergmann berät seit 1995 Privatpersonen, Freiberufler und kleine Unternehmen in allen Steuerfragen.",
            "Kanzleiinhaber ist Steuerberater Wolfgang Bergmann.",
        ),
        address="Hohenzollernring 22, 50672 Köln",
        phone=("+4922155550", "0221 55550"),
        role_emails=("kanzlei@bergmann-steuerberatung.de",),
        careers=Careers(("Steuerfachangestellte (m/w/d)", "Auszubildende/r Steuerfachangestellte/r (m/w/d)")),
    ),
    Spec(
        host="solstice-events.com",
        name="Solstice Events",
        lang="en",
        tagline="Corporate events, conferences and incentive trips, planned end to end.",
        about=(
            "Solstice Events plans conferences, product launches and incentive trips for technology companies.",
            "Our team is growing: we opened a new office in Chicago this year and are a team of 22.",
        ),
        address="600 W Fulton St, Chicago, IL 60661",
        phone=("+13125550154", "(312) 555-0154"),
        role_emails=("events@solstice-events.com",),
        people=(
            Person(
                "Olivia Grant",
                "Founder & CEO",
                "olivia@solstice-events.com",
                ("+13125550155", "(312) 555-0155"),
            ),
            Person("Ben Harper", "Event Producer", "ben@solstice-events.com"),
        ),
        careers=Careers(("Senior Event Producer", "Travel Coordinator")),
        news=(
            News(
                RN,
                "Solstice Events named Event Agency of the Year",
                "Solstice Events won the Midwest Event Agency of the Year award for the second time.",
            ),
        ),
    ),
)

SITES: tuple[Site, ...] = tuple(build(spec) for spec in SPECS)
