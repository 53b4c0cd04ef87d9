"""A deterministic synthetic web of company sites (en/de/fr) and the fast static server that hosts it.

``build_corpus(sites, seed, js_every)`` returns every site's pages as bytes: about 20 pages a site
(home, about, team cards, contact, careers, legal, privacy, products, a blog and its posts), all
reachable within two link hops of the home page. With ``js_every=k`` every k-th site serves its
team and contact pages as JavaScript app shells (an empty ``#root`` filled by ``/static/js/app.js``,
as ``tests/sites/site_helio.py`` does), which ``render_js=auto`` sends to the browser.

``python -m bench.corpus --sites N --seed S [--js-every K]`` serves the corpus on 127.0.0.1 (an
asyncio HTTP/1.1 server with keep-alive; the site is chosen by the ``Host`` header), prints
``PORT <n>`` once it accepts connections and stops on SIGTERM.
"""

# ruff: noqa: E501  (page copy reads better unwrapped)

from __future__ import annotations

import argparse
import asyncio
import html
import json
import random
import signal
import sys
from dataclasses import dataclass, field

esc = html.escape

FIRST = {
    "en": [
        "James",
        "Olivia",
        "Michael",
        "Emma",
        "Daniel",
        "Sophia",
        "David",
        "Ava",
        "Ryan",
        "Grace",
        "Ethan",
        "Chloe",
        "Nathan",
        "Hannah",
        "Lucas",
        "Megan",
    ],
    "de": [
        "Jürgen",
        "Katrin",
        "Stefan",
        "Anja",
        "Matthias",
        "Sabine",
        "Tobias",
        "Julia",
        "Florian",
        "Claudia",
        "Andreas",
        "Miriam",
        "Lukas",
        "Petra",
    ],
    "fr": [
        "Julien",
        "Camille",
        "Nicolas",
        "Élodie",
        "Thomas",
        "Manon",
        "Antoine",
        "Chloé",
        "Mathieu",
        "Léa",
        "Pierre",
        "Amélie",
        "Hugo",
        "Sophie",
    ],
}
LAST = {
    "en": [
        "Carter",
        "Bennett",
        "Hughes",
        "Foster",
        "Reynolds",
        "Sullivan",
        "Palmer",
        "Brooks",
        "Hayes",
        "Morgan",
        "Sanders",
        "Porter",
        "Coleman",
        "Fisher",
    ],
    "de": [
        "Schneider",
        "Fischer",
        "Weber",
        "Wagner",
        "Becker",
        "Hoffmann",
        "Schäfer",
        "Koch",
        "Richter",
        "Klein",
        "Wolf",
        "Neumann",
        "Schwarz",
        "Braun",
    ],
    "fr": [
        "Lefèvre",
        "Moreau",
        "Laurent",
        "Girard",
        "Bonnet",
        "Dubois",
        "Fontaine",
        "Rousseau",
        "Mercier",
        "Blanc",
        "Guerin",
        "Faure",
        "Chevalier",
        "Morel",
    ],
}
TITLES = {
    "en": [
        "Chief Executive Officer",
        "Chief Technology Officer",
        "VP of Sales",
        "Head of Marketing",
        "Head of Engineering",
        "Account Executive",
        "Operations Manager",
        "Customer Success Lead",
    ],
    "de": [
        "Geschäftsführer",
        "Technischer Leiter",
        "Vertriebsleiterin",
        "Leiter Marketing",
        "Leiterin Einkauf",
        "Key Account Manager",
        "Projektleiter",
        "Kundenservice",
    ],
    "fr": [
        "Directeur général",
        "Directrice technique",
        "Directeur commercial",
        "Responsable marketing",
        "Chef de projet",
        "Responsable des achats",
        "Chargée de clientèle",
        "Directrice des opérations",
    ],
}
WORD_A = [
    "north",
    "blue",
    "bright",
    "iron",
    "clear",
    "swift",
    "stone",
    "green",
    "silver",
    "summit",
    "harbor",
    "cedar",
    "alpine",
    "nova",
    "delta",
    "orbit",
]
WORD_B = [
    "works",
    "labs",
    "systems",
    "logic",
    "metrics",
    "robotics",
    "foods",
    "media",
    "health",
    "freight",
    "energy",
    "design",
    "cloud",
    "tools",
    "data",
    "build",
]
TLD = {"en": ["com", "io", "co"], "de": ["de"], "fr": ["fr"]}
INDUSTRY = {
    "en": [
        "logistics software",
        "industrial automation",
        "B2B analytics",
        "renewable energy",
        "medical devices",
        "food distribution",
    ],
    "de": [
        "Sondermaschinenbau",
        "Logistiksoftware",
        "Medizintechnik",
        "Energietechnik",
        "Lebensmittelhandel",
        "Industrieautomation",
    ],
    "fr": [
        "logiciels de gestion",
        "automatisation industrielle",
        "agroalimentaire",
        "énergie solaire",
        "dispositifs médicaux",
        "transport et logistique",
    ],
}
CITY = {
    "en": [
        ("Austin, TX 78701", "+1 512 555 {n}"),
        ("Denver, CO 80202", "+1 303 555 {n}"),
        ("Boston, MA 02110", "+1 617 555 {n}"),
    ],
    "de": [
        ("80331 München", "+49 89 {n}0{n}"),
        ("10115 Berlin", "+49 30 {n}1{n}"),
        ("20095 Hamburg", "+49 40 {n}2{n}"),
    ],
    "fr": [
        ("75008 Paris", "+33 1 42 {a} {b} {c}"),
        ("69002 Lyon", "+33 4 72 {a} {b} {c}"),
        ("33000 Bordeaux", "+33 5 56 {a} {b} {c}"),
    ],
}
PATHS = {
    "en": {
        "about": "/about",
        "team": "/team",
        "contact": "/contact",
        "careers": "/careers",
        "legal": "/imprint",
        "privacy": "/privacy",
        "products": "/products",
        "blog": "/blog",
    },
    "de": {
        "about": "/ueber-uns",
        "team": "/team",
        "contact": "/kontakt",
        "careers": "/karriere",
        "legal": "/impressum",
        "privacy": "/datenschutz",
        "products": "/produkte",
        "blog": "/aktuelles",
    },
    "fr": {
        "about": "/a-propos",
        "team": "/equipe",
        "contact": "/contact",
        "careers": "/recrutement",
        "legal": "/mentions-legales",
        "privacy": "/confidentialite",
        "products": "/produits",
        "blog": "/actualites",
    },
}
LABELS = {
    "en": {
        "about": "About",
        "team": "Team",
        "contact": "Contact",
        "careers": "Careers",
        "legal": "Imprint",
        "privacy": "Privacy",
        "products": "Products",
        "blog": "Blog",
        "home": "Home",
    },
    "de": {
        "about": "Über uns",
        "team": "Team",
        "contact": "Kontakt",
        "careers": "Karriere",
        "legal": "Impressum",
        "privacy": "Datenschutz",
        "products": "Produkte",
        "blog": "Aktuelles",
        "home": "Startseite",
    },
    "fr": {
        "about": "À propos",
        "team": "Équipe",
        "contact": "Contact",
        "careers": "Recrutement",
        "legal": "Mentions légales",
        "privacy": "Confidentialité",
        "products": "Produits",
        "blog": "Actualités",
        "home": "Accueil",
    },
}
PROSE = {
    "en": [
        "Our customers run some of the busiest warehouses and plants in North America, and they expect software and hardware that simply keeps working.",
        "Every project starts with a short discovery phase in which our engineers visit the site, measure the current process and agree on clear targets.",
        "We publish our delivery record every quarter: last year 97 percent of all projects went live on the agreed date.",
        "The team combines decades of experience in operations research, embedded systems and customer support.",
        "Pricing is transparent and scales with usage, so small teams can start with a pilot and grow at their own pace.",
        "Security is part of the design: data is encrypted at rest and in transit, and we are audited every year.",
    ],
    "de": [
        "Unsere Kunden betreiben einige der anspruchsvollsten Produktionsanlagen in Deutschland, Österreich und der Schweiz.",
        "Jedes Projekt beginnt mit einer gründlichen Analyse vor Ort, bei der unsere Ingenieure die bestehenden Abläufe aufnehmen.",
        "Zugesagte Liefertermine halten wir ein: Im vergangenen Jahr gingen 96 Prozent aller Anlagen pünktlich in Betrieb.",
        "Unser Team verbindet jahrzehntelange Erfahrung in Konstruktion, Steuerungstechnik und Kundendienst.",
        "Wir bilden jedes Jahr neue Fachkräfte aus und investieren konsequent in moderne Fertigungstechnik.",
        "Nachhaltigkeit ist uns wichtig: Seit 2020 beziehen wir ausschließlich Ökostrom für unser Werk.",
    ],
    "fr": [
        "Nos clients exploitent certains des sites de production les plus exigeants de France et de Belgique.",
        "Chaque projet commence par une phase d'analyse sur site au cours de laquelle nos ingénieurs observent les processus existants.",
        "Nous tenons nos délais : l'an dernier, 95 pour cent des projets ont été livrés à la date convenue.",
        "Notre équipe réunit des décennies d'expérience en conception, en automatisme et en service client.",
        "Nos tarifs sont transparents et évoluent avec l'usage, pour démarrer petit et grandir à votre rythme.",
        "La sécurité fait partie de la conception : les données sont chiffrées et nos processus audités chaque année.",
    ],
}
HIRING = {
    "en": "We're hiring! Open positions:",
    "de": "Wir stellen ein! Offene Stellen:",
    "fr": "Nous recrutons ! Postes ouverts :",
}
ROLES = {
    "en": [
        "Senior Backend Engineer",
        "Sales Development Representative",
        "Product Designer",
        "Field Service Technician",
    ],
    "de": [
        "Mechatroniker (m/w/d)",
        "Vertriebsingenieur (m/w/d)",
        "Softwareentwickler (m/w/d)",
        "Projektleiter (m/w/d)",
    ],
    "fr": [
        "Ingénieur logiciel (H/F)",
        "Commercial terrain (H/F)",
        "Technicien de maintenance (H/F)",
        "Chef de projet (H/F)",
    ],
}
SHELL = """<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{name}</title>
  <link rel="stylesheet" href="/static/css/site.css">
</head>
<body>
  <noscript>You need to enable JavaScript to run this app.</noscript>
  <div id="root"></div>
  <script src="/static/js/app.js"></script>
</body>
</html>
"""
CSS = b"body{font:16px/1.6 system-ui,sans-serif;margin:0}.team-card{border:1px solid #ddd;padding:16px}"


@dataclass
class SiteSpec:
    """One generated site: its host, language and the pages it serves (path -> body, content type)."""

    host: str
    lang: str
    name: str
    pages: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    shells: set[str] = field(default_factory=set)  # paths that are JS app shells

    @property
    def html_paths(self) -> list[str]:
        return [p for p, (_, ctype) in self.pages.items() if ctype.startswith("text/html")]


def _person(rng: random.Random, lang: str, domain: str, used: set[str]) -> dict[str, str]:
    while True:
        first, last = rng.choice(FIRST[lang]), rng.choice(LAST[lang])
        if f"{first} {last}" not in used:
            used.add(f"{first} {last}")
            break
    local = (
        f"{first}.{last}".lower()
        .translate(str.maketrans({"ü": "ue", "ä": "ae", "ö": "oe", "é": "e", "è": "e", "ß": "ss", "É": "e"}))
        .replace(" ", "")
    )
    return {
        "name": f"{first} {last}",
        "title": rng.choice(TITLES[lang]),
        "email": f"{local}@{domain}",
        "phone": "",
        "linkedin": f"{local.replace('.', '-')}-{rng.randint(10, 99)}",
    }


def _phone(lang: str, template: str, rng: random.Random) -> str:
    if lang == "fr":
        return template.format(a=rng.randint(10, 99), b=rng.randint(10, 99), c=rng.randint(10, 99))
    return template.format(n=rng.randint(1000, 9999))


def _card(p: dict[str, str]) -> str:
    return f"""<article class="team-card">
        <img src="/static/img/{p["linkedin"]}.jpg" alt="{esc(p["name"])}" width="160" height="160">
        <h3>{esc(p["name"])}</h3>
        <p class="role">{esc(p["title"])}</p>
        <ul class="contact">
          <li><a href="mailto:{p["email"]}">{p["email"]}</a></li>
          <li>Tel. <a href="tel:{p["phone"].replace(" ", "")}">{p["phone"]}</a></li>
          <li><a href="https://www.linkedin.com/in/{p["linkedin"]}/" rel="noopener">LinkedIn</a></li>
        </ul>
      </article>"""


def _site(index: int, rng: random.Random, js_shells: bool) -> SiteSpec:
    lang = ("en", "en", "de", "fr")[index % 4]
    name_a, name_b = rng.choice(WORD_A), rng.choice(WORD_B)
    host = f"{name_a}{name_b}{index}.{rng.choice(TLD[lang])}"
    name = f"{name_a.title()} {name_b.title()}" + {"en": " Inc.", "de": " GmbH", "fr": " SAS"}[lang]
    site = SiteSpec(host=host, lang=lang, name=name)
    paths, labels = PATHS[lang], LABELS[lang]
    city, phone_tpl = rng.choice(CITY[lang])
    main_phone = _phone(lang, phone_tpl, rng)
    industry = rng.choice(INDUSTRY[lang])
    founded = rng.randint(1975, 2019)
    employees = rng.choice([12, 25, 45, 80, 150, 320, 900])
    used: set[str] = set()
    people = [_person(rng, lang, host, used) for _ in range(rng.randint(4, 8))]
    for person in people:
        person["phone"] = _phone(lang, phone_tpl, rng)
    products = [f"{paths['products']}/{rng.choice(WORD_A)}-{n}" for n in range(1, 5)]
    posts = [f"{paths['blog']}/{2020 + n % 5}-{rng.choice(WORD_B)}-{n}" for n in range(1, 9)]
    prose = PROSE[lang]

    def para(k: int) -> str:
        return "\n".join(f"<p>{esc(rng.choice(prose))} {esc(rng.choice(prose))}</p>" for _ in range(k))

    nav = "".join(
        f'<li><a href="{paths[key]}">{esc(labels[key])}</a></li>'
        for key in ("about", "team", "products", "blog", "careers", "contact")
    )
    social = f"https://www.linkedin.com/company/{name_a}{name_b}{index}/"

    def page(path: str, title: str, main: str, extra_head: str = "", scripts: str = "") -> None:
        body = f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{esc(title)} | {esc(name)}</title>
  <meta name="description" content="{esc(name)}: {esc(industry)}">
  <link rel="canonical" href="http://{host}{path}">
  <meta property="og:site_name" content="{esc(name)}">
  <meta property="og:title" content="{esc(title)}">
  <link rel="stylesheet" href="/static/css/site.css">
{extra_head}</head>
<body>
<header class="site-header"><div class="container">
  <a class="brand" href="/"><img src="/static/img/logo.png" alt="{esc(name)}"></a>
  <nav><ul><li><a href="/">{esc(labels["home"])}</a></li>{nav}</ul></nav>
</div></header>
{main}
<footer class="site-footer"><div class="container">
  <address><strong>{esc(name)}</strong><br>{esc(city)}<br>Tel. {main_phone}</address>
  <ul class="social"><li><a href="{social}" rel="noopener">LinkedIn</a></li><li><a href="https://twitter.com/{name_a}{name_b}{index}">Twitter</a></li></ul>
  <ul class="legal"><li><a href="{paths["legal"]}">{esc(labels["legal"])}</a></li><li><a href="{paths["privacy"]}">{esc(labels["privacy"])}</a></li></ul>
  <p>&copy; 2024 {esc(name)}</p>
</div></footer>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-{index:06d}"></script>
{scripts}</body>
</html>
"""
        site.pages[path] = (body.encode("utf-8"), "text/html; charset=utf-8")

    org = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": name,
            "url": f"http://{host}/",
            "telephone": main_phone,
            "sameAs": [social],
            "numberOfEmployees": employees,
        },
        ensure_ascii=False,
    )
    product_links = "".join(
        f'<li><a href="{p}">{esc(p.rsplit("/", 1)[-1].title())}</a></li>' for p in products
    )
    page(
        "/",
        labels["home"],
        f"""<main id="main"><section class="hero"><div class="container"><h1>{esc(name)} &ndash; {esc(industry)}</h1>
{para(2)}<p><a class="btn" href="{paths["contact"]}">{esc(labels["contact"])}</a></p></div></section>
<section class="container"><h2>{esc(labels["products"])}</h2><ul>{product_links}</ul>{para(2)}</section></main>""",
    )
    page(
        paths["about"],
        labels["about"],
        f"""<main id="main" class="container narrow"><h1>{esc(labels["about"])}</h1>
<p>{esc(name)} was founded in {founded} and today employs {employees} people in {esc(city)}.</p>{para(4)}
<p><a href="{paths["team"]}">{esc(labels["team"])}</a></p></main>""",
        extra_head=f'<script type="application/ld+json">{org}</script>\n',
    )
    cards = "\n".join(_card(p) for p in people)
    team_main = f"""<main id="main" class="container"><h1>{esc(labels["team"])}</h1>{para(1)}
<div class="grid team-grid">
{cards}
</div></main>"""
    contact_main = f"""<main id="main" class="container narrow"><h1>{esc(labels["contact"])}</h1>{para(1)}
<p>E-Mail: <a href="mailto:info@{host}">info@{host}</a> &middot; <a href="mailto:sales@{host}">sales@{host}</a></p>
<p>Tel. <a href="tel:{main_phone.replace(" ", "")}">{main_phone}</a></p>
<address>{esc(name)}<br>{esc(city)}</address>
<form action="/contact-form" method="post"><label>Name <input name="name"></label><button>Send</button></form></main>"""
    if js_shells:
        for path in (paths["team"], paths["contact"]):
            site.pages[path] = (SHELL.format(lang=lang, name=esc(name)).encode(), "text/html; charset=utf-8")
            site.shells.add(path)
            site.pages.setdefault("/static/js/app.js", (b"", "application/javascript"))
        pages_json = json.dumps(
            {paths["team"]: team_main, paths["contact"]: contact_main}, ensure_ascii=False
        )
        script = (
            f"(function(){{var pages={pages_json};var el=document.getElementById('root');"
            "el.innerHTML=pages[location.pathname]||'';})();"
        )
        site.pages["/static/js/app.js"] = (script.encode("utf-8"), "application/javascript; charset=utf-8")
    else:
        page(paths["team"], labels["team"], team_main)
        page(paths["contact"], labels["contact"], contact_main)
    roles = "".join(f"<li>{esc(r)}</li>" for r in rng.sample(ROLES[lang], rng.randint(1, 4)))
    page(
        paths["careers"],
        labels["careers"],
        f"""<main id="main" class="container narrow"><h1>{esc(labels["careers"])}</h1><p>{esc(HIRING[lang])}</p><ul>{roles}</ul>
{para(2)}<p><a href="mailto:jobs@{host}">jobs@{host}</a></p></main>""",
    )
    boss = people[0]
    page(
        paths["legal"],
        labels["legal"],
        f"""<main id="main" class="container narrow"><h1>{esc(labels["legal"])}</h1>
<p>{esc(name)}<br>{esc(city)}</p><p>Managing director: {esc(boss["name"])}</p>
<p>Tel. {main_phone} &middot; E-Mail: info@{host}</p><p>Registry HRB {rng.randint(10000, 99999)}, VAT DE{rng.randint(100000000, 999999999)}</p></main>""",
    )
    page(
        paths["privacy"],
        labels["privacy"],
        f"""<main id="main" class="container narrow"><h1>{esc(labels["privacy"])}</h1>{para(6)}
<p>Data protection officer: <a href="mailto:privacy@{host}">privacy@{host}</a></p></main>""",
    )
    page(
        paths["products"],
        labels["products"],
        f"""<main id="main" class="container"><h1>{esc(labels["products"])}</h1><ul>{product_links}</ul>{para(2)}</main>""",
    )
    for path in products:
        page(
            path,
            path.rsplit("/", 1)[-1].title(),
            f"""<main id="main" class="container"><h1>{esc(path.rsplit("/", 1)[-1].title())}</h1>{para(3)}
<p>From $ {rng.randint(49, 4999)}.00 / month</p></main>""",
        )
    post_links = "".join(f'<li><a href="{p}">{esc(p.rsplit("/", 1)[-1])}</a></li>' for p in posts)
    page(
        paths["blog"],
        labels["blog"],
        f"""<main id="main" class="container"><h1>{esc(labels["blog"])}</h1><ul>{post_links}</ul></main>""",
    )
    for n, path in enumerate(posts):
        author = people[n % len(people)]
        page(
            path,
            path.rsplit("/", 1)[-1],
            f"""<main id="main" class="container narrow"><article><h1>{esc(path.rsplit("/", 1)[-1])}</h1>
<p class="byline">{esc(author["name"])}, {esc(author["title"])} &middot; <time datetime="2024-0{1 + n % 9}-1{n % 9}">2024</time></p>
{para(5)}</article><p><a href="{paths["blog"]}">{esc(labels["blog"])}</a></p></main>""",
        )
    site.pages["/robots.txt"] = (b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8")
    site.pages["/static/css/site.css"] = (CSS, "text/css")
    return site


def build_corpus(sites: int, seed: int = 8, js_every: int = 0) -> list[SiteSpec]:
    """``sites`` generated sites, the same for the same arguments."""
    rng = random.Random(seed)
    return [_site(i, rng, bool(js_every) and i % js_every == 0) for i in range(sites)]


def resolve_map(corpus: list[SiteSpec]) -> str:
    """The ``LEADSCRAPER_RESOLVE`` value that points every corpus host at 127.0.0.1."""
    return ",".join(f"{site.host}=127.0.0.1" for site in corpus)


# -- the server -------------------------------------------------------------------------------


REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def http_response(
    status: int, ctype: str, body: bytes, keep_alive: bool, headers: dict[str, str] | None = None
) -> bytes:
    extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
    head = (
        f"HTTP/1.1 {status} {REASONS.get(status, 'OK')}\r\nContent-Type: {ctype}\r\n"
        f"Content-Length: {len(body)}\r\n{extra}"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
    )
    return head.encode("latin-1") + body


def parse_request_head(head: bytes) -> tuple[str, str, str, bool]:
    """An HTTP/1.1 request head (without the blank line) → method, host (no port), path, close."""
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    path = parts[1].split("?", 1)[0] if len(parts) > 1 else "/"
    host = ""
    close = False
    for line in lines[1:]:
        key, _, value = line.partition(":")
        key = key.strip().lower()
        if key == "host":
            host = value.strip().lower().rsplit(":", 1)[0] if "]" not in value else value.strip()
        elif key == "connection" and value.strip().lower() == "close":
            close = True
    return parts[0], host, path, close


class CorpusProtocol(asyncio.Protocol):
    """HTTP/1.1 GET/HEAD with keep-alive over pre-rendered responses; anything else is a 404."""

    def __init__(self, table: dict[tuple[str, str], bytes], not_found: bytes) -> None:
        self.table = table
        self.not_found = not_found
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
            method, host, path, close = parse_request_head(head)
            body = self.table.get((host, path), self.not_found)
            if method == "HEAD":
                body = body.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
            assert self.transport is not None
            self.transport.write(body)
            if close:
                self.transport.close()
                return


def response_table(corpus: list[SiteSpec]) -> dict[tuple[str, str], bytes]:
    table = {}
    for site in corpus:
        for path, (body, ctype) in site.pages.items():
            table[(site.host, path)] = http_response(200, ctype, body, True)
    return table


async def serve(corpus: list[SiteSpec], port: int) -> None:
    table = response_table(corpus)
    not_found = http_response(
        404, "text/html; charset=utf-8", b"<html><body><h1>Not found</h1></body></html>", True
    )
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: CorpusProtocol(table, not_found), "127.0.0.1", port, backlog=1024
    )
    await serve_until_stopped(server)


async def serve_until_stopped(server: asyncio.Server) -> None:
    """Print ``PORT <n>`` (what ``bench.common.server_process`` waits for), then serve until
    SIGTERM or SIGINT."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await stop.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--js-every", type=int, default=0)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    corpus = build_corpus(args.sites, args.seed, args.js_every)
    try:
        import uvloop  # type: ignore[import-not-found]

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(serve(corpus, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
