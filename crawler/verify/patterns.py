"""E-mail finding: infer a company's address pattern from the addresses it publishes, and guess a person's.

Pure: no network, no database. Input is what a crawl found on one company's domain — pairs of
(person's name, that person's address) — and the name of a person without an address. Output is
an :class:`EmailGuess` ``{address, pattern, confidence, basis}``, or None.

How it decides:

* Every known pair is matched against the patterns in :data:`PATTERNS` (``first.last``, ``flast``,
  ``first``, ``firstl``, ``first_last``, ...), under each way the name can be written in ASCII:
  umlauts as ``ae``/``oe``/``ue`` or folded to the bare letter (``ß`` is always ``ss``, ``é`` always
  ``e``), particles (``van der``, ``von``, ``de la``) kept, joined or dropped, double surnames whole
  or the first one, hyphenated names kept, joined or cut to their first part, apostrophes dropped.
* The pattern with the most supporting addresses wins; a tie between patterns that different
  addresses support is a conflict and gives no guess, and so does support from fewer than
  :data:`MIN_SUPPORT` (2) addresses: one address cannot tell a pattern from an exception. An
  address that follows no pattern (a nickname, a number, a mispaired name) counts against it.
* ``confidence`` is the chance that the person's address is the guessed one: the chance that the
  site's next address follows the pattern (:func:`follow_probabilities`: a Bayesian model in which
  most companies keep one pattern, with exceptions, and some mix patterns; its three parameters
  are module constants), times, for each writing choice the person's name needs (how to spell
  ``ü``, what to do with ``van der``), the chance that the site makes that choice
  (:func:`choice_probabilities`, from its supporters' addresses, else the priors in
  :data:`_PRIORS`). :mod:`crawler.verify.evaluation` measures these numbers against held-out
  addresses (leave-one-out); crawler/verify/README.md reports the result on the test corpus.

A guess is only ever a guess: it never fills a lead's ``email`` and never merges leads, and one that
equals an address already known for someone else is not made.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import product
from typing import TYPE_CHECKING, Any

from crawler.verify.flags import is_role_email

if TYPE_CHECKING:
    from crawler.verify.results import EmailVerification


class Pattern(StrEnum):
    """Address patterns, most common first (the order breaks ties between equally supported ones)."""

    FIRST_DOT_LAST = "first.last"
    """anna.schmidt@"""
    FLAST = "flast"
    """aschmidt@"""
    FIRST = "first"
    """anna@"""
    FIRSTLAST = "firstlast"
    """annaschmidt@"""
    F_DOT_LAST = "f.last"
    """a.schmidt@"""
    FIRST_UNDERSCORE_LAST = "first_last"
    """anna_schmidt@"""
    FIRSTL = "firstl"
    """annas@"""
    LAST = "last"
    """schmidt@"""
    FIRST_DASH_LAST = "first-last"
    """anna-schmidt@"""
    LAST_DOT_FIRST = "last.first"
    """schmidt.anna@"""
    LASTF = "lastf"
    """schmidta@"""
    FIRST_DOT_L = "first.l"
    """anna.s@"""
    LASTFIRST = "lastfirst"
    """schmidtanna@"""
    F_UNDERSCORE_LAST = "f_last"
    """a_schmidt@"""
    LAST_UNDERSCORE_FIRST = "last_first"
    """schmidt_anna@"""
    FL = "fl"
    """as@ (initials)"""
    LAST_DOT_F = "last.f"
    """schmidt.a@"""
    F_DASH_LAST = "f-last"
    """a-schmidt@"""


PATTERNS: tuple[Pattern, ...] = tuple(Pattern)
_RANK = {p: i for i, p in enumerate(PATTERNS)}
MIN_SUPPORT = 2
"""Known addresses that must follow a pattern before a guess is made: one alone cannot tell a
company's pattern from an exception to it."""
_PART = re.compile(r"first|last|f|l|[._-]")


def _parts(pattern: Pattern) -> list[str]:
    return _PART.findall(pattern.value)


_PATTERN_PARTS = {p: _parts(p) for p in PATTERNS}
_NEEDS_LAST = {p for p, parts in _PATTERN_PARTS.items() if "last" in parts or "l" in parts}

# --- names -----------------------------------------------------------------------------------

PARTICLES = frozenset(
    {
        "van", "von", "der", "den", "de", "del", "della", "dello", "degli", "di", "da", "du", "des",
        "le", "la", "zu", "zum", "zur", "ten", "ter", "te", "op", "het", "'t", "dos", "das", "do",
        "y", "af", "av", "vom", "auf", "d'", "l'", "st", "st.", "san", "santa", "bin", "ibn", "al",
    }
)  # fmt: skip
_HONORIFICS = frozenset(
    {
        "dr", "prof", "professor", "dipl", "dipl.-ing", "dipl.-kfm", "dipl.-kffr", "ing", "mag",
        "mr", "mrs", "ms", "miss", "mx", "herr", "frau", "m", "mme", "mlle", "sr", "sra", "srta",
        "dhr", "mevr", "ir", "drs", "mr.", "sir", "dame", "dott", "dott.ssa", "dra", "lic", "univ",
        "rer", "nat", "med", "h.c", "hc", "pd",
    }
)  # fmt: skip
_SUFFIXES = frozenset(
    {
        "jr", "sr", "ii", "iii", "iv", "phd", "ph.d", "mba", "msc", "m.sc", "bsc", "b.sc", "ma", "m.a",
        "ba", "b.a", "llm", "ll.m", "md", "cpa", "cfa", "esq", "dds", "mphil", "dipl.-ing",
    }
)  # fmt: skip
_NICKNAME = re.compile(r"""(?:^|\s)[("“'‚„]([^)"”'‘“]{2,20})[)"”'‘“](?=\s|$)""")
_INITIAL = re.compile(r"^[^\W\d_]\.$")

# ASCII spellings: the German convention (also Scandinavian å/ø/æ) and the plain fold.
_DE = {"ä": "ae", "ö": "oe", "ü": "ue", "æ": "ae", "ø": "oe", "å": "aa", "œ": "oe"}
_ALWAYS = {"ß": "ss", "ẞ": "ss", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
_FOLD = {"ø": "o", "å": "a"}


def ascii_word(word: str, scheme: str) -> str:
    """``word`` in lower-case ASCII: ``scheme`` ``de`` writes ä as ae, ``fold`` as a; hyphens stay."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", word).lower():
        if scheme == "de" and ch in _DE:
            out.append(_DE[ch])
        elif scheme == "fold" and ch in _FOLD:
            out.append(_FOLD[ch])
        elif ch in _ALWAYS:
            out.append(_ALWAYS[ch])
        else:
            out.append("".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)))
    return re.sub(r"[^a-z0-9-]", "", "".join(out)).strip("-")


@dataclass(frozen=True)
class PersonName:
    """A name split for address patterns: the given name (and a nickname), and the tokens after it."""

    given: str
    rest: tuple[str, ...] = ()
    nickname: str | None = None


def parse_name(full_name: str) -> PersonName | None:
    """Honorifics, degrees, middle initials and "Last, First" order handled; None without a usable word."""
    text = " ".join(unicodedata.normalize("NFC", full_name).split())
    nickname = None
    nick = _NICKNAME.search(text)
    if nick:
        nickname = nick.group(1).strip()
        text = (text[: nick.start()] + " " + text[nick.end() :]).strip()
    if text.count(",") == 1:
        before, after = (t.strip() for t in text.split(","))
        if after and _key(after.split()[0]) not in _SUFFIXES and " " not in before.strip():
            text = f"{after} {before}"  # "Müller, Thomas"
        else:
            text = before
    tokens = [t.strip(",;") for t in text.split() if t.strip(",;")]
    while tokens and (_key(tokens[0]) in _HONORIFICS or _key(tokens[0]).startswith(("dr.", "prof."))):
        tokens.pop(0)
    while len(tokens) > 1 and _key(tokens[-1]) in _SUFFIXES:
        tokens.pop()
    if not tokens:
        return None
    given, rest = tokens[0], [t for t in tokens[1:] if not _INITIAL.match(t)]
    if not ascii_word(given, "fold"):
        return None
    return PersonName(given, tuple(rest), nickname if nickname and ascii_word(nickname, "fold") else None)


def _key(token: str) -> str:
    return token.lower().strip(".,")


# --- renderings: one way of writing a name in ASCII -------------------------------------------

# How a site writes names, before it shows one (relative weights over the values a name offers):
# German sites mostly write ü as ue; particles are mostly kept and run together (jan.vandenberg); of
# three words the last is more often the surname than the middle one; hyphens are mostly kept.
_PRIORS: dict[str, dict[str, float]] = {
    "translit": {"de": 0.75, "fold": 0.25},
    "surname": {
        "particles_joined": 0.3,
        "last": 0.2,
        "particles_sep": 0.1,
        "first_surname": 0.1,
        "full_joined": 0.1,
        "full_sep": 0.1,
    },
    "given_hyphen": {"keep": 0.6, "join": 0.25, "first_part": 0.15},
    "surname_hyphen": {"keep": 0.6, "join": 0.25, "first_part": 0.15},
    "given": {"name": 0.75, "nickname": 0.25},
}
CHOICE_CONFORMITY = 0.95
"""Share of a site's addresses that follow its writing rule (a mail admin applies it mechanically)."""


@dataclass(frozen=True)
class Rendering:
    """The name's parts in ASCII, and the choices (dimension → value) that produced them."""

    first: str
    surname: tuple[str, ...]  # words; joined, or separated by the pattern's separator
    separate: bool  # True: the surname words take the pattern's separator between them
    choices: tuple[tuple[str, str], ...]

    def render(self, pattern: Pattern) -> str | None:
        parts = _PATTERN_PARTS[pattern]
        sep = next((p for p in parts if p in "._-"), "")
        last = (sep if self.separate else "").join(self.surname)
        if pattern in _NEEDS_LAST and not last:
            return None
        values = {"first": self.first, "f": self.first[:1], "last": last, "l": last[:1]}
        return "".join(values.get(p, p) for p in parts)


def _hyphen_forms(word: str) -> list[tuple[str, str | None]]:
    if "-" not in word:
        return [(word, None)]
    pieces = [p for p in word.split("-") if p]
    return [("-".join(pieces), "keep"), ("".join(pieces), "join"), (pieces[0], "first_part")]


def _surname_forms(rest: tuple[str, ...]) -> list[tuple[tuple[str, ...], bool, str | None]]:
    """(words, separate?, choice) for each way the tokens after the given name may make a surname."""
    if not rest:
        return [((), False, None)]
    words = [w for w in rest if w]
    cores = [i for i, w in enumerate(words) if _key(w) not in PARTICLES]
    if not cores:
        return [((words[-1],), False, None)]
    last_core = cores[-1]
    lead = last_core
    while lead > 0 and _key(words[lead - 1]) in PARTICLES:
        lead -= 1
    forms: list[tuple[tuple[str, ...], bool, str | None]] = [((words[last_core],), False, "last")]
    if lead < last_core:
        particles = tuple(words[lead : last_core + 1])
        forms += [(particles, False, "particles_joined"), (particles, True, "particles_sep")]
    if len(cores) > 1:
        start = cores[0]
        while start > 0 and _key(words[start - 1]) in PARTICLES:
            start -= 1
        first_end = cores[0] + 1
        forms.append((tuple(words[start:first_end]), False, "first_surname"))
        whole = tuple(words[start:])
        forms += [(whole, False, "full_joined"), (whole, True, "full_sep")]
    if len(forms) == 1:
        return [(forms[0][0], False, None)]  # a plain one-word surname: no choice to record
    return forms


def renderings(name: PersonName) -> list[Rendering]:
    """Every ASCII writing of ``name``; each lists only the choices this name actually needed."""
    givens: list[tuple[str, str | None]] = [(name.given, None)]
    if name.nickname:
        givens = [(name.given, "name"), (name.nickname, "nickname")]
    out: list[Rendering] = []
    words = [name.given, *([name.nickname] if name.nickname else []), *name.rest]
    schemes: list[str | None] = ["de", "fold"]
    if len({ascii_word(" ".join(words), "de"), ascii_word(" ".join(words), "fold")}) == 1:
        schemes = [None]
    for scheme, (given, given_choice), (surname, separate, surname_choice) in product(
        schemes, givens, _surname_forms(name.rest)
    ):
        spell = scheme or "fold"
        first_word = ascii_word(given, spell)
        surname_words = [w for w in (ascii_word(w, spell) for w in surname) if w]
        for (first, gh), *rest_forms in product(
            _hyphen_forms(first_word), *[_hyphen_forms(w) for w in surname_words]
        ):
            if not first:
                continue
            surname_hyphen = next((h for _, h in rest_forms if h), None)
            if len({h for _, h in rest_forms if h}) > 1:
                continue  # one hyphen habit per surname
            choices = []
            for dim, value in (
                ("translit", scheme),
                ("given", given_choice),
                ("surname", surname_choice),
                ("given_hyphen", gh),
                ("surname_hyphen", surname_hyphen),
            ):
                if value is not None:
                    choices.append((dim, value))
            out.append(Rendering(first, tuple(w for w, _ in rest_forms), separate, tuple(choices)))
    return out


# --- the pattern model -----------------------------------------------------------------------

# Rough shares of business address formats (the prior for a site's pattern); what is left over,
# _NO_PATTERN, is the share of addresses that follow none (nicknames, numbers, old schemes).
_POPULARITY: dict[Pattern, float] = {
    Pattern.FIRST_DOT_LAST: 0.30,
    Pattern.FLAST: 0.14,
    Pattern.FIRST: 0.12,
    Pattern.F_DOT_LAST: 0.10,
    Pattern.FIRSTLAST: 0.06,
    Pattern.FIRST_UNDERSCORE_LAST: 0.03,
    Pattern.FIRSTL: 0.03,
    Pattern.LAST: 0.03,
    Pattern.FIRST_DASH_LAST: 0.02,
    Pattern.LAST_DOT_FIRST: 0.02,
    Pattern.FL: 0.02,
    Pattern.LASTF: 0.01,
    Pattern.FIRST_DOT_L: 0.01,
    Pattern.LASTFIRST: 0.01,
    Pattern.F_UNDERSCORE_LAST: 0.01,
    Pattern.LAST_UNDERSCORE_FIRST: 0.005,
    Pattern.LAST_DOT_F: 0.005,
    Pattern.F_DASH_LAST: 0.005,
}
_NO_PATTERN = 1.0 - sum(_POPULARITY.values())
CONSISTENT_SITES = 0.8
"""Prior share of companies that keep one pattern; the others mix patterns at random."""
CONFORMITY = 0.9
"""Share of a consistent company's addresses that follow its pattern; the rest are exceptions."""


def _background(matches: frozenset[Pattern]) -> float:
    """The chance that an address drawn at random from all formats looks like ``matches``."""
    return sum(_POPULARITY[p] for p in matches) if matches else _NO_PATTERN


def follow_probabilities(observations: Sequence[frozenset[Pattern]]) -> dict[Pattern, float]:
    """P(the site's next address follows P), for each pattern P, given the patterns each known address fits.

    The model: with probability :data:`CONSISTENT_SITES` the company has one pattern D (prior
    :data:`_POPULARITY`), and each address follows D with probability :data:`CONFORMITY`, else
    looks like a random format; otherwise every address is a random format. The posterior over
    D (in log space: long sites multiply many small numbers) gives the predictive chance.
    """
    norm = sum(_POPULARITY.values())
    backgrounds = [_background(m) for m in observations]
    log_mixed = math.log(1 - CONSISTENT_SITES) + sum(math.log(b) for b in backgrounds)
    log_consistent: dict[Pattern, float] = {}
    for dominant in PATTERNS:
        total = math.log(CONSISTENT_SITES) + math.log(_POPULARITY[dominant] / norm)
        for matches, background in zip(observations, backgrounds, strict=True):
            total += math.log(CONFORMITY * (dominant in matches) + (1 - CONFORMITY) * background)
        log_consistent[dominant] = total
    top = max(log_mixed, *log_consistent.values())
    weights = {d: math.exp(v - top) for d, v in log_consistent.items()}
    mixed = math.exp(log_mixed - top)
    z = sum(weights.values()) + mixed
    return {
        pattern: (
            sum(
                w * (CONFORMITY * (d is pattern) + (1 - CONFORMITY) * _POPULARITY[pattern])
                for d, w in weights.items()
            )
            + mixed * _POPULARITY[pattern]
        )
        / z
        for pattern in PATTERNS
    }


# --- inference -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SitePattern:
    """The pattern a domain's known addresses follow: ``support`` of ``observed`` addresses do."""

    domain: str
    pattern: Pattern | None
    support: int
    observed: int
    basis: tuple[str, ...]  # the supporting addresses
    conflict: bool = False  # another pattern has as much support from other addresses
    share: float = 0.0  # the chance that the domain's next address follows ``pattern``
    # per writing choice, the values each supporter's address is consistent with
    choices: dict[str, tuple[frozenset[str], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class EmailGuess:
    """A guessed address for a person: never a lead's ``email``, always shown as a guess.

    ``confidence`` is the estimated chance that ``address`` is the person's real address (see the
    module docstring); ``basis`` are the known addresses that follow ``pattern``.
    """

    address: str
    pattern: Pattern
    confidence: float
    basis: tuple[str, ...]
    support: int = 0
    observed: int = 0
    verification: EmailVerification | None = None

    def to_dict(self) -> dict[str, Any]:
        """``email_guess`` as stored and served: address, pattern, confidence, basis (+ verification)."""
        out: dict[str, Any] = {
            "address": self.address,
            "pattern": self.pattern.value,
            "confidence": self.confidence,
            "basis": list(self.basis),
        }
        if self.verification is not None:
            out["verification"] = self.verification.to_dict()
        return out


@dataclass(frozen=True)
class _Known:
    name: PersonName
    email: str
    local: str
    matches: dict[Pattern, list[Rendering]]


def _split(email: str) -> tuple[str, str] | None:
    local, sep, domain = email.strip().lower().rpartition("@")
    if not sep or not local or not domain:
        return None
    return local.split("+", 1)[0], domain.rstrip(".")


def _known(pairs: Iterable[tuple[str, str]], domain: str | None) -> tuple[str, list[_Known]]:
    usable: list[tuple[PersonName, str, str, str]] = []
    seen: set[str] = set()
    for full_name, email in pairs:
        split = _split(email)
        name = parse_name(full_name) if full_name else None
        if split is None or name is None or is_role_email(email):
            continue
        address = f"{split[0]}@{split[1]}"
        if address in seen:
            continue
        seen.add(address)
        usable.append((name, address, split[0], split[1]))
    if domain is None:
        counts = Counter(d for *_, d in usable)
        domain = counts.most_common(1)[0][0] if counts else ""
    domain = domain.strip().lower().rstrip(".")
    known: list[_Known] = []
    for name, address, local, dom in usable:
        if dom != domain:
            continue
        matches: dict[Pattern, list[Rendering]] = {}
        for rendering in renderings(name):
            for pattern in PATTERNS:
                if rendering.render(pattern) == local:
                    matches.setdefault(pattern, []).append(rendering)
        known.append(_Known(name, address, local, matches))
    return domain, known


def infer_pattern(known: Iterable[tuple[str, str]], domain: str | None = None) -> SitePattern:
    """The pattern that the (name, address) pairs on ``domain`` follow (the most common domain if None).

    Role addresses, pairs on other domains and names without a usable word are left out.
    """
    domain, people = _known(known, domain)
    support: Counter[Pattern] = Counter()
    for person in people:
        support.update(person.matches.keys())
    if not support:
        return SitePattern(domain, None, 0, len(people), ())
    follows = follow_probabilities([frozenset(p.matches) for p in people])
    ranked = sorted(support, key=lambda p: (-support[p], -follows[p], _RANK[p]))
    best = ranked[0]
    backers = {p.email for p in people if best in p.matches}
    conflict = any(
        support[other] == support[best] and {p.email for p in people if other in p.matches} != backers
        for other in ranked[1:]
    )
    choices: dict[str, list[frozenset[str]]] = {}
    for person in people:
        if best not in person.matches:
            continue
        seen_values: dict[str, set[str]] = {}
        for rendering in person.matches[best]:
            for dim, value in rendering.choices:
                seen_values.setdefault(dim, set()).add(value)
        for dim, values in seen_values.items():
            choices.setdefault(dim, []).append(frozenset(values))
    return SitePattern(
        domain,
        best,
        support[best],
        len(people),
        tuple(sorted(backers)),
        conflict,
        round(follows[best], 4),
        {dim: tuple(sets) for dim, sets in choices.items()},
    )


def choice_probabilities(site: SitePattern, dim: str, offered: set[str]) -> dict[str, float]:
    """P(the site writes this name's ``dim`` as v), for each value v the name ``offered``.

    The same model as for patterns, without the mixed sites: the site has one rule (prior
    :data:`_PRIORS`), each supporter follows it with probability :data:`CHOICE_CONFORMITY`.
    """
    priors = _PRIORS[dim]
    evidence = site.choices.get(dim, ())
    posterior: dict[str, float] = {}
    for rule, prior in priors.items():
        p = prior
        for consistent in evidence:
            p *= CHOICE_CONFORMITY * (rule in consistent) + (1 - CHOICE_CONFORMITY) * len(consistent) / len(
                priors
            )
        posterior[rule] = p
    z = sum(posterior.values())
    raw = {
        value: sum(
            (p / z) * (CHOICE_CONFORMITY * (rule == value) + (1 - CHOICE_CONFORMITY) / len(offered))
            for rule, p in posterior.items()
        )
        for value in offered
    }
    total = sum(raw.values())
    return {value: p / total for value, p in raw.items()}


def guess_candidates(
    full_name: str,
    known: Iterable[tuple[str, str]],
    domain: str | None = None,
    *,
    min_support: int = MIN_SUPPORT,
) -> list[EmailGuess]:
    """Every writing of the person's address under the site's pattern, most likely first.

    Empty when fewer than ``min_support`` known addresses follow the site's pattern, when another
    pattern is as well supported (a conflict), when the name cannot be written in the pattern, or
    when the likeliest address already belongs to someone else; other candidates that do are left out.
    """
    pairs = list(known)
    site = infer_pattern(pairs, domain)
    name = parse_name(full_name)
    if site.pattern is None or site.conflict or site.support < min_support or name is None or not site.domain:
        return []
    taken = {email.strip().lower() for _, email in pairs}
    options = [(r, r.render(site.pattern)) for r in renderings(name)]
    offered: dict[str, set[str]] = {}
    for rendering, _ in options:
        for dim, value in rendering.choices:
            offered.setdefault(dim, set()).add(value)
    odds = {dim: choice_probabilities(site, dim, values) for dim, values in offered.items()}
    # Each writing's weight is the product of its choices' probabilities, normalized over all the
    # writings of the name, so the candidates' confidences add up to at most the pattern's share.
    weights: dict[str, float] = {}
    total = 0.0
    for rendering, local in options:
        weight = math.prod(odds[dim][value] for dim, value in rendering.choices)
        total += weight
        if local:
            address = f"{local}@{site.domain}"
            weights[address] = weights.get(address, 0.0) + weight  # two writings that agree add up
    ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or ranked[0][0] in taken:
        return []  # the likeliest address is someone else's: the site must write this one differently
    return [
        EmailGuess(
            address,
            site.pattern,
            round(site.share * weight / total, 2),
            site.basis,
            site.support,
            site.observed,
        )
        for address, weight in ranked
        if address not in taken
    ]


def guess_email(
    full_name: str,
    known: Iterable[tuple[str, str]],
    domain: str | None = None,
    *,
    min_support: int = MIN_SUPPORT,
    min_confidence: float = 0.0,
) -> EmailGuess | None:
    """The most likely address of the person named ``full_name``, or None (see the module docstring).

    ``known`` are (name, address) pairs found on the company's domain; ``domain`` is the mail domain
    to guess on (default: the most common domain among the known addresses).
    """
    candidates = guess_candidates(full_name, known, domain, min_support=min_support)
    if not candidates or candidates[0].confidence < min_confidence:
        return None
    return candidates[0]


def on_domain(email: str, domain: str) -> bool:
    """Whether ``email`` is an address of ``domain`` or one of its subdomains: the addresses a
    company's pattern is learnt from (a founder's gmail says nothing about the company's)."""
    host = email.rpartition("@")[2].strip().lower().rstrip(".")
    domain = domain.strip().lower().rstrip(".")
    return bool(domain) and (host == domain or host.endswith("." + domain))
