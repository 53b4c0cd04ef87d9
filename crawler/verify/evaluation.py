"""Leave-one-out measurement of e-mail finding: hit rate by pattern and confidence calibration.

For every site and every known (name, address) pair: hide the address, guess it from the others,
and compare. ``python -m crawler.verify.evaluation sites.json`` prints the tables for a file of
``[{"domain": "acme.de", "people": [["Anna Schmidt", "anna.schmidt@acme.de"], ...]}, ...]``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from crawler.verify.patterns import EmailGuess, guess_email, infer_pattern

Guesser = Callable[[str, list[tuple[str, str]], str], EmailGuess | None]
OTHER = "other"  # the held-out address follows no known pattern


@dataclass(frozen=True)
class Site:
    """One company: its mail domain and the (name, address) pairs published on its site."""

    domain: str
    people: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class HeldOut:
    """One held-out address, its pattern, and what was guessed for it from the rest of the site."""

    domain: str
    name: str
    actual: str
    actual_pattern: str
    guess: EmailGuess | None

    @property
    def hit(self) -> bool:
        return self.guess is not None and self.guess.address == self.actual.lower()


@dataclass(frozen=True)
class PatternRow:
    """Held-out addresses of one pattern: how many got a guess, how many guesses were right."""

    pattern: str
    held_out: int
    guessed: int
    hits: int

    @property
    def hit_rate(self) -> float:
        return self.hits / self.held_out if self.held_out else 0.0


@dataclass(frozen=True)
class CalibrationRow:
    """Guesses whose confidence lies in [low, high): their mean confidence against their hit rate."""

    low: float
    high: float
    guesses: int
    mean_confidence: float
    hit_rate: float


@dataclass(frozen=True)
class Evaluation:
    """Every held-out case, and the summaries computed from them."""

    cases: tuple[HeldOut, ...]

    @property
    def guessed(self) -> list[HeldOut]:
        return [c for c in self.cases if c.guess is not None]

    @property
    def hits(self) -> int:
        return sum(c.hit for c in self.cases)

    @property
    def coverage(self) -> float:
        """Share of held-out addresses that got a guess."""
        return len(self.guessed) / len(self.cases) if self.cases else 0.0

    @property
    def precision(self) -> float:
        """Share of guesses that were right."""
        return self.hits / len(self.guessed) if self.guessed else 0.0

    @property
    def brier(self) -> float:
        """Mean squared gap between confidence and outcome (1 hit, 0 miss) over the guesses."""
        guessed = self.guessed
        if not guessed:
            return 0.0
        return sum((c.guess.confidence - c.hit) ** 2 for c in guessed if c.guess) / len(guessed)

    def by_pattern(self) -> list[PatternRow]:
        rows: dict[str, list[HeldOut]] = {}
        for case in self.cases:
            rows.setdefault(case.actual_pattern, []).append(case)
        return sorted(
            (
                PatternRow(p, len(cs), sum(c.guess is not None for c in cs), sum(c.hit for c in cs))
                for p, cs in rows.items()
            ),
            key=lambda r: (-r.held_out, r.pattern),
        )

    def calibration(self, edges: Sequence[float] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)) -> list[CalibrationRow]:
        rows = []
        for i, (low, high) in enumerate(itertools.pairwise(edges)):
            last = i == len(edges) - 2
            cs = [
                c
                for c in self.guessed
                if c.guess and low <= c.guess.confidence and (c.guess.confidence < high or last)
            ]
            mean = sum(c.guess.confidence for c in cs if c.guess) / len(cs) if cs else 0.0
            rate = sum(c.hit for c in cs) / len(cs) if cs else 0.0
            rows.append(CalibrationRow(low, high, len(cs), round(mean, 3), round(rate, 3)))
        return rows

    def report(self) -> str:
        """The tables as text."""
        lines = [
            f"held out {len(self.cases)}, guessed {len(self.guessed)} ({self.coverage:.0%}), "
            f"right {self.hits} (precision {self.precision:.0%}), Brier {self.brier:.3f}",
            "",
            f"{'pattern':<12} {'held out':>8} {'guessed':>8} {'hits':>5} {'hit rate':>8}",
        ]
        for row in self.by_pattern():
            lines.append(
                f"{row.pattern:<12} {row.held_out:>8} {row.guessed:>8} {row.hits:>5} {row.hit_rate:>8.0%}"
            )
        lines += ["", f"{'confidence':<12} {'guesses':>8} {'mean conf':>9} {'hit rate':>8}"]
        for cal in self.calibration():
            lines.append(
                f"[{cal.low:.1f}, {cal.high:.1f}{']' if cal.high == 1.0 else ')'}  {cal.guesses:>8} "
                f"{cal.mean_confidence:>9.2f} {cal.hit_rate:>8.0%}"
            )
        return "\n".join(lines)


def _default_guesser(name: str, others: list[tuple[str, str]], domain: str) -> EmailGuess | None:
    return guess_email(name, others, domain)


def pattern_of(name: str, email: str, domain: str) -> str:
    """The most common pattern that ``email`` follows for ``name``, or ``other``."""
    site = infer_pattern([(name, email)], domain)
    return site.pattern.value if site.pattern is not None else OTHER


def leave_one_out(sites: Iterable[Site], guesser: Guesser = _default_guesser) -> Evaluation:
    """Hold each address out in turn and guess it from the rest of its site."""
    cases: list[HeldOut] = []
    for site in sites:
        people = list(site.people)
        for i, (name, email) in enumerate(people):
            others = people[:i] + people[i + 1 :]
            guess = guesser(name, others, site.domain)
            cases.append(
                HeldOut(site.domain, name, email.lower(), pattern_of(name, email, site.domain), guess)
            )
    return Evaluation(tuple(cases))


def load_sites(path: Path) -> list[Site]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Site(s["domain"], tuple((str(n), str(e)) for n, e in s["people"])) for s in data]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "sites", type=Path, help="JSON file: a list of {domain, people: [[name, email], ...]}"
    )
    args = parser.parse_args(argv)
    try:
        sites = load_sites(args.sites)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"cannot read {args.sites}: {exc}", file=sys.stderr)
        return 2
    print(leave_one_out(sites).report())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
