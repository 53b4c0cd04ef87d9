"""Unit tests for social profile URL normalisation and page-level social extraction."""

from __future__ import annotations

import pytest

from crawler.extract.page import Page
from crawler.extract.profiles import normalize_social_url, person_profile
from crawler.extract.social import extract_socials

ACCEPT = [
    # LinkedIn: country/mobile hosts, sub-pages and case fold away
    (
        "https://www.linkedin.com/in/Max-Mustermann/",
        ("linkedin", "person", "https://linkedin.com/in/max-mustermann"),
    ),
    (
        "https://de.linkedin.com/in/max-mustermann-4b2a1b123",
        ("linkedin", "person", "https://linkedin.com/in/max-mustermann-4b2a1b123"),
    ),
    (
        "http://m.linkedin.com/in/jane?trk=public_profile",
        ("linkedin", "person", "https://linkedin.com/in/jane"),
    ),
    (
        "https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller",
        ("linkedin", "person", "https://linkedin.com/in/j%C3%BCrgen-m%C3%BCller"),
    ),
    (
        "https://www.linkedin.com/in/jürgen-müller/",
        ("linkedin", "person", "https://linkedin.com/in/j%C3%BCrgen-m%C3%BCller"),
    ),
    (
        "https://www.linkedin.com/company/acme-robotics/about/",
        ("linkedin", "company", "https://linkedin.com/company/acme-robotics"),
    ),
    (
        "https://www.linkedin.com/company/acme-robotics/posts/?feedView=all",
        ("linkedin", "company", "https://linkedin.com/company/acme-robotics"),
    ),
    (
        "https://www.linkedin.com/company/acme-robotics/jobs/",
        ("linkedin", "company", "https://linkedin.com/company/acme-robotics"),
    ),
    (
        "https://www.linkedin.com/school/tu-munchen/",
        ("linkedin", "company", "https://linkedin.com/school/tu-munchen"),
    ),
    (
        "https://www.linkedin.com/showcase/acme-vision/",
        ("linkedin", "company", "https://linkedin.com/showcase/acme-vision"),
    ),
    # X / Twitter: both hosts, one canonical form
    ("https://twitter.com/AcmeRobotics", ("twitter", "company", "https://x.com/acmerobotics")),
    ("https://x.com/AcmeRobotics?lang=de", ("twitter", "company", "https://x.com/acmerobotics")),
    ("https://mobile.twitter.com/acme_bot/", ("twitter", "company", "https://x.com/acme_bot")),
    ("https://twitter.com/#!/AcmeRobotics", ("twitter", "company", "https://x.com/acmerobotics")),
    ("https://twitter.com/acme/with_replies", ("twitter", "company", "https://x.com/acme")),
    (
        "https://twitter.com/intent/follow?screen_name=AcmeRobotics",
        ("twitter", "company", "https://x.com/acmerobotics"),
    ),
    ("//twitter.com/acme", ("twitter", "company", "https://x.com/acme")),
    # Facebook
    ("https://www.facebook.com/AcmeRobotics/", ("facebook", "company", "https://facebook.com/acmerobotics")),
    ("https://m.facebook.com/acme.gmbh", ("facebook", "company", "https://facebook.com/acme.gmbh")),
    (
        "https://de-de.facebook.com/acme.gmbh/about/",
        ("facebook", "company", "https://facebook.com/acme.gmbh"),
    ),
    ("www.facebook.com/acme.gmbh", ("facebook", "company", "https://facebook.com/acme.gmbh")),
    (
        "https://www.facebook.com/profile.php?id=100063512345678&sk=about",
        ("facebook", "company", "https://facebook.com/profile.php?id=100063512345678"),
    ),
    (
        "https://www.facebook.com/pages/Acme-Robotics/123456789012345",
        ("facebook", "company", "https://facebook.com/123456789012345"),
    ),
    (
        "https://www.facebook.com/pg/acmerobotics/posts/",
        ("facebook", "company", "https://facebook.com/acmerobotics"),
    ),
    # Instagram
    (
        "https://www.instagram.com/acme.robotics/?hl=en",
        ("instagram", "company", "https://instagram.com/acme.robotics"),
    ),
    ("https://instagram.com/Acme_Robotics", ("instagram", "company", "https://instagram.com/acme_robotics")),
    # YouTube
    ("https://www.youtube.com/@AcmeRobotics", ("youtube", "company", "https://youtube.com/@acmerobotics")),
    (
        "https://www.youtube.com/@AcmeRobotics/videos",
        ("youtube", "company", "https://youtube.com/@acmerobotics"),
    ),
    (
        "https://www.youtube.com/channel/UCx8Kq2f0Lr9vWb3mPz7TnQA",
        ("youtube", "company", "https://youtube.com/channel/UCx8Kq2f0Lr9vWb3mPz7TnQA"),
    ),
    (
        "https://m.youtube.com/c/AcmeRobotics/featured",
        ("youtube", "company", "https://youtube.com/c/acmerobotics"),
    ),
    (
        "https://www.youtube.com/user/AcmeRoboticsInc",
        ("youtube", "company", "https://youtube.com/user/acmeroboticsinc"),
    ),
    ("https://www.youtube.com/AcmeRobotics", ("youtube", "company", "https://youtube.com/c/acmerobotics")),
    # GitHub: a user unless the URL says org
    ("https://github.com/Acme-Robotics", ("github", "person", "https://github.com/acme-robotics")),
    (
        "https://github.com/orgs/acme-robotics/people",
        ("github", "company", "https://github.com/acme-robotics"),
    ),
    # TikTok, XING
    (
        "https://www.tiktok.com/@acme.robotics?lang=de-DE",
        ("tiktok", "company", "https://tiktok.com/@acme.robotics"),
    ),
    (
        "https://www.xing.com/profile/Max_Mustermann2/cv",
        ("xing", "person", "https://xing.com/profile/Max_Mustermann2"),
    ),
    (
        "https://www.xing.com/pages/acmeroboticsgmbh",
        ("xing", "company", "https://xing.com/pages/acmeroboticsgmbh"),
    ),
    (
        "https://www.xing.com/companies/acmeroboticsgmbh",
        ("xing", "company", "https://xing.com/companies/acmeroboticsgmbh"),
    ),
]

REJECT = [
    # share buttons and intents
    "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Facme.com",
    "https://www.facebook.com/sharer.php?u=https://acme.com",
    "https://www.facebook.com/share.php?u=https://acme.com",
    "https://www.facebook.com/dialog/share?app_id=1&href=x",
    "https://www.facebook.com/dialog/feed?app_id=1",
    "https://twitter.com/intent/tweet?text=hi&url=https://acme.com",
    "https://twitter.com/intent/retweet?tweet_id=1",
    "https://x.com/intent/post?text=hi",
    "https://twitter.com/share?url=https://acme.com",
    "https://twitter.com/home?status=Look%20https://acme.com",
    "https://www.linkedin.com/shareArticle?mini=true&url=https://acme.com",
    "https://www.linkedin.com/sharing/share-offsite/?url=https://acme.com",
    "https://www.linkedin.com/cws/share?url=https://acme.com",
    "https://pinterest.com/pin/create/button/?url=x",
    "https://www.xing.com/spi/shares/new?url=https://acme.com",
    "https://www.xing.com/social/share/spi?url=https://acme.com",
    # the platforms' own pages
    "https://twitter.com/home",
    "https://twitter.com/en/privacy",
    "https://twitter.com/tos",
    "https://twitter.com/login",
    "https://twitter.com/i/flow/signup",
    "https://twitter.com/explore",
    "https://twitter.com/search?q=acme",
    "https://twitter.com/hashtag/robots",
    "https://www.facebook.com/policies/cookies/",
    "https://www.facebook.com/privacy/explanation",
    "https://www.facebook.com/login.php",
    "https://www.facebook.com/hashtag/robots",
    "https://www.facebook.com/tr?id=123&ev=PageView&noscript=1",
    "https://www.facebook.com/plugins/page.php?href=x",
    "https://www.facebook.com/groups/123456/",
    "https://www.facebook.com/events/123456/",
    "https://www.linkedin.com/legal/privacy-policy",
    "https://www.linkedin.com/feed/",
    "https://www.linkedin.com/jobs/",
    "https://www.linkedin.com/login",
    "https://www.linkedin.com/company/",
    "https://www.linkedin.com/",
    "https://github.com/features/actions",
    "https://github.com/pricing",
    "https://github.com/login",
    "https://www.youtube.com/t/terms",
    "https://www.youtube.com/results?search_query=acme",
    "https://www.instagram.com/explore/tags/robots/",
    "https://www.instagram.com/accounts/login/",
    "https://www.tiktok.com/legal/page/eea/privacy-policy/en",
    # single posts and media
    "https://twitter.com/AcmeRobotics/status/1765432109876543210",
    "https://x.com/acme/status/1",
    "https://www.instagram.com/p/C4pX9rLsQ2m/",
    "https://www.instagram.com/reel/C4pX9rLsQ2m/",
    "https://www.instagram.com/acme/p/C4pX9rLsQ2m/",
    "https://www.facebook.com/acmerobotics/posts/pfbid02abc",
    "https://www.facebook.com/acmerobotics/videos/123456789/",
    "https://www.facebook.com/watch/?v=123",
    "https://www.linkedin.com/posts/acme-robotics_cobots-activity-7173001234567890123-AbCd",
    "https://www.linkedin.com/pulse/why-cobots-jane-doe",
    "https://www.youtube.com/watch?v=Q3k9x7LmT2s",
    "https://www.youtube.com/embed/Q3k9x7LmT2s",
    "https://www.youtube.com/shorts/Q3k9x7LmT2s",
    "https://www.youtube.com/playlist?list=PL123",
    "https://youtu.be/Q3k9x7LmT2s",
    "https://www.tiktok.com/@acme/video/7301234567890123456",
    "https://github.com/acme-robotics/cobot-sdk",
    "https://gist.github.com/acme/abc123",
    # other subdomains, other sites, not URLs
    "https://business.facebook.com/acme",
    "https://developers.facebook.com/docs",
    "https://l.facebook.com/l.php?u=https%3A%2F%2Facme.com",
    "https://about.twitter.com/en",
    "https://help.instagram.com/519522125107875",
    "https://docs.github.com/en",
    "https://lnkd.in/abc123",
    "https://www.netflix.com/acme",
    "https://acme.com/linkedin.com/in/jane",
    "/team/jane",
    "mailto:jane@acme.com",
    "",
]


@pytest.mark.parametrize(("url", "expected"), ACCEPT)
def test_normalize_accepts_profiles(url: str, expected: tuple[str, str, str]) -> None:
    assert normalize_social_url(url) == expected


@pytest.mark.parametrize("url", REJECT)
def test_normalize_rejects_non_profiles(url: str) -> None:
    assert normalize_social_url(url) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.linkedin.com/in/jane-doe", ("linkedin", "https://linkedin.com/in/jane-doe")),
        ("https://twitter.com/JaneDoe", ("twitter", "https://x.com/janedoe")),
        ("https://github.com/janedoe", ("github", "https://github.com/janedoe")),
        ("https://www.linkedin.com/company/acme", None),  # a company page is nobody's profile
        ("https://www.youtube.com/@acme", None),
        ("https://www.facebook.com/sharer.php?u=x", None),
    ],
)
def test_person_profile(url: str, expected: tuple[str, str] | None) -> None:
    assert person_profile(url) == expected


def _socials(html: str, url: str = "https://www.acme-robotics.com/") -> list[dict[str, str]]:
    return [s.to_dict() for s in extract_socials(Page(html, url))]


def test_dedup_keeps_first_seen_and_structured_method() -> None:
    html = """<html><head><script type="application/ld+json">
    {"@context":"https://schema.org","@type":"Corporation","name":"Acme","sameAs":["https://twitter.com/Acme_Bots"]}
    </script></head><body>
    <a href="https://www.linkedin.com/company/acme-robotics/">in</a>
    <a href="https://x.com/acme_bots">x</a>
    <a href="https://de.linkedin.com/company/acme-robotics">in again</a>
    </body></html>"""
    assert _socials(html) == [
        {"platform": "twitter", "kind": "company", "url": "https://x.com/acme_bots", "method": "jsonld"},
        {
            "platform": "linkedin",
            "kind": "company",
            "url": "https://linkedin.com/company/acme-robotics",
            "method": "link",
        },
    ]


def test_person_sameas_makes_ambiguous_platform_a_person() -> None:
    html = """<html><head><script type="application/ld+json">
    {"@context":"https://schema.org","@type":"Person","name":"Jane Doe","sameAs":["https://twitter.com/janedoe","https://github.com/jdoe"]}
    </script></head><body></body></html>"""
    assert [s["kind"] for s in _socials(html)] == ["person", "person"]


def test_microdata_sameas() -> None:
    html = """<html><body><div itemscope itemtype="https://schema.org/Organization">
    <span itemprop="name">Acme</span>
    <link itemprop="sameAs" href="https://www.instagram.com/acme.robotics/"></div></body></html>"""
    assert _socials(html) == [
        {
            "platform": "instagram",
            "kind": "company",
            "url": "https://instagram.com/acme.robotics",
            "method": "microdata",
        }
    ]


def test_github_handle_matching_the_domain_is_the_company() -> None:
    html = '<html><body><main><p>Code: <a href="https://github.com/acmerobotics">GitHub</a></p></main></body></html>'
    assert _socials(html)[0]["kind"] == "company"
    other = '<html><body><main><p>Thanks to <a href="https://github.com/octocat">octocat</a></p></main></body></html>'
    assert _socials(other)[0]["kind"] == "person"
