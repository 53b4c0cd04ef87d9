"""A run's lead candidates by company, as the merge currently names them.

The merge may absorb one candidate into another (a name-only person whose e-mail turns up), so a
pipeline that keeps a company's candidates across pages asks which of them are still current.
"""

from __future__ import annotations

from crawler.extract.leads import LeadCandidate
from crawler.items import PageItem

__all__ = ["CompanyMembers"]


class CompanyMembers:
    """Candidates seen per company domain, and the merge's index of identity key -> candidate."""

    def __init__(self) -> None:
        self._by_domain: dict[str, dict[int, LeadCandidate]] = {}
        self._identities: dict[str, LeadCandidate] = {}

    def add(self, item: PageItem) -> None:
        """Record a page's candidates under its company and the merge's current names for them."""
        members = self._by_domain.setdefault(item.company_domain, {})
        for candidate in item.leads:
            members[id(candidate)] = candidate
        self._identities.update(item.identities)

    def live(self, domain: str) -> list[LeadCandidate]:
        """The company's candidates still current; absorbed ones are forgotten."""
        members = self._by_domain.get(domain, {})
        live = [c for c in members.values() if self._identities.get(c.identity_key) is c]
        self._by_domain[domain] = {id(c): c for c in live}
        return live
