"""Contact points that other extractors' test suites check and ours once missed or got wrong.

Each class has its page-level fixture in tests/fixtures/extract/; these are the single values, read
through the public extractors, including the near misses each rule must leave alone.
"""

from __future__ import annotations

import pytest

from crawler.extract.emails import extract_emails
from crawler.extract.page import Page
from crawler.extract.phones import extract_phones, normalize_phone
from crawler.extract.profiles import normalize_social_url
from crawler.extract.region import tel_number
from crawler.extract.social import extract_socials

URL = "https://www.acme-robotics.com/contact"


def page(body: str, url: str = URL, lang: str = "en") -> Page:
    html = f"<!DOCTYPE html><html lang='{lang}'><head><title>t</title></head><body>{body}</body></html>"
    return Page(html, url)


def emails(body: str, **kw: str) -> list[tuple[str, str]]:
    return [(f.email, f.evidence.method) for f in extract_emails(page(body, **kw))]


def phones(body: str, **kw: str) -> list[str]:
    return [f.e164 for f in extract_phones(page(body, **kw))]


def socials(body: str, **kw: str) -> list[tuple[str, str, str, str]]:
    return [(f.platform, f.kind, f.url, f.evidence.method) for f in extract_socials(page(body, **kw))]


# --------------------------------------------------------------------------------------------
# The text walk: a contact link is a token of its own


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<p>Contact<a href="mailto:eva@acme.com">eva@acme.com</a></p>', [("eva@acme.com", "mailto")]),
        ('<p>Mail<a href="mailto:eva@acme.com">eva@acme.com</a>Phone</p>', [("eva@acme.com", "mailto")]),
        (
            '<p>+1 415 555 0100<a href="mailto:eva@acme.com">eva@acme.com</a></p>',
            [("eva@acme.com", "mailto")],
        ),
        # markup inside one address still joins it
        ("<p>eva<span>@</span>acme.com</p>", [("eva@acme.com", "obfuscated")]),
        ('<p>Write to <a href="/contact">eva</a>@acme.com</p>', [("eva@acme.com", "obfuscated")]),
    ],
)
def test_words_flush_against_a_contact_link_stay_outside_it(
    body: str, expected: list[tuple[str, str]]
) -> None:
    assert emails(body) == expected


def test_a_number_flush_against_a_mailto_link_is_a_phone() -> None:
    body = '<p>+1 415 555 0100<a href="mailto:eva@acme.com">eva@acme.com</a></p>'
    assert phones(body) == ["+14155550100"]


# --------------------------------------------------------------------------------------------
# E-mail candidates: apostrophes, mixed-case and digit spellings, the last label


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p>Mail O'Brien@acme.com today</p>", [("o'brien@acme.com", "text")]),
        ("<p>d'arcy.sean@acme.ie</p>", [("d'arcy.sean@acme.ie", "text")]),
        ("<p>'info@acme.com'</p>", [("info@acme.com", "text")]),
        ("<p>write 'sales@acme.com' or call</p>", [("sales@acme.com", "text")]),
        ("<p>o'brien [at] acme [dot] ie</p>", [("o'brien@acme.ie", "obfuscated")]),
    ],
)
def test_apostrophes_inside_local_parts(body: str, expected: list[tuple[str, str]]) -> None:
    assert emails(body) == expected


@pytest.mark.parametrize(
    "text",
    [
        "john [aT] acme [dOt] com",
        "john (At) acme (DoT) com",
        "john [at] acme [d0t] com",
        "john at acme d0t com",
        "john AT acme D0T com",
    ],
)
def test_mixed_case_and_digit_spellings(text: str) -> None:
    assert emails(f"<p>{text}</p>") == [("john@acme.com", "obfuscated")]


@pytest.mark.parametrize(
    "text",
    [
        "john.doe.junior@my.site(dot)eu",
        "john.doe.junior@my.site[dot]eu",
        "john.doe.junior@my(dot)site(dot)eu",
        "john.doe.junior[at]my.site[dot]eu",
    ],
)
def test_a_bracketed_dot_after_a_plain_head_keeps_the_last_label(text: str) -> None:
    assert emails(f"<p>{text}</p>") == [("john.doe.junior@my.site.eu", "obfuscated")]


def test_instructions_about_brackets_are_no_address() -> None:
    body = "<p>Replace [at] and [dot] in the addresses below.</p><p>jane [at] acme [dot] com</p>"
    assert emails(body) == [("jane@acme.com", "obfuscated")]


def test_full_width_at_sign() -> None:
    assert emails("<p>お問い合わせ：info＠sakura.co.jp</p>", lang="ja") == [("info@sakura.co.jp", "text")]


# --------------------------------------------------------------------------------------------
# Phones: scripts without spaces, full-width forms, decimals, "00", prices, tel: typos


@pytest.mark.parametrize(
    ("body", "lang", "expected"),
    [
        ("<p>TEL：０３－１２３４－５６７８</p>", "ja", ["+81312345678"]),
        ("<p>電話03-1234-5678</p>", "ja", ["+81312345678"]),
        ("<p>TEL：０３－１２３４－５６７８　FAX：０３－１２３４－５６７９</p>", "ja", ["+81312345678"]),
        ("<p>ファックス03-1234-5679</p>", "ja", []),
        ("<p>联系电话010-12345678</p>", "zh-CN", ["+861012345678"]),
        ("<p>传真010-12345679</p>", "zh-CN", []),
        ("<p>전화 02-312-3456</p>", "ko", ["+8223123456"]),
    ],
)
def test_east_asian_numbers(body: str, lang: str, expected: list[str]) -> None:
    assert phones(body, lang=lang) == expected


def test_a_fax_label_before_the_next_number_does_not_make_this_one_a_fax() -> None:
    body = "<p>Tel: +49 89 1234567 Fax: +49 89 1234568</p><p>Tel: +49 89 7654321 (Fax)</p>"
    assert phones(body) == ["+49891234567"]


@pytest.mark.parametrize(
    "cell",
    [
        "12.1 - 23.71 - 23.45",
        "4.12 4.35 4.51 4.88",
        "210.55 - 215.40",
        "7.5 – 8.25 – 9.125",
    ],
)
def test_runs_of_decimals_are_not_phones(cell: str) -> None:
    assert phones(f"<table><tr><td>{cell}</td></tr></table>") == []


@pytest.mark.parametrize(
    "text",
    ["Call 415.555.0142", "Tel. +33 1.23.45.67.89", "call 1.800.555.0199"],
)
def test_dotted_numbers_are_still_phones(text: str) -> None:
    assert len(phones(f"<p>{text}</p>", lang="en-US")) == 1


@pytest.mark.parametrize(
    ("body", "url", "lang", "expected"),
    [
        ("<p>Tel. 0044 20 7946 0958</p>", "https://acme.com/", "en", ["+442079460958"]),
        ("<p>Tel. 0049 89 1234567</p>", "https://acme.com/", "en-US", ["+49891234567"]),
        # where "00" is the local way abroad, the number reads the same
        ("<p>Tel. 0044 20 7946 0958</p>", "https://acme.de/", "de", ["+442079460958"]),
        # Australia dials abroad with 0011: "00" there opens that prefix
        ("<p>Ph 0011 44 20 7946 0958</p>", "https://acme.com.au/", "en-AU", ["+442079460958"]),
        # not the start of a number
        ("<p>Ref. 00123 · 08:00–17:00</p>", "https://acme.com/", "en", []),
    ],
)
def test_double_zero_names_the_country(body: str, url: str, lang: str, expected: list[str]) -> None:
    assert phones(body, url=url, lang=lang) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$20 415-666-7777", ["+14156667777"]),
        ("from $149.00 · call 707-555-0123", ["+17075550123"]),
        ("Total $1 250 000", []),
        ("€ 1 250", []),
    ],
)
def test_a_price_before_a_number(text: str, expected: list[str]) -> None:
    assert phones(f"<p>{text}</p>", lang="en-US") == expected


@pytest.mark.parametrize(
    ("href", "number"),
    [
        ("tel:+1-415-555-O1OO", "+1-415-555-0100"),
        ("tel:o2o 7946 0958", "020 7946 0958"),
        ("tel:1-800-FLOWERS", "1-800-FLOWERS"),
        ("tel:+1-800-GO-FEDEX", "+1-800-GO-FEDEX"),
    ],
)
def test_tel_letter_o_among_digits_is_a_zero(href: str, number: str) -> None:
    assert tel_number(href) == number


def test_tel_link_with_letter_o_is_the_full_number() -> None:
    assert normalize_phone("tel:+1-415-555-O1OO", "US") == ("+14155550100", "(415) 555-0100", "US")
    assert phones('<a href="tel:+1-415-555-O1OO">415-555-0100</a>') == ["+14155550100"]


# --------------------------------------------------------------------------------------------
# Profile URLs


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.facebook.com/pages/Restaurant/Joes-Diner/123456789012",
            ("facebook", "company", "https://facebook.com/123456789012"),
        ),
        (
            "https://www.facebook.com/pages/Berlin-Germany/Acme-GmbH/987654321/?ref=hl",
            ("facebook", "company", "https://facebook.com/987654321"),
        ),
        (
            "https://www.facebook.com/pages/category/Bakery/Joes-Pie-Shop-323456789012/",
            ("facebook", "company", "https://facebook.com/323456789012"),
        ),
        (
            "https://facebook.com/pages/Acme/123456789",
            ("facebook", "company", "https://facebook.com/123456789"),
        ),
        ("https://instagr.am/acme", ("instagram", "company", "https://instagram.com/acme")),
        (
            "https://www.instagr.am/acme.studio/",
            ("instagram", "company", "https://instagram.com/acme.studio"),
        ),
        ("https://www.instagram.com/_u/acme/", ("instagram", "company", "https://instagram.com/acme")),
        ("https://instagram.com/_n/acme", ("instagram", "company", "https://instagram.com/acme")),
        (
            "https://www.linkedin.com/mwlite/in/jane-doe-123",
            ("linkedin", "person", "https://linkedin.com/in/jane-doe-123"),
        ),
        (
            "https://linkedin.com/mwlite/company/acme",
            ("linkedin", "company", "https://linkedin.com/company/acme"),
        ),
    ],
)
def test_profile_urls(url: str, expected: tuple[str, str, str]) -> None:
    assert normalize_social_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://www.facebook.com/pages/create",
        "https://www.facebook.com/pages/create/?ref_type=site_footer",
        "https://www.facebook.com/pages/search/?q=diner",
        "https://www.facebook.com/pages/",
        "https://www.facebook.com/pages/Joes-Diner",
        "https://www.instagram.com/_u/",
        "https://instagram.com/_n",
        "https://www.linkedin.com/mwlite/feed",
        "https://instagr.am/p/C1a2B3c4D5e/",
    ],
)
def test_not_profiles(url: str) -> None:
    assert normalize_social_url(url) is None


def test_profile_urls_written_in_the_text() -> None:
    body = (
        "<p>Follow us: instagram.com/acme, twitter.com/AcmeRobotics! "
        "and https://www.linkedin.com/company/acme-robotics/.</p>"
        '<p><a href="https://www.youtube.com/@acmerobotics">YouTube</a> (youtube.com/@acmerobotics)</p>'
    )
    assert socials(body) == [
        ("youtube", "company", "https://youtube.com/@acmerobotics", "link"),
        ("instagram", "company", "https://instagram.com/acme", "text"),
        ("twitter", "company", "https://x.com/acmerobotics", "text"),
        ("linkedin", "company", "https://linkedin.com/company/acme-robotics", "text"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "see acme.com/instagram.com/tips",
        "mail jane@facebook.com",
        "our inbox.com/acme page",
        "watch youtube.com/watch?v=dQw4w9WgXcQ",
        "share facebook.com/sharer/sharer.php?u=x",
    ],
)
def test_text_that_is_no_profile_url(text: str) -> None:
    assert socials(f"<p>{text}</p>") == []


# --------------------------------------------------------------------------------------------
# The matcher's context: what stands right before and after a number


@pytest.mark.parametrize(
    ("body", "lang", "expected"),
    [
        # a full stop ends the number: the postcode after it is not its tail
        ("<p>Tel. 089 12345678. 80331 München</p>", "de", ["+498912345678"]),
        # the head of a run of digits the matcher refused is no number of its own
        ("<p>Reichweite 02-36618 300%</p>", "it", []),
        ("<p>Prezzo 02-36618 300€</p>", "it", []),
        # two numbers one space apart are two numbers
        ("<p>Call 415-555-0100 415-555-0101</p>", "en-US", ["+14155550100", "+14155550101"]),
        # a letter before "+" or "(" does not glue (the way libphonenumber reads it)
        ("<p>Call me at+1 650-253-0000</p>", "en-US", ["+16502530000"]),
        ("<p>Call me at650-253-0000</p>", "en-US", []),
        ("<p>Call 650-333-6000/x12 more</p>", "en-US", ["+16503336000"]),
        # Singapore dials abroad with 008 too: "00" there is the local prefix
        ("<p>Tel: 0081-650-333-6000</p>", "en-SG", ["+16503336000"]),
        ("<p>$20 089 12345678</p>", "de", ["+498912345678"]),
    ],
)
def test_the_numbers_context(body: str, lang: str, expected: list[str]) -> None:
    assert phones(body, lang=lang) == expected


def test_russian_bracketed_markers() -> None:
    assert emails("<p>почта: ivan(собака)yandex(точка)ru</p>") == [("ivan@yandex.ru", "obfuscated")]
    assert emails("<p>Напишите на собака</p>") == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://instagram.com/disco.dude", ("instagram", "company", "https://instagram.com/disco.dude")),
        ("https://instagram.com/disco..dude", None),
        ("https://instagram.com/discodude.", None),
        (
            "https://www.facebook.com/profile.php?id=4",
            ("facebook", "company", "https://facebook.com/profile.php?id=4"),
        ),
        ("https://youtube.com/trending", None),
    ],
)
def test_handle_rules(url: str, expected: tuple[str, str, str] | None) -> None:
    assert normalize_social_url(url) == expected


# --------------------------------------------------------------------------------------------
# Elements written flush against each other without a link between them


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p><strong>Contact</strong><span>eva@acme.com</span></p>", [("eva@acme.com", "text")]),
        ("<p><b>E-Mail</b>eva@acme.com</p>", [("eva@acme.com", "text")]),
        ("<p><span>+1 415 555 0100</span><span>eva@acme.com</span></p>", [("eva@acme.com", "text")]),
        # a lower-case fragment is an address split up on purpose
        ("<p><span>mail</span>box@acme.com</p>", [("mailbox@acme.com", "obfuscated")]),
        ("<p>jo<span>hn</span>@acme.com</p>", [("john@acme.com", "obfuscated")]),
    ],
)
def test_a_label_in_its_own_element_stays_outside_the_address(
    body: str, expected: list[tuple[str, str]]
) -> None:
    assert emails(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p><span>+1 415 555 0100</span><span>eva@acme.com</span></p>", ["+14155550100"]),
        ("<p><b>Tel</b>4155550100</p>", ["+14155550100"]),
        ("<p>Call 415-555-0100<b>Open</b> daily</p>", ["+14155550100"]),
        ("<p>Tel 415<span>555</span>0100</p>", ["+14155550100"]),
        ("<p><b>Fax</b>415-555-0100</p>", []),
        ("<p>SKU<span>415-555-0100</span></p>", []),
        ("<p>+1 415 555 0100eva</p>", []),
    ],
)
def test_a_number_flush_against_another_element(body: str, expected: list[str]) -> None:
    assert phones(body, lang="en-US") == expected
