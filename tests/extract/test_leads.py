"""Lead candidates of one page: named people are leads with or without a contact point, a card's
contacts join its person, a role address stays the company's, and an address whose local part
spells a name joins that name."""

from __future__ import annotations

import pytest

from crawler.extract import extract_page
from crawler.extract.facts import CompanyFact, EmailFact, Evidence, PageFacts, PersonFact, PhoneFact
from crawler.extract.leads import (
    IdentityRank,
    LeadCandidate,
    NameMatch,
    identity_rank,
    join_emails_by_name,
    lead_candidates,
    local_part_match,
    person_identity,
)

DOMAIN = "kestrel-finch.co.uk"
URL = f"https://{DOMAIN}/team"


def _facts(
    people: list[PersonFact], emails: list[str] = (), phones: list[str] = (), company: str | None = None
):  # type: ignore[assignment]
    return PageFacts(
        url=URL,
        people=people,
        emails=[EmailFact(e, Evidence("mailto", e)) for e in emails],
        phones=[PhoneFact(p, p, "GB", Evidence("tel", p)) for p in phones],
        company=CompanyFact(company, DOMAIN, Evidence("opengraph", company or "")) if company else None,
    )


def _person(name: str, title: str | None = None, **contacts: object) -> PersonFact:
    return PersonFact(name=name, evidence=Evidence("card", name), job_title=title, **contacts)  # type: ignore[arg-type]


def _by_key(candidates: list[LeadCandidate]) -> dict[str, LeadCandidate]:
    return {c.identity_key: c for c in candidates}


def test_a_named_person_without_a_contact_point_is_a_personal_lead_keyed_by_name_and_company() -> None:
    got = _by_key(lead_candidates(_facts([_person("Dr. Emma Silva", "UX Researcher")]), DOMAIN))
    assert list(got) == [f"person:emma silva|{DOMAIN}"]
    emma = got[f"person:emma silva|{DOMAIN}"]
    assert (emma.full_name, emma.job_title, emma.contact_type) == (
        "Dr. Emma Silva",
        "UX Researcher",
        "personal",
    )
    assert (emma.email, emma.phone, emma.profiles) == (None, None, {})
    assert emma.sightings == [(URL, "card")]
    assert person_identity("Emma  SILVA", DOMAIN) == emma.identity_key  # case, spaces, honorifics folded
    assert person_identity("Emma Silva", "alder-analytics.com") != emma.identity_key  # another company


def test_identity_ranks_email_then_phone_then_profile_then_name() -> None:
    keys = ["person:a b|x.com", "profile:https://linkedin.com/in/ab", "phone:+4420|x.com", "ab@x.com"]
    assert [identity_rank(k) for k in keys] == [
        IdentityRank.PERSON,
        IdentityRank.PROFILE,
        IdentityRank.PHONE,
        IdentityRank.EMAIL,
    ]


def test_a_role_address_on_a_card_is_the_companys_and_the_person_stays_a_person() -> None:
    facts = _facts(
        [_person("Liam O'Connor", "Senior Developer", email="hello@kestrel-finch.co.uk")],
        ["hello@kestrel-finch.co.uk"],
    )
    got = _by_key(lead_candidates(facts, DOMAIN))
    assert sorted(got) == ["hello@kestrel-finch.co.uk", f"person:liam o'connor|{DOMAIN}"]
    assert got["hello@kestrel-finch.co.uk"].contact_type == "role"
    assert got["hello@kestrel-finch.co.uk"].full_name is None
    liam = got[f"person:liam o'connor|{DOMAIN}"]
    assert (liam.email, liam.job_title, liam.contact_type) == (None, "Senior Developer", "personal")


def test_a_role_address_only_a_persons_structured_data_names_is_still_a_company_lead() -> None:
    # e.g. a JSON-LD Person whose email is info@: the page's email list may lack it
    facts = _facts([_person("Ava Nguyen", "Project Manager", email="info@kestrel-finch.co.uk")])
    got = _by_key(lead_candidates(facts, DOMAIN))
    assert sorted(got) == ["info@kestrel-finch.co.uk", f"person:ava nguyen|{DOMAIN}"]
    assert got["info@kestrel-finch.co.uk"].contact_type == "role"


def test_the_pages_address_that_spells_a_persons_name_joins_that_person() -> None:
    facts = _facts(
        [_person("Grace Liu", "Finance Manager"), _person("Noah Patel", "Head of Design")],
        ["grace.liu@kestrel-finch.co.uk", "press@kestrel-finch.co.uk", "npatel@kestrel-finch.co.uk"],
    )
    got = _by_key(lead_candidates(facts, DOMAIN))
    assert sorted(got) == [
        "grace.liu@kestrel-finch.co.uk",
        "npatel@kestrel-finch.co.uk",
        "press@kestrel-finch.co.uk",
    ]
    assert (
        got["grace.liu@kestrel-finch.co.uk"].full_name,
        got["grace.liu@kestrel-finch.co.uk"].job_title,
    ) == (
        "Grace Liu",
        "Finance Manager",
    )
    assert got["npatel@kestrel-finch.co.uk"].full_name == "Noah Patel"
    assert got["press@kestrel-finch.co.uk"].full_name is None


def test_an_address_two_people_could_own_joins_neither() -> None:
    facts = _facts(
        [_person("Jane Porter", "COO"), _person("Jane Smith", "CFO")], ["jane@kestrel-finch.co.uk"]
    )
    got = _by_key(lead_candidates(facts, DOMAIN))
    assert sorted(got) == [
        "jane@kestrel-finch.co.uk",
        f"person:jane porter|{DOMAIN}",
        f"person:jane smith|{DOMAIN}",
    ]
    assert got["jane@kestrel-finch.co.uk"].full_name is None


def test_a_person_named_like_the_company_with_nothing_to_reach_is_not_a_person() -> None:
    facts = _facts(
        [_person("Hotel Alpenblick"), _person("Anna Berger", "Rezeption")], company="Hotel Alpenblick"
    )
    assert list(_by_key(lead_candidates(facts, DOMAIN))) == [f"person:anna berger|{DOMAIN}"]


@pytest.mark.parametrize(
    ("name", "email", "match"),
    [
        ("Jane Doe", "jane.doe@x.com", NameMatch.FULL),
        ("Jane Doe", "jdoe@x.com", NameMatch.FULL),
        ("Jane Doe", "doe.jane@x.com", NameMatch.FULL),
        ("Jane Doe", "janed@x.com", NameMatch.FULL),
        ("Jane Doe", "jane@x.com", NameMatch.PART),
        ("Jane Doe", "doe@x.com", NameMatch.PART),
        ("Jane Doe", "jd@x.com", NameMatch.NONE),
        ("Jane Doe", "info@x.com", NameMatch.NONE),
        ("Dr. Hans Müller", "h.mueller@x.de", NameMatch.FULL),
        ("Dr. Hans Müller", "hans.muller@x.de", NameMatch.FULL),
        ("Amélie Rousseau", "a.rousseau@x.fr", NameMatch.FULL),
        ("Jean-Pierre Dupont", "jp.dupont@x.fr", NameMatch.FULL),
        ("Lukas van der Berg", "lukas.vanderberg@x.nl", NameMatch.FULL),
        ("Siobhan O'Reilly", "siobhan.oreilly@x.ie", NameMatch.FULL),
        ("Tom Li", "li@x.com", NameMatch.NONE),  # too short to tell
    ],
)
def test_local_part_match(name: str, email: str, match: NameMatch) -> None:
    assert local_part_match(name, email) == match


def test_join_emails_by_name_takes_the_one_best_spelling_and_refuses_ties() -> None:
    assert join_emails_by_name(["Jane Porter", "Jane Smith"], ["jane.porter@x.com", "smith@x.com"]) == {
        "Jane Porter": "jane.porter@x.com",
        "Jane Smith": "smith@x.com",
    }
    # jane@ could be either Jane; smith@ and jane@ spell Jane Smith equally well
    assert join_emails_by_name(["Jane Porter", "Jane Smith"], ["jane@x.com"]) == {}
    assert join_emails_by_name(["Jane Smith"], ["jane@x.com", "smith@x.com"]) == {}
    assert join_emails_by_name(["Jane Porter"], ["jane@x.com"], NameMatch.FULL) == {}


def test_a_team_grid_of_icon_links_gives_every_person_their_own_card_contacts() -> None:
    html = """<html lang="en"><head><title>People | Kestrel</title></head><body><main><h1>People</h1>
    <section class="team-grid">
      <article><h3>Olivia Hart</h3><p>Founder &amp; Creative Director</p>
        <a href="mailto:olivia.hart@kestrel-finch.co.uk" aria-label="Email"><svg><path d="M0"/></svg></a>
        <a href="https://www.linkedin.com/in/olivia-hart-kf/"><i class="fa-linkedin"></i></a></article>
      <article><h3>Emma Silva</h3><p>UX Researcher</p></article>
      <article><h3>Ava Nguyen</h3><p>Project Manager</p><a href="tel:+442079460358"><svg></svg></a></article>
    </section></main></body></html>"""
    got = _by_key(lead_candidates(extract_page(html, URL), DOMAIN))
    assert sorted(got) == [
        "olivia.hart@kestrel-finch.co.uk",
        f"person:emma silva|{DOMAIN}",
        f"phone:+442079460358|{DOMAIN}",
    ]
    olivia = got["olivia.hart@kestrel-finch.co.uk"]
    assert (olivia.full_name, olivia.job_title) == ("Olivia Hart", "Founder & Creative Director")
    assert olivia.profiles == {"linkedin": "https://linkedin.com/in/olivia-hart-kf"}
    ava = got[f"phone:+442079460358|{DOMAIN}"]
    assert (ava.full_name, ava.contact_type) == ("Ava Nguyen", "personal")


def test_absorbing_keeps_the_better_key_and_remembers_the_other() -> None:
    named = lead_candidates(_facts([_person("Sam Rivera", "Account Director")]), DOMAIN)[0]
    emailed = lead_candidates(
        _facts([_person("Sam Rivera", email="sam.rivera@kestrel-finch.co.uk")]), DOMAIN
    )[0]
    named.absorb(emailed)
    assert named.identity_key == "sam.rivera@kestrel-finch.co.uk"
    assert named.previous_keys == {f"person:sam rivera|{DOMAIN}"}
    assert (named.email, named.job_title) == ("sam.rivera@kestrel-finch.co.uk", "Account Director")
