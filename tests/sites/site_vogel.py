"""holzwerk-vogel.de: a German joinery whose people are named in prose and under headings, far from
their e-mails.

Tischlerei Vogel GmbH, Freiburg (German, DE). Nobody is named within one link of the home page; the
people page has no contact point at all; the owner is named in a sentence, the workshop staff under
headings that are their titles; their addresses are on the contact page, a link further, without
names; the legal notice three links deep names the owner again:

    /                                 home: nav to Leistungen and Unternehmen; footer on every page
                                      with the address, the main line and the joinery's Instagram
                                      and Facebook (icon links, the only place they appear)
    /leistungen                       depth 1: services, no contacts
    /unternehmen                      depth 1: history, links to Menschen and Kontakt
    /unternehmen/menschen             depth 2: "... unsere Geschäftsführerin Katrin Vogel ..." in prose;
                                      "Werkstattleiter" over Jonas Becker, "Tischlermeister" over
                                      Thomas Brandt and Ali Demir; no e-mail, no phone
    /unternehmen/kontakt              depth 2: info@ and the main line; the workshop's own line and
                                      werkstatt@; "Persönlich erreichen Sie" kvogel@ and jbecker@
                                      as bare addresses; a link to the Impressum
    /unternehmen/kontakt/impressum    depth 3: Geschäftsführerin: Katrin Vogel, HRB and USt-IdNr.
                                      (not phones), the main line, a fax number (not a lead)

Who must arrive as a lead after a crawl to depth 3 (hand-written): ``PEOPLE``, ``ROLE_LEADS``,
``COMPANY_PROFILES`` and ``ADDRESS``; ``NOT_LEADS`` must never be stored as a phone.
"""

# ruff: noqa: E501  (page copy: long lines of HTML prose read better unwrapped)

from __future__ import annotations

from tests.sites.layout import Ctx, Response, Site, document, html_response, not_found_main

VOGEL = "holzwerk-vogel.de"
COMPANY_NAME = "Tischlerei Vogel"

# (full name, job title, email, phone, linkedin)
PEOPLE: tuple[tuple[str, str, str | None, str | None, str | None], ...] = (
    ("Katrin Vogel", "Geschäftsführerin", "kvogel@holzwerk-vogel.de", None, None),
    ("Jonas Becker", "Werkstattleiter", "jbecker@holzwerk-vogel.de", None, None),
    ("Thomas Brandt", "Tischlermeister", None, None, None),
    ("Ali Demir", "Tischlermeister", None, None, None),
)
MAIN_LINE = "+497614567890"
ROLE_LEADS: tuple[tuple[str | None, str | None], ...] = (
    ("info@holzwerk-vogel.de", None),
    ("werkstatt@holzwerk-vogel.de", None),
    (None, MAIN_LINE),
    (None, "+497614567893"),  # the workshop's line
)
NOT_LEADS = ("+497614567899", "+49700123", "+49287654321")  # fax; HRB and USt-IdNr. digits
COMPANY_PROFILES = {
    "instagram": "https://instagram.com/holzwerkvogel",
    "facebook": "https://facebook.com/holzwerkvogel",
}
LANGS = {VOGEL: "de"}
ADDRESS = {
    "street": "Schwarzwaldstraße 41",
    "postal_code": "79117",
    "city": "Freiburg im Breisgau",
    "country": "DE",
}
PAGES = {
    "/": 0,
    "/leistungen": 1,
    "/unternehmen": 1,
    "/unternehmen/menschen": 2,
    "/unternehmen/kontakt": 2,
    "/unternehmen/kontakt/impressum": 3,
}

_INSTAGRAM_ICON = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><rect x="3" y="3" width="18" height="18" rx="5"/></svg>'
_FACEBOOK_ICON = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M14 8h3V4h-3c-3 0-4 2-4 4v2H7v4h3v8h4v-8h3l1-4h-4V8z"/></svg>'


def _page(ctx: Ctx, title: str, main: str, *, status: int = 200) -> Response:
    body = f"""<div class="topbar"><a href="/"><img src="/static/img/vogel-logo.png" alt="Tischlerei Vogel" width="160" height="48"></a>
  <nav><a href="/">Start</a> | <a href="/leistungen">Leistungen</a> | <a href="/unternehmen">Unternehmen</a></nav>
</div>
{main}
<div class="fusszeile">
  <span>Tischlerei Vogel GmbH</span> &middot; <span>Schwarzwaldstraße 41</span> &middot;
  <span>79117 Freiburg im Breisgau</span> &middot; <span>Tel. 0761 4567890</span>
  <span class="social">
    <a href="https://www.instagram.com/holzwerkvogel/" title="Instagram">{_INSTAGRAM_ICON}</a>
    <a href="https://www.facebook.com/holzwerkvogel" title="Facebook">{_FACEBOOK_ICON}</a>
  </span>
</div>"""
    return html_response(
        document(
            ctx,
            lang="de",
            title=title,
            description="Tischlerei Vogel in Freiburg: Möbel nach Maß, Innenausbau und Restaurierung seit 1961.",
            site_name=COMPANY_NAME,
            body=body,
        ),
        status=status,
    )


def home(ctx: Ctx) -> Response:
    main = """<main>
  <h1>Möbel nach Maß aus Freiburg</h1>
  <p>Küchen, Einbauschränke, Treppen und Türen: geplant, gebaut und montiert von unserer eigenen
  Werkstatt im Stadtteil Haslach. Seit 1961 in Familienhand.</p>
</main>"""
    return _page(ctx, "Tischlerei Vogel – Möbel nach Maß in Freiburg", main)


def leistungen(ctx: Ctx) -> Response:
    main = """<main>
  <h1>Leistungen</h1>
  <ul><li>Küchen und Einbaumöbel</li><li>Innenausbau für Praxen und Büros</li>
  <li>Restaurierung alter Möbel</li><li>Fenster und Haustüren aus Holz</li></ul>
</main>"""
    return _page(ctx, "Leistungen – Tischlerei Vogel", main)


def unternehmen(ctx: Ctx) -> Response:
    main = """<main>
  <h1>Unternehmen</h1>
  <p>1961 eröffnete die Tischlerei in einer ehemaligen Scheune. Heute arbeiten in der Werkstatt
  vierzehn Menschen, davon drei Auszubildende.</p>
  <p><a href="/unternehmen/menschen">Die Menschen hinter der Werkstatt</a> &middot;
  <a href="/unternehmen/kontakt">Kontakt und Anfahrt</a></p>
</main>"""
    return _page(ctx, "Unternehmen – Tischlerei Vogel", main)


def menschen(ctx: Ctx) -> Response:
    main = """<main>
  <h1>Die Menschen hinter der Werkstatt</h1>
  <p>Seit 2009 führt unsere Geschäftsführerin Katrin Vogel den Betrieb in dritter Generation. Sie
  plant die meisten Küchen selbst.</p>
  <h2>Werkstattleiter</h2>
  <ul><li>Jonas Becker</li></ul>
  <h2>Tischlermeister</h2>
  <ul><li>Thomas Brandt</li><li>Ali Demir</li></ul>
</main>"""
    return _page(ctx, "Menschen – Tischlerei Vogel", main)


def kontakt(ctx: Ctx) -> Response:
    main = """<main>
  <h1>Kontakt und Anfahrt</h1>
  <p>Anfragen und Termine: <a href="mailto:info@holzwerk-vogel.de">info@holzwerk-vogel.de</a>,
  Telefon 0761 4567890.</p>
  <p>Werkstatt (Abholung, Lieferungen): werkstatt@holzwerk-vogel.de, Telefon 0761 4567893</p>
  <h2>Persönlich erreichen Sie</h2>
  <ul><li>kvogel@holzwerk-vogel.de</li><li>jbecker@holzwerk-vogel.de</li></ul>
  <p>Parkplätze finden Sie direkt vor der Werkstatt. <a href="/unternehmen/kontakt/impressum">Impressum</a></p>
</main>"""
    return _page(ctx, "Kontakt – Tischlerei Vogel", main)


def impressum(ctx: Ctx) -> Response:
    main = """<main>
  <h1>Impressum</h1>
  <p>Tischlerei Vogel GmbH<br>Schwarzwaldstraße 41<br>79117 Freiburg im Breisgau</p>
  <p>Geschäftsführerin: Katrin Vogel</p>
  <p>Telefon: 0761 4567890<br>Telefax: 0761 4567899</p>
  <p>Registergericht: Amtsgericht Freiburg, HRB 700123<br>USt-IdNr.: DE287654321</p>
</main>"""
    return _page(ctx, "Impressum – Tischlerei Vogel", main)


def not_found(ctx: Ctx) -> Response:
    return _page(
        ctx,
        "Seite nicht gefunden – Tischlerei Vogel",
        not_found_main("Seite nicht gefunden", "Diese Seite gibt es nicht (mehr).", "Zur Startseite"),
        status=404,
    )


SITES = (
    Site(
        host=VOGEL,
        name="Tischlerei Vogel",
        routes={
            "/": home,
            "/leistungen": leistungen,
            "/unternehmen": unternehmen,
            "/unternehmen/menschen": menschen,
            "/unternehmen/kontakt": kontakt,
            "/unternehmen/kontakt/impressum": impressum,
        },
        not_found=not_found,
    ),
)
