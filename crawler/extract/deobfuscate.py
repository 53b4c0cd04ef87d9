"""How sites disguise contact points: Cloudflare e-mail protection, spelled-out "at"/"dot", and the
labels that tell a phone number from a fax number. Shared by the e-mail, phone and people extractors.
"""

from __future__ import annotations

import re
from enum import StrEnum

__all__ = [
    "AT_BRACKET",
    "AT_HINT_RE",
    "AT_SPELLING_RE",
    "AT_WORD",
    "DOT_BRACKET",
    "DOT_SPELLING_RE",
    "DOT_WORD",
    "FAX_ATTRIBUTE_RE",
    "FAX_LABEL_ONLY_RE",
    "NUMBER_LABEL_RE",
    "TRAILING_FAX_RE",
    "NumberLabel",
    "cf_decode",
    "cf_href_decode",
    "has_phone_label",
    "label_kind",
    "undo_at_dot",
]

# --------------------------------------------------------------------------------------------
# Cloudflare e-mail protection: data-cfemail="HEX" and /cdn-cgi/l/email-protection#HEX

_HEX_RE = re.compile(r"(?:[0-9a-fA-F]{2})+")
_CF_HREF_RE = re.compile(r"email-protection#([0-9a-fA-F]+)")


def cf_decode(hexstr: str) -> str | None:
    """Decode Cloudflare's email protection: the first byte is the XOR key for the rest.

    None unless ``hexstr`` is whole bytes of hex holding at least two characters, and they decode
    as UTF-8: a damaged value yields nothing rather than a garbled address.
    """
    hexstr = hexstr.strip()
    if len(hexstr) < 6 or not _HEX_RE.fullmatch(hexstr):
        return None
    data = bytes.fromhex(hexstr)
    key = data[0]
    try:
        return bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None


def cf_href_decode(href: str) -> str | None:
    """The address behind a ``/cdn-cgi/l/email-protection#HEX`` link, or None."""
    m = _CF_HREF_RE.search(href)
    return cf_decode(m.group(1)) if m else None


# --------------------------------------------------------------------------------------------
# "at" and "dot" written out: john [at] acme [dot] com, jean(arobase)acme.fr, info ät firma punkt de
#
# Pattern sources, for extractors to build their own address patterns from. Bracketed forms take
# any case; spelled between spaces, only the usual capitalisations count ("at", "AT", "At"), and
# "chez" only in brackets: on its own it is everyday French; so are the Russian "собака" (dog, the
# name of "@") and "точка" (dot), everyday words outside brackets. "d0t" (a zero for the o) is as
# common a spelling as "dot" on pages that hide addresses from harvesters.

AT_BRACKET = r"\s*[\[\(\{<]\s*(?i:at|ät|@|arroba|arobase|chez|собака)\s*[\]\)\}>]\s*"
AT_WORD = r"\s+(?:at|AT|At|ät|ÄT|arroba|arobase)\s+"
DOT_BRACKET = r"\s*[\[\(\{<]\s*(?i:d[o0]t|punkt|point|punto|точка|\.)\s*[\]\)\}>]\s*"
DOT_WORD = r"\s+(?:dot|DOT|Dot|d0t|D0T|punkt|Punkt|PUNKT|point|punto)\s+"
# Every spelled "at" (not "@" itself) and every spelled "dot" (not "." itself, but " . ").
AT_SPELLING_RE = re.compile(rf"{AT_BRACKET}|{AT_WORD}")
DOT_SPELLING_RE = re.compile(rf"{DOT_BRACKET}|{DOT_WORD}|\s\.\s")
# Each address with an "at" holds one of these: "@", or an at-word right after a bracket or a
# space. A text without one holds no address at all.
AT_HINT_RE = re.compile(r"@|[\[\(\{<\s](?i:at|ät|arroba|arobase|chez|собака)")


def undo_at_dot(text: str) -> str:
    """``text`` with spelled "at"s and "dot"s put back as "@" and "." ("a [at] b [dot] c" -> "a@b.c")."""
    return DOT_SPELLING_RE.sub(".", AT_SPELLING_RE.sub("@", text))


# --------------------------------------------------------------------------------------------
# Phone and fax labels


class NumberLabel(StrEnum):
    """What the label in front of a number says it is."""

    PHONE = "phone"
    """Tel., Phone, Mobil, Handy, Durchwahl, Portable, ... (and "Tel./Fax": a phone too)."""
    FAX = "fax"
    """Fax, Telefax, Télécopie, Téléc., F: ...: not a number to call."""


# Labels before a number; the nearest one decides. Chinese, Japanese and Korean labels have no word
# boundary to look for: those scripts run words together. Alternation order matters: "Tel./Fax" is a
# phone, "Telefax" a fax, then the general phone words.
NUMBER_LABEL_RE = re.compile(
    r"""(?ix)
    (?P<both>\bt[eé]l\w*\.?\s*(?:/|&|\+|und|and|et)\s*fax\b|\bfon\s*/\s*fax\b)
    |(?P<fax>\b(?:tele)?fax\w*\b|\bt[eé]l[eé]copie\w*|\bt[eé]l[eé]c\b|\bf\s?:|传真|傳真|ファ[ッ]?クス)
    |(?P<phone>\bt[eé]l\w*|\bphone\w*|\bfon\b|\bmob(?:il\w*|\.|\b)|\bhandy\b|\bcell\w*|\bcall\w*|\banruf\w*
        |\bwhats\s?app\b|\bruf\b|\bdurchwahl\b|\bdirect\b|\bportable\b|\bhotline\b|\bt\s?:|\bp\s?:|\bm\s?:
        |电话|電話|手机|手機|携帯|전화)
    """
)
# A line that is only a fax label (<dt>Fax</dt><dd>number</dd>, table cells).
FAX_LABEL_ONLY_RE = re.compile(r"(?i)\W*(?:tele)?fax\w*\W*|\W*t[eé]l[eé]c(?:opie)?\W*")
# "(Fax)" right after a number; not "Fax: <number>", which labels the next number on the line.
TRAILING_FAX_RE = re.compile(r"(?i)^[ \t]*[\(\[]?[ \t]*(?:tele)?fax\b(?![ \t.:]*[+(]?\d)")
# A class, id, title or aria-label that names a fax link ("fax", "contact-fax", "telefax").
FAX_ATTRIBUTE_RE = re.compile(r"(?i)(?:^|[\s_\-])(?:tele)?fax(?:$|[\s_\-])")


def label_kind(context: str) -> NumberLabel | None:
    """PHONE, FAX or None: the kind of the last phone/fax label in ``context``."""
    kind = None
    for m in NUMBER_LABEL_RE.finditer(context):
        kind = NumberLabel.FAX if m.lastgroup == "fax" else NumberLabel.PHONE
    return kind


def has_phone_label(text: str) -> bool:
    """True if ``text`` holds a phone label (a fax label alone does not count)."""
    return any(m.lastgroup != "fax" for m in NUMBER_LABEL_RE.finditer(text))
