"""E-mail finding: pattern inference, name writing, and leave-one-out hit rates on hand-written sites."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.verify import Pattern, guess_candidates, guess_email, infer_pattern
from crawler.verify.evaluation import leave_one_out, main
from crawler.verify.patterns import ascii_word, parse_name
from tests.verify.corpus import SITES

ACME = [
    ("Anna Schmidt", "anna.schmidt@acme.de"),
    ("Jonas Weber", "jonas.weber@acme.de"),
    ("Lena Fischer", "lena.fischer@acme.de"),
]


def guessed(name: str, known: list[tuple[str, str]], **options: int) -> str | None:
    guess = guess_email(name, known, **options)
    return guess.address if guess else None


# --- leave one out --------------------------------------------------------------------------


def test_leave_one_out_over_the_corpus() -> None:
    evaluation = leave_one_out(SITES)
    print("\n" + evaluation.report())  # the numbers, for `pytest -s`

    assert len(evaluation.cases) == sum(len(site.people) for site in SITES) == 164
    assert evaluation.precision >= 0.9
    assert evaluation.coverage >= 0.85
    assert evaluation.brier <= 0.08
    rates = {row.pattern: row for row in evaluation.by_pattern()}
    assert rates["first.last"].hit_rate >= 0.85
    assert rates["flast"].hit_rate >= 0.85
    assert rates["f.last"].hit_rate >= 0.85
    assert rates["other"].hits == 0  # an address that follows no pattern cannot be guessed
    # never over-confident where there is enough data to tell
    for bucket in evaluation.calibration():
        if bucket.guesses >= 10:
            assert bucket.hit_rate >= bucket.mean_confidence - 0.1, bucket


def test_sites_with_one_other_address_or_mixed_patterns_give_no_guess() -> None:
    evaluation = leave_one_out(SITES)
    two_address_sites = {site.domain for site in SITES if len(site.people) == 2}

    held_out = [c for c in evaluation.cases if c.domain in two_address_sites]
    mixed = [c for c in evaluation.cases if c.domain == "creative-loft.com"]

    assert len(held_out) == 6
    assert [c.guess for c in held_out] == [None] * 6
    assert len(mixed) == 3
    assert [c.guess for c in mixed] == [None] * 3


def test_the_evaluation_command_reads_a_file_of_sites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sites = [{"domain": "acme.de", "people": [list(pair) for pair in ACME]}]
    path = tmp_path / "sites.json"
    path.write_text(json.dumps(sites), encoding="utf-8")

    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("held out 3, guessed 3 (100%), right 3 (precision 100%)")
    assert "first.last          3        3     3     100%" in out

    path.write_text("{not json", encoding="utf-8")
    assert main([str(path)]) == 2
    assert capsys.readouterr().err.startswith(f"cannot read {path}: ")


# --- the pattern ----------------------------------------------------------------------------


def test_a_consistent_site_gives_a_confident_guess_with_its_basis() -> None:
    guess = guess_email("Max Bauer", ACME)

    assert guess is not None
    assert guess.address == "max.bauer@acme.de"
    assert guess.pattern is Pattern.FIRST_DOT_LAST
    assert guess.basis == ("anna.schmidt@acme.de", "jonas.weber@acme.de", "lena.fischer@acme.de")
    assert guess.confidence >= 0.85
    assert guess.to_dict() == {
        "address": "max.bauer@acme.de",
        "pattern": "first.last",
        "confidence": guess.confidence,
        "basis": ["anna.schmidt@acme.de", "jonas.weber@acme.de", "lena.fischer@acme.de"],
    }


def test_confidence_grows_with_support_and_falls_with_exceptions() -> None:
    two = guess_email("Max Bauer", ACME[:2])
    three = guess_email("Max Bauer", ACME)
    with_exception = guess_email("Max Bauer", [*ACME, ("Tom Brandt", "tb@acme.de")])
    with_two_exceptions = guess_email(
        "Max Bauer", [*ACME, ("Tom Brandt", "tb@acme.de"), ("Eva Roth", "eroth@acme.de")]
    )

    assert two is not None and three is not None
    assert with_exception is not None and with_two_exceptions is not None
    assert two.confidence < three.confidence
    assert with_two_exceptions.confidence < with_exception.confidence < three.confidence
    assert with_exception.basis == three.basis  # the exception is not part of the basis


def test_one_address_alone_gives_no_guess_unless_asked_and_then_a_modest_one() -> None:
    one = [("Anna Schmidt", "anna.schmidt@acme.de")]

    assert guess_email("Max Bauer", one) is None
    asked = guess_email("Max Bauer", one, min_support=1)
    three = guess_email("Max Bauer", ACME)
    assert asked is not None and three is not None
    assert asked.address == "max.bauer@acme.de"
    assert asked.confidence < three.confidence
    assert asked.confidence <= 0.8


def test_conflicting_patterns_give_no_guess() -> None:
    mixed = [
        ("Anna Schmidt", "anna.schmidt@acme.de"),
        ("Jonas Weber", "jweber@acme.de"),
        ("Lena Fischer", "lena.fischer@acme.de"),
        ("Paul Meyer", "pmeyer@acme.de"),
    ]

    site = infer_pattern(mixed)
    assert site.conflict is True
    assert guess_email("Max Bauer", mixed) is None
    assert guess_candidates("Max Bauer", mixed) == []


def test_a_guess_that_is_already_someone_elses_address_is_not_made() -> None:
    known = [
        ("Thomas Schmitt", "tschmitt@schmitt.de"),
        ("Peter Braun", "pbraun@schmitt.de"),
        ("Claudia Frank", "cfrank@schmitt.de"),
    ]

    assert guess_email("Tanja Schmitt", known) is None
    guess = guess_email("Holger Schmitt", known)
    assert guess is not None and guess.address == "hschmitt@schmitt.de"


def test_role_addresses_and_other_domains_are_not_evidence() -> None:
    known = [
        *ACME[:2],
        ("Vertrieb", "vertrieb@acme.de"),
        ("Anna Schmidt", "anna@acme-holding.com"),
        ("Kontakt Team", "info@acme.de"),
    ]

    site = infer_pattern(known)
    assert (site.domain, site.pattern, site.support, site.observed) == (
        "acme.de",
        Pattern.FIRST_DOT_LAST,
        2,
        2,
    )
    guess = guess_email("Max Bauer", known, domain="ACME.de")
    assert guess is not None and guess.address == "max.bauer@acme.de"


@pytest.mark.parametrize(
    ("known", "person", "address", "pattern"),
    [
        ([("Markus Weber", "mweber"), ("Petra Schulz", "pschulz")], "Tobias Lang", "tlang", "flast"),
        ([("Klaus Hartmann", "k.hartmann"), ("Julia Becker", "j.becker")], "Sven Ott", "s.ott", "f.last"),
        ([("Franz König", "franz"), ("Maria Huber", "maria")], "Sepp Maier", "sepp", "first"),
        (
            [("Nina Berger", "nina_berger"), ("Felix Hahn", "felix_hahn")],
            "Paul Roth",
            "paul_roth",
            "first_last",
        ),
        (
            [("Tom Fletcher", "tomfletcher"), ("Hannah Wright", "hannahwright")],
            "Ada Hughes",
            "adahughes",
            "firstlast",
        ),
        ([("Martina Klein", "klein"), ("Ralf Sommer", "sommer")], "Birgit Jahn", "jahn", "last"),
        ([("Anna Schmidt", "annas"), ("Jonas Weber", "jonasw")], "Lena Fischer", "lenaf", "firstl"),
        (
            [("Anna Schmidt", "schmidt.anna"), ("Jonas Weber", "weber.jonas")],
            "Lena Fischer",
            "fischer.lena",
            "last.first",
        ),
        ([("Søren Kjær", "sk"), ("Mette Hansen", "mh"), ("Lars Nielsen", "ln")], "Anne Berg", "ab", "fl"),
    ],
)
def test_each_pattern_is_recognised_and_applied(
    known: list[tuple[str, str]], person: str, address: str, pattern: str
) -> None:
    guess = guess_email(person, [(name, f"{local}@firma.de") for name, local in known])

    assert guess is not None
    assert (guess.address, guess.pattern.value) == (f"{address}@firma.de", pattern)


# --- writing names in ASCII -----------------------------------------------------------------


def test_umlauts_follow_the_sites_spelling() -> None:
    spelled = [*ACME, ("Jürgen Bäumer", "juergen.baeumer@acme.de")]
    folded = [*ACME, ("Jürgen Bäumer", "jurgen.baumer@acme.de"), ("Uwe Schröder", "uwe.schroder@acme.de")]

    assert guessed("Sören Hübner", spelled) == "soeren.huebner@acme.de"
    assert guessed("Sören Hübner", folded) == "soren.hubner@acme.de"
    # without an example the German spelling comes first, the folded one next, both less sure
    candidates = guess_candidates("Sören Hübner", ACME)
    assert [c.address for c in candidates[:2]] == ["soeren.huebner@acme.de", "soren.hubner@acme.de"]
    plain = guess_email("Max Bauer", ACME)
    assert plain is not None and candidates[0].confidence < plain.confidence


def test_accents_sharp_s_and_other_letters_fold_to_ascii() -> None:
    french = [("Sophie Dupont", "sophie.dupont@dupont.fr"), ("Marc Girard", "marc.girard@dupont.fr")]

    assert guessed("Hélène Lefèvre", french) == "helene.lefevre@dupont.fr"
    assert guessed("François Çelik", french) == "francois.celik@dupont.fr"
    assert guessed("Łukasz Wiśniewski", french) == "lukasz.wisniewski@dupont.fr"
    assert guessed("Sabine Groß", ACME) == "sabine.gross@acme.de"
    assert guessed("Sean O'Brien", ACME) == "sean.obrien@acme.de"
    assert ascii_word("Ålesund-Øre", "de") == "aalesund-oere"
    assert ascii_word("Ålesund-Øre", "fold") == "alesund-ore"


def test_particles_are_written_as_the_site_writes_them() -> None:
    joined = [("Jan van der Meer", "jan.vandermeer@bouw.nl"), ("Sanne Bakker", "sanne.bakker@bouw.nl")]
    dropped = [("Jan van der Meer", "jan.meer@bouw.nl"), ("Sanne Bakker", "sanne.bakker@bouw.nl")]
    separated = [("Jan van der Meer", "jan.van.der.meer@bouw.nl"), ("Sanne Bakker", "sanne.bakker@bouw.nl")]

    assert guessed("Femke van Dijk", joined) == "femke.vandijk@bouw.nl"
    assert guessed("Femke van Dijk", dropped) == "femke.dijk@bouw.nl"
    assert guessed("Femke van Dijk", separated) == "femke.van.dijk@bouw.nl"
    # no example: the particle stays, run together
    assert guessed("Carl von Berg", ACME) == "carl.vonberg@acme.de"
    assert guessed("Antoine de La Roche", ACME) == "antoine.delaroche@acme.de"


def test_double_surnames_follow_the_sites_choice() -> None:
    first_surname = [
        ("José García López", "jose.garcia@abogados.es"),
        ("María Fernández Ruiz", "maria.fernandez@abogados.es"),
    ]
    both = [
        ("José García López", "jose.garcialopez@abogados.es"),
        ("María Fernández Ruiz", "maria.fernandezruiz@abogados.es"),
    ]

    assert guessed("Lucía Gómez Pérez", first_surname) == "lucia.gomez@abogados.es"
    assert guessed("Lucía Gómez Pérez", both) == "lucia.gomezperez@abogados.es"


def test_hyphenated_names_follow_the_sites_choice() -> None:
    kept = [("Hans-Peter Lindner", "hans-peter.lindner@lp.de"), ("Eva Roth", "eva.roth@lp.de")]
    joined = [("Hans-Peter Lindner", "hanspeter.lindner@lp.de"), ("Eva Roth", "eva.roth@lp.de")]

    assert guessed("Karl-Heinz Vogt", kept) == "karl-heinz.vogt@lp.de"
    assert guessed("Karl-Heinz Vogt", joined) == "karlheinz.vogt@lp.de"
    assert guessed("Jean-Luc Picard", kept, min_support=1) == "jean-luc.picard@lp.de"


@pytest.mark.parametrize(
    ("raw", "given", "rest"),
    [
        ("Dr. Anna Schmidt", "Anna", ("Schmidt",)),
        ("Prof. Dr. Werner Scholz", "Werner", ("Scholz",)),
        ("Dipl.-Ing. Jörg Lüders", "Jörg", ("Lüders",)),
        ("Müller, Thomas", "Thomas", ("Müller",)),
        ("Anna Schmidt, MBA", "Anna", ("Schmidt",)),
        ("William J. Parker Jr.", "William", ("Parker",)),
        ("mr. Maarten de Jong", "Maarten", ("de", "Jong")),
        ("  Jan   van der  Meer ", "Jan", ("van", "der", "Meer")),
    ],
)
def test_names_are_parsed_for_patterns(raw: str, given: str, rest: tuple[str, ...]) -> None:
    name = parse_name(raw)

    assert name is not None
    assert (name.given, name.rest) == (given, rest)


def test_a_nickname_in_the_name_is_a_candidate_when_the_site_uses_nicknames() -> None:
    name = parse_name("Thomas (Tom) Baker")
    assert name is not None and name.nickname == "Tom"

    formal = guess_email("Thomas (Tom) Baker", ACME)
    assert formal is not None and formal.address == "thomas.baker@acme.de"
    nicknames = [("Robert (Bob) Hale", "bob.hale@acme.de"), ("William (Bill) Ray", "bill.ray@acme.de")]
    informal = guess_email("Thomas (Tom) Baker", nicknames)
    assert informal is not None and informal.address == "tom.baker@acme.de"


def test_a_name_the_pattern_cannot_write_gives_no_guess() -> None:
    assert guess_email("Clara", ACME) is None  # first.last needs a surname
    assert guess_email("", ACME) is None
    assert guess_email("Max Bauer", []) is None
