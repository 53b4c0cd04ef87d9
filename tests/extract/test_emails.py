"""Unit tests for crawler.extract.emails: what is found, what is rejected, and how it is labelled."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from crawler.extract import emails as emails_module
from crawler.extract.emails import extract_emails, normalize_email
from crawler.extract.mailboxes import ROLE_LOCALS, is_role_email
from crawler.extract.page import Page
from crawler.extract.text import visible_text, walk_visible_text

URL = "https://www.acme-robotics.com/contact"


def found(body: str, url: str = URL) -> list[tuple[str, str]]:
    html = f"<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>{body}</body></html>"
    return [(f.email, f.evidence.method) for f in extract_emails(Page(html, url))]


def cf_encode(email: str, key: int = 0x5A) -> str:
    return f"{key:02x}" + "".join(f"{b ^ key:02x}" for b in email.encode())


# --------------------------------------------------------------------------------------------
# Found

SHOULD_FIND = [
    # plain text and its punctuation
    ("<p>Write to info@acme-robotics.com.</p>", "info@acme-robotics.com", "text"),
    ("<p>Sales: Sales@Acme-Robotics.COM</p>", "sales@acme-robotics.com", "text"),
    ("<p>(support@acme-robotics.com)</p>", "support@acme-robotics.com", "text"),
    ("<p>Jane &lt;jane.roe@acme-robotics.com&gt;</p>", "jane.roe@acme-robotics.com", "text"),
    ("<p>E-Mail:kontakt@mueller.de</p>", "kontakt@mueller.de", "text"),
    ('<p>"hr@acme-robotics.com"!</p>', "hr@acme-robotics.com", "text"),
    ("<p>mail ayuda@acme.com.Next sentence</p>", "ayuda@acme.com", "text"),
    ("<p>jane.roe+news@sub.acme.co.uk</p>", "jane.roe+news@sub.acme.co.uk", "text"),
    ("<p>info@bäckerei-müller.de</p>", "info@bäckerei-müller.de", "text"),
    # entities are decoded by the parser: the address counts as plain text
    ("<p>press&#64;acme.com</p>", "press@acme.com", "text"),
    ("<p>press&#x40;acme&#x2E;com</p>", "press@acme.com", "text"),
    # mailto
    ('<a href="mailto:info@acme.com">Mail us</a>', "info@acme.com", "mailto"),
    ('<a href="MAILTO:Info@ACME.com?subject=Hi%20there">x</a>', "info@acme.com", "mailto"),
    ('<a href=" mailto: info@acme.com ">x</a>', "info@acme.com", "mailto"),
    ('<a href="mailto:John Doe &lt;john@acme.com&gt;">x</a>', "john@acme.com", "mailto"),
    ('<a href="&#109;ailto:&#106;ohn&#64;acme.com">x</a>', "john@acme.com", "mailto"),
    # percent-encoded address part: obfuscated
    ('<a href="mailto:%20john%40acme.com">x</a>', "john@acme.com", "obfuscated"),
    ('<a href="mailto:%3Cjohn@acme.com%3E">x</a>', "john@acme.com", "obfuscated"),
    # bracketed and spelled-out
    ("<p>john [at] acme [dot] com</p>", "john@acme.com", "obfuscated"),
    ("<p>john(at)acme.com</p>", "john@acme.com", "obfuscated"),
    ("<p>john {at} acme {dot} com</p>", "john@acme.com", "obfuscated"),
    ("<p>john (AT) acme (DOT) co (DOT) uk</p>", "john@acme.co.uk", "obfuscated"),
    ("<p>john at acme dot com</p>", "john@acme.com", "obfuscated"),
    ("<p>john AT acme DOT com</p>", "john@acme.com", "obfuscated"),
    ("<p>john dot smith at acme dot com</p>", "john.smith@acme.com", "obfuscated"),
    ("<p>j.smith at acme.com</p>", "j.smith@acme.com", "obfuscated"),
    ("<p>Email: sales at acme.com</p>", "sales@acme.com", "obfuscated"),
    ("<p>info (ät) mueller (punkt) de</p>", "info@mueller.de", "obfuscated"),
    ("<p>info[ät]mueller.de</p>", "info@mueller.de", "obfuscated"),
    ("<p>info @ acme.com</p>", "info@acme.com", "obfuscated"),
    ("<p>info@acme [dot] com</p>", "info@acme.com", "obfuscated"),
    ("<p>contacto [arroba] acme.es</p>", "contacto@acme.es", "obfuscated"),
    # markup inside the address
    ("<p>john<span>@</span>acme.com</p>", "john@acme.com", "obfuscated"),
    ("<p>john<!-- spam -->@acme.com</p>", "john@acme.com", "obfuscated"),
    ("<p><span>john</span><span>@acme.com</span></p>", "john@acme.com", "obfuscated"),
    ("<p>john<b style='display:none'>x</b>@acme.com</p>", "john@acme.com", "obfuscated"),
    ("<p>john\u200b@acme.com</p>", "john@acme.com", "text"),
    (
        "<p><span style='unicode-bidi:bidi-override;direction:rtl'>moc.emca@nhoj</span></p>",
        "john@acme.com",
        "obfuscated",
    ),
    ("<p><span data-user='john' data-domain='acme.com'>[js]</span></p>", "john@acme.com", "obfuscated"),
    # attributes
    ("<button data-email='sales@acme.com'>Contact</button>", "sales@acme.com", "text"),
    # Cloudflare
    (
        f"<span class='__cf_email__' data-cfemail='{cf_encode('info@acme.com')}'>[email protected]</span>",
        "info@acme.com",
        "cfemail",
    ),
    (
        f"<a href='/cdn-cgi/l/email-protection#{cf_encode('sales@acme.com', 0x13)}'>mail</a>",
        "sales@acme.com",
        "cfemail",
    ),
    (
        f"<a href='https://acme.com/cdn-cgi/l/email-protection#{cf_encode('a.b@acme.com', 0xF0)}'>x</a>",
        "a.b@acme.com",
        "cfemail",
    ),
]


@pytest.mark.parametrize(("body", "email", "method"), SHOULD_FIND)
def test_should_find(body: str, email: str, method: str) -> None:
    assert found(body) == [(email, method)]


def test_bidi_override_via_style_class() -> None:
    html = (
        "<html><head><style>.rev { unicode-bidi: bidi-override; direction: rtl; }</style></head>"
        "<body><p><span class='rev x'>moc.emca@selas</span></p></body></html>"
    )
    assert [(f.email, f.evidence.method) for f in extract_emails(Page(html, URL))] == [
        ("sales@acme.com", "obfuscated")
    ]


def test_mailto_lists_and_cc() -> None:
    body = (
        '<a href="mailto:a@acme.com,b@acme.com;c@acme.com">x</a>'
        '<a href="mailto:d@acme.com?cc=e@acme.com&amp;bcc=f@acme.com&amp;subject=g@acme.com">y</a>'
    )
    assert found(body) == [(f"{c}@acme.com", "mailto") for c in "abcdef"]


# --------------------------------------------------------------------------------------------
# Rejected

SHOULD_REJECT = [
    "<p>logo@2x.png</p>",
    "<p>icon@3x.webp hero@2x.jpg avatar@2x.jpeg sprite@1.5x.gif badge@2x.svg a@2x.avif</p>",
    "<p>font@2x.woff2 font@1x.woff mono@1x.ttf favicon@2x.ico promo@2x.mp4 guide@print.pdf</p>",
    "<p>main@2x.js theme@2x.css</p>",
    "<p>lodash@4.17.21</p>",
    "<p>npm i @babel/core@7.2.0 react-dom@18.2.0 vue@3.x bootstrap@5.3.0-alpha1</p>",
    "<p>https://cdn.com/lib@1.2.3/x.js</p>",
    "<p>https://cdn.jsdelivr.net/npm/bootstrap@5.3.2/dist/css/bootstrap.min.css</p>",
    "<p>https://example.org/share?ref=john@acme.com</p>",
    "<p>acme.com/team/john@acme.com</p>",
    "<p>ftp://user@files.acme.com/pub</p>",
    "<p>info@example.com, someone@example.org, x@example.net, a@mail.example.co.uk</p>",
    "<p>you@domain.com email@email.com boss@company.com qa@test.com me@yourdomain.com me@yoursite.com</p>",
    "<p>yourname@acme.com name@acme.com user@acme.com email@acme.com your.email@acme.com</p>",
    "<p>someone@acme.com you@acme.com</p>",
    "<p>john.doe@example.com max.mustermann@acme.de firstname.lastname@acme.com</p>",
    "<p>8f3a1b2c4d5e6f7a8b9c0d1e2f3a4b5c@o123456.ingest.sentry.io</p>",
    "<p>abc123@sentry-next.wixpress.com, x@wixpress.com</p>",
    "<p>0a1b2c3d4e5f6a7b@acme.com 5e0f9b2a-7c4d-4e8f-9a1b-2c3d4e5f6a7b@track.acme.com</p>",
    "<p>noreply@acme.com no-reply@acme.com donotreply@acme.com do-not-reply@acme.com</p>",
    "<p>mailer-daemon@acme.com postmaster@acme.com noreply+bounce@acme.com</p>",
    "<p>info@acme.comx info@acme.c a@localhost x@acme</p>",
    "<p>a..b@acme.com</p>",
    "<p>xxx@xxx.com</p>",
    # prose around " at " and "dot"
    "<p>Meet us at the office. com</p>",
    "<p>Find us at acme.com or visit us at www.acme.com.</p>",
    "<p>Tickets available at eventbrite.com. Shop at amazon.com.</p>",
    "<p>We are located at 500 Main St. Doors open at 9.30.</p>",
    "<p>Look at this dot pattern. Copyright 2024 at acme.com.</p>",
    "<p>Besuchen Sie uns (at) der Messe 2024, Halle 17.</p>",
    "<p>Follow us @ twitter.com/acme and find us at acme dot com</p>",
    # invisible: scripts, styles, head, hidden elements, honeypot links, form placeholders
    "<script>var e = 'info@acme.com';</script><style>/* info@acme.com */</style>",
    "<noscript>info@acme.com</noscript><template>info@acme.com</template>",
    "<div hidden>info@acme.com</div>",
    "<a href='mailto:trap@acme.com' style='display: none'>x</a>",
    "<input type='email' placeholder='info@acme.com' value='info@acme.com'>",
    "<img src='/img/logo@2x.png' alt='x' srcset='/img/logo@3x.png 3x'>",
    # not email protection at all
    "<a href='/cdn-cgi/l/email-protection#zz'>x</a><span data-cfemail='12'>x</span>",
]


@pytest.mark.parametrize("body", SHOULD_REJECT)
def test_should_reject(body: str) -> None:
    assert found(body) == []


# --------------------------------------------------------------------------------------------
# Order, dedup, evidence


def test_document_order_and_dedup_keep_first_sighting() -> None:
    body = (
        "<header><a href='mailto:info@acme.com'>info@acme.com</a></header>"
        "<p>Sales: sales@acme.com</p>"
        "<footer><a href='mailto:sales@acme.com'>x</a> INFO@ACME.COM j [at] acme.com</footer>"
    )
    assert found(body) == [
        ("info@acme.com", "mailto"),
        ("sales@acme.com", "text"),
        ("j@acme.com", "obfuscated"),
    ]


def test_invisible_sources_come_after_visible_ones() -> None:
    html = """<html><head>
      <meta name="author" content="web@acme.com">
      <script type="application/ld+json">{"@context": "https://schema.org", "@type": "Organization",
        "email": "mailto:office@acme.com", "contactPoint": {"@type": "ContactPoint", "email": ["a@acme.com"]}}
      </script></head>
      <body><p>hello@acme.com</p>
      <div itemscope itemtype="https://schema.org/Person"><meta itemprop="email" content="p@acme.com"></div>
      </body></html>"""
    got = [(f.email, f.evidence.method) for f in extract_emails(Page(html, URL))]
    assert got == [
        ("hello@acme.com", "text"),
        ("web@acme.com", "text"),
        ("office@acme.com", "jsonld"),
        ("a@acme.com", "jsonld"),
        ("p@acme.com", "microdata"),
    ]


def test_evidence_snippets_are_short_and_non_empty() -> None:
    filler = "lorem ipsum dolor sit amet " * 40
    body = (
        f"<p>{filler} info@acme.com {filler}</p>"
        f"<p>{filler} j [at] acme [dot] com {filler}</p>"
        f"<a href='mailto:x@acme.com?subject={'y' * 400}'>x</a>"
        f"<span data-cfemail='{cf_encode('cf@acme.com')}'></span>"
        f"<a data-email='{'d' * 300} d@acme.com'>z</a>"
    )
    html = (
        f"<html><head><meta name='author' content='{'m' * 300} m@acme.com'></head><body>{body}</body></html>"
    )
    facts = extract_emails(Page(html, URL))
    assert len(facts) == 6
    for fact in facts:
        assert 0 < len(fact.evidence.snippet) <= 200, fact
    assert "info@acme.com" in facts[0].evidence.snippet


def test_deeply_nested_markup() -> None:
    # libxml2 keeps 255 levels; the walk is iterative, so depth never meets Python's recursion limit
    body = "<span>" * 250 + "deep@acme.com" + "</span>" * 250
    assert found(body) == [("deep@acme.com", "text")]


def test_pathological_text_finds_nothing() -> None:
    # A regex that backtracks catastrophically turns this into a hang (no timing asserted: shared box).
    body = "<p>" + "a dot " * 40000 + "</p><p>" + "x at " * 40000 + "</p><p>" + "a@" * 40000 + "</p>"
    assert found(body) == []


def test_visible_text_marks_markup_boundaries() -> None:
    page = Page("<html><body><p>ab<b>cd</b>ef</p><p>gh</p></body></html>", URL)
    vt = visible_text(page)
    start = vt.text.index("ab")
    assert vt.text[start : start + 6] == "abcdef"
    assert vt.crosses_markup(start, start + 4)
    assert not vt.crosses_markup(start, start + 2)
    assert visible_text(page) is vt  # cached per page


def test_visible_text_one_pass_cleaning_matches_chunk_by_chunk() -> None:
    # visible_text cleans the joined text once; cleaning chunk by chunk is the reference.
    fixtures = sorted((Path(__file__).parents[1] / "fixtures" / "extract").glob("*/input.html"))
    bodies = [p.read_text(encoding="utf-8") for p in fixtures] + [
        "<p>a\tb\r\nc\u00a0d<b>e\ff</b>g\vh</p><!-- x -->tail<br>i",
        "<p>john\u200b@acme<span>\u00ad</span>.com</p>",
    ]
    assert fixtures
    for html in bodies:
        vt = visible_text(Page(html, URL))
        ref, parts = walk_visible_text(Page(html, URL), clean_chunks=True)
        assert vt.text == "".join(parts)
        assert (vt.chunk_starts, vt.synthetic) == (ref.chunk_starts, ref.synthetic)
        assert [(a.start, a.end) for a in vt.anchors] == [(a.start, a.end) for a in ref.anchors]


def test_at_matches_are_the_full_scans_matches_with_an_at() -> None:
    # _at_matches scans only near an "at"; it must yield exactly what a scan of the whole text does.
    rnd = random.Random(8)
    words = ["john", "acme", "com", "de", "at", "AT", "x1", "é"]
    joints = [".", " dot ", "(dot)", "<dot>", "{dot}", "[.]", " . ", "@", " at ", "[at]", "<at>", "(ät)"]
    joints += [" @ ", "{chez}", *",;/!'<>()[]{}-+_ \n"]
    texts = ["x at " * 50, "a@" * 50, "john [at] acme [dot] com, jane at acme.com; a dot b at c dot de"]
    for _ in range(3000):
        texts.append("".join(rnd.choice(words) + rnd.choice(joints) for _ in range(rnd.randint(1, 12))))
    for text in texts:
        full = [m.span() for m in emails_module._OBF_RE.finditer(text) if m.group("at") is not None]
        assert [m.span() for m in emails_module._at_matches(text)] == full, text


# --------------------------------------------------------------------------------------------
# normalize_email, roles


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("John.Smith@ACME.com", "john.smith@acme.com"),
        ("  <Info@Acme.com>. ", "info@acme.com"),
        ("mailto:Sales@Acme.com?subject=Hi", "sales@acme.com"),
        ("mailto:%20john%40acme.com", "john@acme.com"),
        ("Jane Roe <jane@acme.com>", "jane@acme.com"),
        ("info@MÜLLER.de", "info@müller.de"),
        ("info@xn--mller-kva.de", "info@müller.de"),
        ("sales@sentry.io", "sales@sentry.io"),
        ("", None),
        ("not an email", None),
        ("a@b@acme.com", None),
        ("logo@2x.png", None),
        ("lodash@4.17.21", None),
        ("info@example.com", None),
        ("noreply@acme.com", None),
        ("8f3a1b2c4d5e6f7a8b9c0d1e2f3a4b5c@o1.ingest.sentry.io", None),
        ("info@acme.invalid", None),
        ("info@acme.comx", None),
    ],
)
def test_normalize_email(raw: str, expected: str | None) -> None:
    assert normalize_email(raw) == expected


def test_check_deliverability_is_passed_to_the_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real = emails_module.validate_email

    def spy(addr: str, *, check_deliverability: bool) -> object:
        seen.append(check_deliverability)
        return real(addr, check_deliverability=False)

    monkeypatch.setattr(emails_module, "validate_email", spy)
    assert (
        normalize_email("deliver@acme-robotics.com", check_deliverability=True) == "deliver@acme-robotics.com"
    )
    page = Page("<p>deliver2@acme-robotics.com</p>", URL)
    assert [f.email for f in extract_emails(page, check_deliverability=True)] == [
        "deliver2@acme-robotics.com"
    ]
    assert seen == [True, True]


def test_role_locals_cover_the_usual_mailboxes() -> None:
    for local in (
        "info", "contact", "sales", "support", "hello", "office", "kontakt", "admin", "team", "hr",
        "jobs", "careers", "press", "media", "marketing", "billing", "accounts", "service", "help",
        "enquiries", "inquiries", "mail", "post", "bonjour", "welcome", "noreply", "no-reply",
        "privacy", "legal", "webmaster", "datenschutz", "impressum", "vertrieb",
    ):  # fmt: skip
        assert local in ROLE_LOCALS


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("info@acme.com", True),
        ("Sales@Acme.com", True),
        ("support+eu@acme.com", True),
        ("info.berlin@acme.de", True),
        ("kontakt@mueller.de", True),
        ("john.smith@acme.com", False),
        ("j.becker@acme.de", False),
        ("informatik-lab@uni.de", False),
        ("", False),
    ],
)
def test_is_role_email(email: str, role: bool) -> None:
    assert is_role_email(email) is role
