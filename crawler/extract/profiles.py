"""Social profile URLs: recognise and normalise them, and tell a person's profile from a company's."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

__all__ = ["AMBIGUOUS_PLATFORMS", "PLATFORMS", "normalize_social_url", "person_profile"]


def _words(text: str) -> frozenset[str]:
    """A word set written as one wrapped string (long vocabularies stay readable)."""
    return frozenset(text.split())


# Canonical host per platform. X/Twitter: the platform keeps the name ``twitter`` (stable across
# the rebrand, what the database stores) but URLs are normalised to ``https://x.com/<handle>``,
# the address the service itself redirects both hosts to today.
PLATFORMS: dict[str, str] = {
    "linkedin.com": "linkedin",
    "twitter.com": "twitter",
    "x.com": "twitter",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "instagram.com": "instagram",
    "instagr.am": "instagram",  # the platform's own short domain, still used in old share links
    "youtube.com": "youtube",
    "github.com": "github",
    "tiktok.com": "tiktok",
    "xing.com": "xing",
}

# Platforms whose URL says nothing about company vs person: the default kind is a guess that
# extract_socials corrects from the page context (Organization/Person sameAs, a person's card).
AMBIGUOUS_PLATFORMS = frozenset({"twitter", "facebook", "instagram", "tiktok", "github"})

# Subdomains that are the same site: www, mobile, web, language/country editions (de., fr-fr.).
_SAME_SITE_SUB = re.compile(r"^(?:www|m|mobile|web|touch|[a-z]{2}(?:-[a-z]{2})?)$")
_DOMAIN_SUFFIX = re.compile(r"(?:^|\.)(" + "|".join(re.escape(d) for d in PLATFORMS) + r")$")

_TWITTER_HANDLE = re.compile(r"^[A-Za-z0-9_]{1,15}$")
_FB_NAME = re.compile(r"^[A-Za-z0-9.\-]{3,80}$")
# Instagram names: letters, digits, "_" and single inner dots (no "..", no dot at either end).
_IG_HANDLE = re.compile(r"^(?!\.)(?!.*\.\.)[A-Za-z0-9._]{1,30}(?<!\.)$")
_GH_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
_TT_HANDLE = re.compile(r"^@[A-Za-z0-9._]{2,24}$")
_YT_HANDLE = re.compile(r"^@[A-Za-z0-9._\-]{3,30}$")
_YT_CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_\-]{20,24}$")
_SLUG = re.compile(r"^[^/?#\s]{1,120}$")
_DIGITS = re.compile(r"^\d{5,20}$")
_SCHEMELESS = re.compile(r"^(?:[a-z0-9-]+\.)*(?:" + "|".join(re.escape(d) for d in PLATFORMS) + r")/")
_XING_PROFILE = re.compile(r"^[A-Za-z0-9_\-.%]+$")
_YT_LEGACY = re.compile(r"^[A-Za-z0-9_\-]{3,60}$")

# First path segments that are the platform's own pages, sharing endpoints or content, never a
# profile. Compared case-insensitively.
_TWITTER_RESERVED = _words(
    """
    home share intent i search explore hashtag privacy tos terms rules login logout signup settings
    messages notifications compose about download jobs who_to_follow account oauth widgets
    widgets.js personalization en de fr es help support lists topics moments i18n following
    followers status statuses tweet tweets web
    """
)
_FACEBOOK_RESERVED = _words(
    """
    sharer sharer.php share share.php dialog plugins tr tr.php policies policy.php privacy legal
    terms login login.php logout.php signup r.php reg help groups events watch marketplace gaming
    hashtag search photo photo.php photos story.php permalink.php home.php ads business about
    settings notes media l.php video.php videos reel reels stories bookmarks friends messages
    careers pages_manager fundraisers places offers live developers campaign recover
    unsupportedbrowser cookie cookies policy
    """
)
_INSTAGRAM_RESERVED = _words(
    """
    p reel reels tv explore accounts about legal developer direct stories web static privacy terms
    help press api challenge emails session sharer share
    """
)
_YOUTUBE_RESERVED = _words(
    """
    watch embed shorts playlist results feed live about t howyoutubeworks ads creators kids premium
    account redirect attribution_link signin logout upload gaming music channels subscription_center
    oembed iframe_api yt s v e get_video_info hashtag post trending podcasts
    """
)
_GITHUB_RESERVED = _words(
    """
    features pricing about login join signup marketplace explore topics trending collections
    enterprise team security site contact sponsors settings notifications new organizations apps
    customer-stories readme home search pulls issues codespaces logout password_reset events
    dashboard stars watching nonprofit education git-guides resources premium-support solutions
    partners mobile why-github copilot advisories blog sessions users orgs account_verifications
    personal-account site-map status
    """
)
_LINKEDIN_COMPANY_PARTS = frozenset({"company", "school", "showcase"})


def _clean_url(url: str) -> str | None:
    """Make the raw href absolute-ish: strip blanks, accept // and scheme-less platform hosts."""
    url = url.strip().replace("\\", "/")
    if not url:
        return None
    low = url.lower()
    if low.startswith("//"):
        return "https:" + url
    if low.startswith(("http://", "https://")):
        return url
    # scheme-less hrefs such as "www.facebook.com/acme" are broken relative links whose intent is
    # clear; anything else relative points at the page's own site.
    if _SCHEMELESS.match(low):
        return "https://" + url
    return None


def _handle_quote(value: str) -> str:
    """Canonical percent-encoding of one path segment (decoded first, so both forms compare equal)."""
    return quote(unquote(value), safe="-_.~!$&'()*+,;=:@")


def normalize_social_url(url: str) -> tuple[str, str, str] | None:
    """Return (platform, kind, normalized_url) for a profile URL, or None for anything else.

    Normalized: ``https://``, host without ``www.``/``m.``/country prefixes, no query, fragment
    or trailing slash, handle case-folded where the platform ignores case. ``kind`` is the kind the
    URL itself says (LinkedIn /in/ -> person, /company/ -> company, ...); for platforms where it
    can't (see AMBIGUOUS_PLATFORMS) the default is ``company`` -- except GitHub, where a plain
    ``github.com/<name>`` is ``person`` (a user; an org can't be told apart from the URL) unless it
    is ``/orgs/<name>``. Share buttons, intents, the platforms' own pages and single posts are None.
    """
    if not url or len(url) > 2000:
        return None
    cleaned = _clean_url(url)
    if not cleaned:
        return None
    try:
        parts = urlsplit(cleaned)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    m = _DOMAIN_SUFFIX.search(host)
    if not m:
        return None
    base = m.group(1)
    sub = host[: -len(base)].rstrip(".")
    if sub and not all(_SAME_SITE_SUB.match(label) for label in sub.split(".")):
        return None  # business.facebook.com, gist.github.com, l.facebook.com link shims, ...
    platform = PLATFORMS[base]
    path = unquote(parts.path) if "%2f" in parts.path.lower() else parts.path
    segs = [s for s in path.split("/") if s]
    if not segs and platform == "twitter" and parts.fragment.startswith("!/"):
        segs = [s for s in parts.fragment[2:].split("/") if s]  # legacy hashbang: twitter.com/#!/acme
    if not segs:
        return None  # the platform's own home page
    return _HANDLERS[platform](segs, parts.query)


def _linkedin(segs: list[str], query: str) -> tuple[str, str, str] | None:
    if segs[0].lower() == "mwlite":
        segs = segs[1:]  # the lightweight mobile site mirrors the paths of the full one
    if len(segs) < 2:
        return None
    head = segs[0].lower()
    slug = segs[1]
    if not _SLUG.match(slug):
        return None
    slug = _handle_quote(slug.lower())
    if head == "in":
        return "linkedin", "person", f"https://linkedin.com/in/{slug}"
    if head in _LINKEDIN_COMPANY_PARTS:
        return "linkedin", "company", f"https://linkedin.com/{head}/{slug}"
    if head == "pub" and len(segs) >= 2:
        # legacy public profile: /pub/first-last/12/345/678 -- the trailing numbers are the id
        rest = "/".join(_handle_quote(s.lower()) for s in segs[1:5])
        return "linkedin", "person", f"https://linkedin.com/pub/{rest}"
    return None  # feed, jobs, legal, posts, pulse, groups, shareArticle, sharing, ...


def _twitter(segs: list[str], query: str) -> tuple[str, str, str] | None:
    head = segs[0]
    low = head.lower()
    if low == "intent" and len(segs) >= 2 and segs[1].lower() in ("follow", "user"):
        # a follow button names the account it follows; that's a profile, not a share intent
        names = parse_qs(query).get("screen_name") or []
        if names and _TWITTER_HANDLE.match(names[0]):
            return "twitter", "company", f"https://x.com/{names[0].lower()}"
        return None
    handle = head[1:] if head.startswith("@") else head
    if low in _TWITTER_RESERVED or not _TWITTER_HANDLE.match(handle):
        return None
    if len(segs) >= 2 and segs[1].lower() in ("status", "statuses"):
        return None  # a single tweet
    return "twitter", "company", f"https://x.com/{handle.lower()}"


def _facebook(segs: list[str], query: str) -> tuple[str, str, str] | None:
    head = segs[0]
    low = head.lower()
    if low == "profile.php":
        ids = parse_qs(query).get("id") or []
        if ids and ids[0].isascii() and ids[0].isdigit() and len(ids[0]) <= 20:
            # numeric profiles have no vanity name; the id is the identity, so keep it
            return "facebook", "company", f"https://facebook.com/profile.php?id={ids[0]}"
        return None
    if low in ("pages", "people"):
        # /pages/<Name>/<id>, /pages/<category or city>/<Name>/<id>, /people/<Name>/<id> and
        # /pages/category/<Category>/<Name>-<id> resolve by the id alone; without one (/pages/create,
        # /pages/search, a bare name) the URL names no profile
        page_id = _facebook_page_id(segs[1:])
        return ("facebook", "company", f"https://facebook.com/{page_id}") if page_id else None
    if low == "pg" and len(segs) >= 2:
        segs = segs[1:2]  # legacy page tabs: /pg/<name>/posts/ is the page itself
        head, low = segs[0], segs[0].lower()
    if low in _FACEBOOK_RESERVED or not _FB_NAME.match(head) or low.endswith(".php"):
        return None
    if len(segs) >= 2 and segs[1].lower() in (
        "posts",
        "photos",
        "videos",
        "permalink.php",
        "reels",
        "events",
    ):
        return None  # a single post or media item, not the profile
    return "facebook", "company", f"https://facebook.com/{low}"


def _facebook_page_id(segs: list[str]) -> str | None:
    """The numeric id that ends a /pages/ or /people/ path ("<Name>/<id>" or "<Name>-<id>")."""
    for seg in reversed(segs[:4]):
        if _DIGITS.match(seg):
            return seg
        tail = seg.rsplit("-", 1)[-1]
        if tail != seg and _DIGITS.match(tail):
            return tail
    return None


def _instagram(segs: list[str], query: str) -> tuple[str, str, str] | None:
    if segs[0] in ("_u", "_n"):
        # app deep links (/_u/<handle>, /_n/<handle>) open the profile they name, and nothing else
        segs = segs[1:2]
        if not segs:
            return None
    head = segs[0].lstrip("@")
    low = head.lower()
    if low in _INSTAGRAM_RESERVED or not _IG_HANDLE.match(head) or low.strip("._") == "":
        return None
    if len(segs) >= 2 and segs[1].lower() in ("p", "reel", "tv"):
        return None  # /<handle>/p/<id>: a post
    return "instagram", "company", f"https://instagram.com/{low}"


def _youtube(segs: list[str], query: str) -> tuple[str, str, str] | None:
    head = segs[0]
    low = head.lower()
    if head.startswith("@"):
        if _YT_HANDLE.match(head):
            return "youtube", "company", f"https://youtube.com/{low}"
        return None
    if low == "channel" and len(segs) >= 2 and _YT_CHANNEL_ID.match(segs[1]):
        return "youtube", "company", f"https://youtube.com/channel/{segs[1]}"  # ids are case-sensitive
    if low in ("c", "user") and len(segs) >= 2 and _SLUG.match(segs[1]):
        return "youtube", "company", f"https://youtube.com/{low}/{_handle_quote(segs[1].lower())}"
    if len(segs) <= 2 and low not in _YOUTUBE_RESERVED and _YT_LEGACY.match(head):
        if len(segs) == 2 and segs[1].lower() not in (
            "videos",
            "about",
            "featured",
            "playlists",
            "community",
        ):
            return None
        # youtube.com/<name> is the legacy custom URL, the same channel as /c/<name>
        return "youtube", "company", f"https://youtube.com/c/{low}"
    return None


def _github(segs: list[str], query: str) -> tuple[str, str, str] | None:
    low = segs[0].lower()
    if low == "orgs" and len(segs) >= 2 and _GH_NAME.match(segs[1]):
        return "github", "company", f"https://github.com/{segs[1].lower()}"
    if len(segs) != 1:
        return None  # a repository, gist, issue, ... -- not a profile
    if low in _GITHUB_RESERVED or not _GH_NAME.match(segs[0]):
        return None
    return "github", "person", f"https://github.com/{low}"


def _tiktok(segs: list[str], query: str) -> tuple[str, str, str] | None:
    if not _TT_HANDLE.match(segs[0]):
        return None
    if len(segs) >= 2 and segs[1].lower() in ("video", "photo", "live"):
        return None
    return "tiktok", "company", f"https://tiktok.com/{segs[0].lower()}"


def _xing(segs: list[str], query: str) -> tuple[str, str, str] | None:
    if len(segs) < 2:
        return None
    head = segs[0].lower()
    if not _SLUG.match(segs[1]):
        return None
    if head == "profile":
        if not _XING_PROFILE.match(segs[1]):
            return None
        # profile names are shown and linked with their case (Max_Mustermann2); keep it
        return "xing", "person", f"https://xing.com/profile/{_handle_quote(segs[1])}"
    if head in ("pages", "companies", "company"):
        slug = _handle_quote(segs[1].lower())
        return "xing", "company", f"https://xing.com/{'companies' if head == 'company' else head}/{slug}"
    return None


_HANDLERS: dict[str, Any] = {
    "linkedin": _linkedin,
    "twitter": _twitter,
    "facebook": _facebook,
    "instagram": _instagram,
    "youtube": _youtube,
    "github": _github,
    "tiktok": _tiktok,
    "xing": _xing,
}


def person_profile(url: str) -> tuple[str, str] | None:
    """(platform, url) if ``url`` can be a person's profile: person-kind, or an ambiguous platform.

    Used where the context already says "this is a person" (a Person's sameAs, a team card), so a
    Twitter or GitHub handle belongs to them while a LinkedIn company page does not.
    """
    norm = normalize_social_url(url)
    if not norm:
        return None
    platform, kind, nurl = norm
    if kind == "person" or platform in AMBIGUOUS_PLATFORMS:
        return platform, nurl
    return None
