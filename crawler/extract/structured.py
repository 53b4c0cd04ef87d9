"""schema.org structured data (extruct's json-ld, microdata and RDFa items): types, values, walks."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterator
from typing import Any

__all__ = [
    "STRUCTURED_SYNTAXES",
    "all_nodes",
    "as_list",
    "dict_nodes",
    "first_text",
    "is_org_type",
    "property_strings",
    "property_values",
    "schema_types",
    "short_type",
    "top_nodes",
    "url_values",
]

# The syntaxes of Page.structured that carry schema.org items, in the order extractors read them.
STRUCTURED_SYNTAXES = ("json-ld", "microdata")


def _words(text: str) -> frozenset[str]:
    """A word set written as one wrapped string (long vocabularies stay readable)."""
    return frozenset(text.split())


# Organization and its schema.org subtypes that a company site plausibly declares. Subtypes of
# LocalBusiness are legion (Plumber, Winery, ...); the suffix rule below catches most of the rest.
_ORG_TYPES = _words(
    """
    Organization Corporation LocalBusiness OnlineBusiness OnlineStore Store ProfessionalService NGO
    Airline Consortium EducationalOrganization CollegeOrUniversity School GovernmentOrganization
    MedicalOrganization MedicalBusiness MedicalClinic Hospital Pharmacy Physician Dentist
    NewsMediaOrganization ResearchOrganization SportsOrganization SportsTeam PerformingGroup
    WorkersUnion LegalService Attorney Notary FinancialService BankOrCreditUnion InsuranceAgency
    AccountingService RealEstateAgent TravelAgency EmploymentAgency FoodEstablishment Restaurant
    Bakery BarOrPub Brewery CafeOrCoffeeShop Winery Distillery Hotel Motel LodgingBusiness
    HomeAndConstructionBusiness GeneralContractor Electrician Plumber HVACBusiness Locksmith
    RoofingContractor HousePainter MovingCompany AutomotiveBusiness AutoDealer AutoRepair ChildCare
    DryCleaningOrLaundry EntertainmentBusiness HealthAndBeautyBusiness RadioStation
    TelevisionStation SelfStorage ShoppingCenter Library LibrarySystem InternetCafe RecyclingCenter
    AnimalShelter ArchiveOrganization FundingScheme Project PoliticalParty SearchRescueOrganization
    """
)
_ORG_SUFFIX = re.compile(
    r"(?:Business|Store|Service|Organization|Agency|Contractor|Shop|Dealer|Company|Clinic)$"
)
_WS = re.compile(r"\s+")


def is_org_type(schema_type: str) -> bool:
    """True for schema.org Organization and its subtypes (short names, e.g. ``LocalBusiness``)."""
    return schema_type in _ORG_TYPES or bool(_ORG_SUFFIX.search(schema_type))


def as_list(value: Any) -> list[Any]:
    """A structured-data value as a list: ``None`` -> ``[]``, a single value -> ``[value]``."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def short_type(name: str) -> str:
    """A type or property name without its vocabulary (``https://schema.org/Person``, ``schema:Person``
    -> ``Person``)."""
    return name.rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def schema_types(node: dict[str, Any]) -> list[str]:
    """Short type names of a structured-data node (``https://schema.org/Person`` -> ``Person``)."""
    return [short_type(t) for t in as_list(node.get("@type")) if isinstance(t, str)]


def first_text(value: Any) -> str | None:
    """The first string in a structured-data value (strings, lists, {'@value'}/{'name'} dicts)."""
    for item in as_list(value):
        if isinstance(item, dict):
            item = item.get("@value") or item.get("name")
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            text = _WS.sub(" ", htmllib.unescape(str(item))).strip()
            if text:
                return text
    return None


def url_values(value: Any) -> Iterator[str]:
    """The URLs in a structured-data value (``sameAs``, ``url``): strings, or linked nodes' ``@id``."""
    for item in as_list(value):
        if isinstance(item, dict):
            item = item.get("@id") or item.get("url")
        if isinstance(item, str):
            yield item


def top_nodes(items: list[Any]) -> Iterator[dict[str, Any]]:
    """Top-level nodes of json-ld/microdata items, with ``@graph`` members lifted to the top."""
    for item in items:
        if isinstance(item, list):
            yield from top_nodes(item)
        elif isinstance(item, dict):
            if "@graph" in item:
                yield from top_nodes(as_list(item["@graph"]))
            if "@type" in item:
                yield item


def dict_nodes(value: Any, depth: int, max_depth: int) -> Iterator[tuple[dict[str, Any], int]]:
    """The nodes (dicts) of a structured-data value with their depth, lists flattened: each list
    level counts one, and nothing deeper than ``max_depth`` is reached."""
    if depth > max_depth:
        return
    if isinstance(value, list):
        for item in value:
            yield from dict_nodes(item, depth + 1, max_depth)
    elif isinstance(value, dict):
        yield value, depth


def all_nodes(structured: dict[str, list[Any]]) -> Iterator[dict[str, Any]]:
    """Every typed node of a page's structured data, nested ones included (``Page.schema_nodes``)."""

    def walk(value: Any) -> Iterator[dict[str, Any]]:
        if isinstance(value, list):
            for v in value:
                yield from walk(v)
        elif isinstance(value, dict):
            if "@type" in value:
                yield value
            for v in value.values():
                if isinstance(v, (list, dict)):
                    yield from walk(v)

    for syntax in STRUCTURED_SYNTAXES:
        yield from walk(structured.get(syntax) or [])


def property_values(data: Any, name: str) -> Iterator[Any]:
    """Every value of the property ``name`` (``email``, ``telephone``; any vocabulary prefix, any
    case) at any depth of ``data``, depth first; a matched value is not looked into."""
    name = name.lower()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if isinstance(key, str) and key.lower().rsplit("/", 1)[-1].rsplit("#", 1)[-1] == name:
                    yield value
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(reversed(item))


def property_strings(data: Any, name: str) -> Iterator[str]:
    """The strings among ``property_values(data, name)``: plain, in lists, or ``{"@value": ...}``."""
    for value in property_values(data, name):
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str):
                yield v
            elif isinstance(v, dict) and isinstance(v.get("@value"), str):
                yield v["@value"]
