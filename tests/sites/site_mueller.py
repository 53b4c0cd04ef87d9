"""mueller-maschinenbau.de: a Munich special-purpose machine builder (German, ``lang="de"``).

Link graph: ``/`` -> ``/ueber-uns``, ``/team``, ``/karriere``, ``/kontakt`` (nav) and ``/impressum``,
``/datenschutz`` (footer) at depth 1. ``/kontakt`` links to ``/cdn-cgi/l/email-protection`` (Cloudflare's
email-protection page, depth 2, no contacts), as real Cloudflare-obfuscated pages do.
"""

# ruff: noqa: E501  (page copy: long lines of HTML prose read better unwrapped)

from __future__ import annotations

from tests.sites.layout import (
    COOKIE_SCRIPT,
    Ctx,
    Response,
    Site,
    analytics_script,
    cf_encode,
    cookie_banner,
    document,
    esc,
    html_response,
    not_found_main,
    text_response,
)

HOST = "mueller-maschinenbau.de"
NAME = "Müller Maschinenbau"
KONTAKT_CF = cf_encode("kontakt@mueller-maschinenbau.de", 0x5A)
VERTRIEB_CF = cf_encode("vertrieb@mueller-maschinenbau.de", 0x3C)


def _header() -> str:
    return """<a class="skip-link" href="#main">Zum Inhalt springen</a>
<header class="site-header">
  <div class="container">
    <a class="brand" href="/"><img src="/static/img/mueller-logo.png" alt="Müller Maschinenbau GmbH" width="180" height="48"></a>
    <nav aria-label="Hauptnavigation">
      <ul>
        <li><a href="/">Startseite</a></li>
        <li><a href="/ueber-uns">Über uns</a></li>
        <li><a href="/team">Team</a></li>
        <li><a href="/karriere">Karriere</a></li>
        <li><a href="/kontakt" class="btn">Kontakt</a></li>
      </ul>
    </nav>
  </div>
</header>"""


def _footer(ctx: Ctx) -> str:
    return f"""<footer class="site-footer">
  <div class="container grid">
    <address>
      <strong>Müller Maschinenbau GmbH</strong><br>
      Sendlinger Straße 42<br>
      80331 München<br>
      Tel. <a href="tel:+498912345670">+49 (0)89 1234567-0</a><br>
      Fax +49 (0)89 1234567-9
    </address>
    <div>
      <p>Sondermaschinen, Montageanlagen und Automatisierung &ndash; seit 1987 aus München.</p>
      <ul class="social">
        <li><a href="https://www.linkedin.com/company/mueller-maschinenbau/" rel="noopener" target="_blank">LinkedIn</a></li>
        <li><a href="https://www.xing.com/pages/mueller-maschinenbau-gmbh" rel="noopener" target="_blank">XING</a></li>
        <li><a href="https://www.youtube.com/@muellermaschinenbau" rel="noopener" target="_blank">YouTube</a></li>
      </ul>
    </div>
    <ul class="legal">
      <li><a href="{ctx.abs("/impressum")}">Impressum</a></li>
      <li><a href="/datenschutz">Datenschutz</a></li>
    </ul>
  </div>
  <div class="container"><p class="copyright">&copy; 2024 Müller Maschinenbau GmbH</p></div>
</footer>"""


def _page(
    ctx: Ctx,
    title: str,
    description: str,
    main: str,
    *,
    status: int = 200,
    head_extra: str = "",
    scripts_extra: str = "",
) -> Response:
    banner = cookie_banner(
        "Wir verwenden Cookies, um unsere Website für Sie optimal zu gestalten und fortlaufend zu verbessern.",
        "Alle akzeptieren",
        "Nur notwendige",
        '<a href="/datenschutz">Mehr erfahren</a>',
    )
    body = f"{_header()}\n{main}\n{_footer(ctx)}\n{banner}"
    scripts = f"{analytics_script('G-MM4R8Z2K1Q')}\n{scripts_extra}{COOKIE_SCRIPT}"
    return html_response(
        document(
            ctx,
            lang="de",
            title=title,
            description=description,
            site_name=NAME,
            body=body,
            head_extra=head_extra,
            scripts=scripts,
        ),
        status=status,
    )


def home(ctx: Ctx) -> Response:
    main = """<main id="main">
  <section class="hero">
    <div class="container">
      <h1>Präzision aus München &ndash; seit 1987</h1>
      <p class="lead">Wir entwickeln und bauen Sondermaschinen, Montage- und Prüfanlagen für die Automobil-,
      Medizin- und Elektroindustrie. Von der ersten Skizze bis zur Inbetriebnahme in Ihrem Werk erhalten Sie
      alles aus einer Hand.</p>
      <p><a class="btn" href="/kontakt">Projekt anfragen</a></p>
    </div>
  </section>
  <section class="container">
    <h2>Unsere Leistungen</h2>
    <div class="grid">
      <article class="card"><h3>Sondermaschinenbau</h3><p>Individuelle Anlagen für Fügen, Pressen, Schrauben und
      Kleben &ndash; mit Presskräften bis 2.500&nbsp;kN und Taktzeiten unter 4 Sekunden.</p></article>
      <article class="card"><h3>Montage- und Prüftechnik</h3><p>Vollautomatische Linien mit integrierter
      Qualitätsprüfung, Rückverfolgbarkeit und Anbindung an Ihr MES.</p></article>
      <article class="card"><h3>Service &amp; Retrofit</h3><p>Wartung, Ersatzteile und Modernisierung
      bestehender Anlagen &ndash; auch von Fremdherstellern.</p></article>
    </div>
  </section>
  <section class="container">
    <h2>Aktuelles</h2>
    <article>
      <p><time datetime="2024-03-12">12.03.2024</time></p>
      <h3>Besuchen Sie uns auf der automatica 2025</h3>
      <p>Vom 24.&ndash;27.06.2025 zeigen wir in Halle B6, Stand 317, unsere neue modulare Einpressstation.
      Vereinbaren Sie gerne vorab einen Termin mit unserem Vertrieb.</p>
    </article>
    <p>Über 1.200 ausgelieferte Anlagen in 23 Ländern &middot; 85 Mitarbeiterinnen und Mitarbeiter &middot;
    zertifiziert nach DIN EN ISO 9001:2015</p>
  </section>
</main>"""
    return _page(
        ctx,
        "Müller Maschinenbau GmbH – Sondermaschinenbau aus München",
        "Sondermaschinen, Montage- und Prüfanlagen aus München. Seit 1987.",
        main,
    )


def ueber_uns(ctx: Ctx) -> Response:
    main = """<main id="main" class="container narrow">
  <h1>Über uns</h1>
  <p>Die Müller Maschinenbau GmbH wurde 1987 in einer kleinen Werkstatt im Münchner Westend gegründet. Was mit
  Vorrichtungen für einen einzigen Automobilzulieferer begann, ist heute ein mittelständisches Familienunternehmen
  mit 85 Beschäftigten, eigener Konstruktion, Steuerungstechnik und Fertigung.</p>
  <p>Seit 2012 führt die zweite Generation das Unternehmen. Geblieben ist der Anspruch, jede Anlage so zu bauen,
  als müssten wir sie selbst zwanzig Jahre lang betreiben. Viele unserer Maschinen aus den Neunzigerjahren laufen
  bis heute im Dreischichtbetrieb.</p>
  <h2>Unsere Werte</h2>
  <ul>
    <li><strong>Verlässlichkeit:</strong> Zugesagte Liefertermine halten wir ein &ndash; 2023 zu 96&nbsp;Prozent.</li>
    <li><strong>Ausbildung:</strong> Derzeit lernen 11 Auszubildende bei uns Mechatronik, Zerspanung und Konstruktion.</li>
    <li><strong>Nachhaltigkeit:</strong> Unser Werk bezieht seit 2020 ausschließlich Ökostrom; die Photovoltaikanlage
    auf dem Hallendach liefert 310&nbsp;kWp.</li>
  </ul>
  <p>Lernen Sie die Menschen kennen, die hinter unseren Anlagen stehen: <a href="/team">zu unserem Team</a>.</p>
</main>"""
    return _page(
        ctx,
        "Über uns – Müller Maschinenbau GmbH",
        "Familienunternehmen im Sondermaschinenbau seit 1987.",
        main,
    )


def _card(
    name: str,
    title: str,
    text: str,
    *,
    email: str | None = None,
    phone: tuple[str, str] | None = None,
    linkedin: str | None = None,
) -> str:
    rows = []
    if phone:
        rows.append(f'<li>Tel. <a href="tel:{phone[0]}">{phone[1]}</a></li>')
    if email:
        rows.append(f'<li>E-Mail: <a href="mailto:{email}">{email}</a></li>')
    if linkedin:
        rows.append(
            f'<li><a href="https://www.linkedin.com/in/{linkedin}/" rel="noopener" target="_blank">LinkedIn-Profil</a></li>'
        )
    return f"""<article class="team-card">
      <h3>{esc(name)}</h3>
      <p class="role">{esc(title)}</p>
      <p>{text}</p>
      <ul class="contact">
        {(chr(10) + "        ").join(rows)}
      </ul>
    </article>"""


def team(ctx: Ctx) -> Response:
    cards = [
        _card(
            "Dr. Hans Müller",
            "Geschäftsführer",
            "Promovierter Maschinenbauer, seit 2012 an der Spitze des "
            "Familienunternehmens. Verantwortlich für Strategie, Finanzen und Großprojekte.",
            email="h.mueller@mueller-maschinenbau.de",
            linkedin="hans-mueller-maschinenbau",
        ),
        _card(
            "Katrin Schmidt",
            "Vertriebsleiterin",
            "Ihre Ansprechpartnerin für neue Projekte, Angebote und "
            "Rahmenverträge in Deutschland, Österreich und der Schweiz.",
            email="k.schmidt@mueller-maschinenbau.de",
            phone=("+498912345612", "089 / 123 456-12"),
            linkedin="katrin-schmidt-vertrieb",
        ),
        _card(
            "Stefan Wagner",
            "Technischer Leiter",
            "Leitet Konstruktion und Steuerungstechnik mit 28 Ingenieurinnen und Ingenieuren.",
            email="s.wagner@mueller-maschinenbau.de",
            phone=("+4989123456730", "+49 89 1234567-30"),
        ),
        _card(
            "Julia Becker",
            "Kundenservice & Ersatzteile",
            "Hilft Ihnen bei Ersatzteilbestellungen, Wartungsverträgen und Serviceeinsätzen.",
            phone=("+4989123456740", "+49 (0)89 1234567-40"),
        ),
    ]
    main = f"""<main id="main" class="container">
  <h1>Unser Team</h1>
  <p class="lead">Kurze Wege, feste Ansprechpartner: Bei uns sprechen Sie direkt mit den Menschen, die Ihr Projekt
  verantworten.</p>
  <p>Zentrale: <a href="tel:+498912345670">+49 (0)89 1234567-0</a> (Mo&ndash;Do 7:30&ndash;16:30 Uhr,
  Fr 7:30&ndash;13:00 Uhr)</p>
  <div class="grid team">
    {(chr(10) + "    ").join(cards)}
  </div>
</main>"""
    return _page(
        ctx, "Team – Müller Maschinenbau GmbH", "Ihre Ansprechpartner bei Müller Maschinenbau.", main
    )


def kontakt(ctx: Ctx) -> Response:
    main = f"""<main id="main" class="container">
  <h1>Kontakt</h1>
  <p class="lead">Sie planen eine neue Anlage oder möchten eine bestehende modernisieren? Wir freuen uns auf Ihre
  Nachricht und melden uns innerhalb von 24 Stunden.</p>
  <div class="grid">
    <section class="card">
      <h2>So erreichen Sie uns</h2>
      <p>Müller Maschinenbau GmbH<br>Sendlinger Straße 42<br>80331 München</p>
      <p>Telefon: 089 12345670<br>
      Fax: 089 12345679<br>
      E-Mail: <a href="/cdn-cgi/l/email-protection" class="__cf_email__" data-cfemail="{KONTAKT_CF}">[email&#160;protected]</a></p>
    </section>
    <section class="card">
      <h2>Angebot anfordern</h2>
      <p>Schicken Sie uns Zeichnungen, Stückzahlen und Taktzeit &ndash; unser Vertrieb erstellt Ihnen ein
      unverbindliches Angebot.</p>
      <p><a class="btn" href="/cdn-cgi/l/email-protection#{VERTRIEB_CF}">Anfrage an den Vertrieb</a></p>
    </section>
    <section class="card">
      <h2>Anfahrt</h2>
      <p>U-Bahn: Sendlinger Tor (U1, U2, U3, U6, U7, U8), ca. 5 Gehminuten.<br>
      Parken: Tiefgarage Oberanger, Einfahrt Oberanger 27.</p>
      <p>Öffnungszeiten: Mo&ndash;Do 7:30&ndash;16:30 Uhr, Fr 7:30&ndash;13:00 Uhr</p>
    </section>
  </div>
  <section>
    <h2>Kontaktformular</h2>
    <form action="/kontakt" method="post">
      <label>Name <input type="text" name="name" required></label>
      <label>Firma <input type="text" name="firma"></label>
      <label>E-Mail <input type="email" name="email" placeholder="max.mustermann@firma.de" required></label>
      <label>Ihre Nachricht <textarea name="nachricht" rows="5"></textarea></label>
      <label><input type="checkbox" name="dsgvo" required> Ich habe die <a href="/datenschutz">Datenschutzerklärung</a> gelesen.</label>
      <button type="submit">Absenden</button>
    </form>
  </section>
</main>"""
    scripts_extra = (
        '<script data-cfasync="false" '
        'src="/cdn-cgi/scripts/5c5dd728/cloudflare-static/email-decode.min.js"></script>\n'
    )
    return _page(
        ctx,
        "Kontakt – Müller Maschinenbau GmbH",
        "So erreichen Sie Müller Maschinenbau in München.",
        main,
        scripts_extra=scripts_extra,
    )


def impressum(ctx: Ctx) -> Response:
    main = """<main id="main" class="container narrow legal">
  <h1>Impressum</h1>
  <h2>Angaben gemäß § 5 DDG</h2>
  <p>Müller Maschinenbau GmbH<br>
  Sendlinger Straße 42<br>
  80331 München</p>
  <p>Geschäftsführer: Dr. Hans Müller</p>
  <h2>Kontakt</h2>
  <p>Telefon: +49 (0)89 1234567-0<br>
  Telefax: +49 (0)89 1234567-9<br>
  E-Mail: <a href="mailto:info@mueller-maschinenbau.de">info@mueller-maschinenbau.de</a></p>
  <h2>Registereintrag</h2>
  <p>Registergericht: Amtsgericht München<br>
  Registernummer: HRB 12345</p>
  <h2>Umsatzsteuer</h2>
  <p>Umsatzsteuer-Identifikationsnummer gemäß § 27a Umsatzsteuergesetz: USt-IdNr. DE123456789<br>
  Steuernummer: 143/123/45678</p>
  <h2>Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV</h2>
  <p>Dr. Hans Müller, Anschrift wie oben</p>
  <h2>EU-Streitschlichtung</h2>
  <p>Die Europäische Kommission stellt eine Plattform zur Online-Streitbeilegung (OS) bereit:
  https://ec.europa.eu/consumers/odr/. Wir sind nicht bereit oder verpflichtet, an Streitbeilegungsverfahren vor
  einer Verbraucherschlichtungsstelle teilzunehmen.</p>
  <h2>Haftung für Inhalte</h2>
  <p>Als Diensteanbieter sind wir für eigene Inhalte auf diesen Seiten nach den allgemeinen Gesetzen
  verantwortlich. Wir sind jedoch nicht verpflichtet, übermittelte oder gespeicherte fremde Informationen zu
  überwachen oder nach Umständen zu forschen, die auf eine rechtswidrige Tätigkeit hinweisen. Bei Bekanntwerden
  von entsprechenden Rechtsverletzungen werden wir diese Inhalte umgehend entfernen.</p>
  <h2>Urheberrecht</h2>
  <p>Die durch die Seitenbetreiber erstellten Inhalte und Werke auf diesen Seiten unterliegen dem deutschen
  Urheberrecht. Bildnachweis: Werksfotos Müller Maschinenbau GmbH, Fotografin Anna Vogt, München.</p>
  <p>Stand: 01.03.2024</p>
</main>"""
    return _page(ctx, "Impressum – Müller Maschinenbau GmbH", "Impressum der Müller Maschinenbau GmbH.", main)


def datenschutz(ctx: Ctx) -> Response:
    main = """<main id="main" class="container narrow legal">
  <h1>Datenschutzerklärung</h1>
  <h2>1. Datenschutz auf einen Blick</h2>
  <p>Die folgenden Hinweise geben einen einfachen Überblick darüber, was mit Ihren personenbezogenen Daten
  passiert, wenn Sie diese Website besuchen. Personenbezogene Daten sind alle Daten, mit denen Sie persönlich
  identifiziert werden können.</p>
  <h2>2. Verantwortliche Stelle</h2>
  <p>Verantwortlich für die Datenverarbeitung auf dieser Website ist die Müller Maschinenbau GmbH; die
  vollständigen Kontaktdaten finden Sie in unserem Impressum.</p>
  <h2>3. Datenschutzbeauftragter</h2>
  <p>Wir haben einen externen Datenschutzbeauftragten bestellt. Sie erreichen ihn unter
  <a href="mailto:datenschutz@mueller-maschinenbau.de">datenschutz@mueller-maschinenbau.de</a>.</p>
  <h2>4. Server-Log-Dateien</h2>
  <p>Der Provider der Seiten erhebt und speichert automatisch Informationen in sogenannten Server-Log-Dateien,
  die Ihr Browser automatisch an uns übermittelt: Browsertyp und -version, verwendetes Betriebssystem,
  Referrer-URL, Hostname des zugreifenden Rechners, Uhrzeit der Serveranfrage und IP-Adresse. Die Erfassung
  erfolgt auf Grundlage von Art. 6 Abs. 1 lit. f DSGVO; die Daten werden nach 14 Tagen gelöscht.</p>
  <h2>5. Cookies und Analyse</h2>
  <p>Mit Ihrer Einwilligung nach Art. 6 Abs. 1 lit. a DSGVO und § 25 Abs. 1 TDDDG setzen wir Google Analytics 4
  ein. Die IP-Adresse wird vor der Speicherung gekürzt. Ihre Einwilligung können Sie jederzeit über den
  Cookie-Hinweis widerrufen.</p>
  <h2>6. Kontaktformular und Anfragen per E-Mail</h2>
  <p>Wenn Sie uns per Kontaktformular oder E-Mail Anfragen zukommen lassen, werden Ihre Angaben zwecks
  Bearbeitung der Anfrage und für den Fall von Anschlussfragen bei uns gespeichert. Diese Daten geben wir nicht
  ohne Ihre Einwilligung weiter.</p>
  <h2>7. Ihre Rechte</h2>
  <p>Sie haben jederzeit das Recht auf unentgeltliche Auskunft, Berichtigung, Löschung, Einschränkung der
  Verarbeitung, Datenübertragbarkeit sowie Widerspruch. Außerdem steht Ihnen ein Beschwerderecht beim Bayerischen
  Landesamt für Datenschutzaufsicht, Promenade 18, 91522 Ansbach, zu.</p>
  <p>Stand: 01.03.2024</p>
</main>"""
    return _page(
        ctx,
        "Datenschutz – Müller Maschinenbau GmbH",
        "Datenschutzerklärung der Müller Maschinenbau GmbH.",
        main,
    )


def karriere(ctx: Ctx) -> Response:
    jobs = [
        (
            "Industriemechaniker (m/w/d) Montage",
            "Vollzeit, unbefristet, ab sofort",
            "Sie bauen unsere Anlagen nach Zeichnung auf, nehmen sie gemeinsam mit der Elektrik in Betrieb und "
            "begleiten die Abnahme beim Kunden.",
        ),
        (
            "Elektroniker für Automatisierungstechnik (m/w/d)",
            "Vollzeit, unbefristet",
            "Verdrahtung, Schaltschrankbau und Inbetriebnahme von Siemens-S7- und Beckhoff-Steuerungen.",
        ),
        (
            "Technischer Vertriebsmitarbeiter (m/w/d) Außendienst Süddeutschland",
            "Vollzeit, Firmenwagen",
            "Sie betreuen Bestandskunden in Bayern und Baden-Württemberg und gewinnen neue Projekte. "
            "Gehaltsrahmen 65.000&ndash;80.000&nbsp;€ brutto p.&nbsp;a.",
        ),
    ]
    items = "\n".join(
        f'    <article class="card job"><h3>{t}</h3><p class="meta">{m}</p><p>{d}</p></article>'
        for t, m, d in jobs
    )
    main = f"""<main id="main" class="container">
  <h1>Karriere bei Müller Maschinenbau</h1>
  <p class="lead">Wir suchen Verstärkung! Bei uns erwarten Sie spannende Projekte, ein familiäres Team, 30 Tage
  Urlaub, betriebliche Altersvorsorge und ein Jobrad.</p>
  <h2>Offene Stellen</h2>
  <div class="grid">
{items}
  </div>
  <h2>Ausbildung</h2>
  <p>Jedes Jahr zum 1. September beginnen bei uns junge Menschen ihre Ausbildung als Industriemechaniker/-in,
  Mechatroniker/-in oder technische/r Produktdesigner/-in.</p>
  <p>Ihre Bewerbung mit Lebenslauf und Zeugnissen senden Sie bitte an
  <a href="mailto:bewerbung@mueller-maschinenbau.de">bewerbung@mueller-maschinenbau.de</a>.</p>
</main>"""
    return _page(
        ctx,
        "Karriere – Müller Maschinenbau GmbH",
        "Offene Stellen und Ausbildung bei Müller Maschinenbau.",
        main,
    )


def cf_email_protection(ctx: Ctx) -> Response:
    """What Cloudflare serves when a visitor without JavaScript follows an obfuscated address."""
    page = f"""<!DOCTYPE html>
<html lang="en-US">
<head>
  <meta charset="UTF-8">
  <title>Email Protection | Cloudflare</title>
  <meta name="robots" content="noindex, nofollow">
  <meta name="viewport" content="width=device-width,initial-scale=1">
</head>
<body>
  <div id="cf-wrapper">
    <div id="cf-error-details" class="cf-error-details-wrapper">
      <h1>Please enable cookies.</h1>
      <h2 class="cf-subheadline">Email Protection</h2>
      <p>You are unable to access this email address <span>{esc(ctx.host)}</span></p>
      <p>The website from which you got to this page is protected by Cloudflare. Email addresses on that page have
      been hidden in order to keep them from being accessed by malicious bots. <strong>You must enable Javascript in
      your browser in order to decode the e-mail address</strong>.</p>
      <p>If you have a website and are interested in protecting it in a similar way, you can
      <a rel="noopener noreferrer" href="https://www.cloudflare.com/sign-up?utm_source=email_protection">sign up for Cloudflare</a>.</p>
      <p class="cf-footer">Cloudflare Ray ID: <strong>8a1f2b3c4d5e6f70</strong> &bull; Performance &amp; security by Cloudflare</p>
    </div>
  </div>
</body>
</html>
"""
    return html_response(page, headers=[("X-Robots-Tag", "noindex")])


CF_DECODER_JS = (
    "!function(){'use strict';function e(e,t){var r=parseInt(e.substr(t,2),16);return r}"
    "function t(t,r){for(var n='',o=e(t,r),a=r+2;a<t.length;a+=2){var c=e(t,a)^o;n+=String.fromCharCode(c)}"
    "return decodeURIComponent(escape(n))}"
    "document.querySelectorAll('.__cf_email__').forEach(function(e){var r=e.getAttribute('data-cfemail');"
    "if(r){var n=document.createTextNode(t(r,0));e.parentNode.replaceChild(n,e)}});"
    "document.querySelectorAll('a[href*=\"/cdn-cgi/l/email-protection#\"]').forEach(function(e){"
    "var r=e.getAttribute('href'),i=r.indexOf('#');e.setAttribute('href','mailto:'+t(r,i+1))})}();\n"
)


def cf_decoder(ctx: Ctx) -> Response:
    return Response(body=CF_DECODER_JS.encode(), content_type="application/javascript; charset=utf-8")


def robots(ctx: Ctx) -> Response:
    return text_response("User-agent: *\nDisallow: /intern/\n")


def not_found(ctx: Ctx) -> Response:
    return _page(
        ctx,
        "Seite nicht gefunden – Müller Maschinenbau GmbH",
        "Seite nicht gefunden.",
        not_found_main(
            "Seite nicht gefunden", "Die angeforderte Seite existiert leider nicht (mehr).", "Zur Startseite"
        ),
        status=404,
    )


SITE = Site(
    host=HOST,
    name=NAME,
    routes={
        "/": home,
        "/ueber-uns": ueber_uns,
        "/team": team,
        "/kontakt": kontakt,
        "/impressum": impressum,
        "/datenschutz": datenschutz,
        "/karriere": karriere,
        "/cdn-cgi/l/email-protection": cf_email_protection,
        "/cdn-cgi/scripts/5c5dd728/cloudflare-static/email-decode.min.js": cf_decoder,
        "/robots.txt": robots,
    },
    not_found=not_found,
)
