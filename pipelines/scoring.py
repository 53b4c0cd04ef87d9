"""The built-in scorer: per-company evidence, enrichment and explainable 0–100 lead scores."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from crawler.extract.facts import FirmographicFact, PageFacts, SignalFact
from crawler.extract.firmographics import revenue_band, size_band
from crawler.extract.signals import SIGNALS, decision_maker_level

if TYPE_CHECKING:
    from db.models import Lead

DETECTED = 0.5  # a signal counts (is listed, is scored fully) from this confidence up
STATUS_HOT, STATUS_WARM = 70, 40
ENRICHED_FIELDS = ("company_size", "industry", "location", "revenue_estimate")


@dataclass(frozen=True)
class Weights:
    """Points of every piece of evidence; ``LEADSCRAPER_SCORE_WEIGHTS`` (JSON) overrides any of them.

    A lead's score is ``base`` + its own points (personal contact, decision-maker level, direct
    phone, personal email, a profile) + its company's signal points (capped at ``signal_cap``),
    clamped to 0–100. Role addresses (info@, sales@, a main line) stop at ``role_cap``: a company
    inbox is never a hot lead, however good the company looks.
    """

    base: int = 10
    personal_contact: int = 15
    executive: int = 25
    senior: int = 15
    direct_phone: int = 5
    personal_email: int = 5
    deliverable_email: int = 5
    profile: int = 3
    hiring: int = 15
    recent_funding: int = 20
    growing_company: int = 10
    b2b_saas: int = 8
    has_pricing_page: int = 5
    ecommerce: int = 4
    recent_news: int = 5
    signal_cap: int = 40
    role_cap: int = 45
    llm_max_shift: int = 15  # how far an LLM answer may move the company's points, either way

    @classmethod
    def from_json(cls, text: str | None) -> Weights:
        if not text:
            return cls()
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown score weights: {', '.join(sorted(unknown))}")
        return cls(**{k: int(v) for k, v in data.items()})

    def signal(self, name: str) -> int:
        return int(getattr(self, name, 0)) if name in SIGNALS else 0


def status_for(score: int) -> str:
    return "hot" if score >= STATUS_HOT else "warm" if score >= STATUS_WARM else "cold"


@dataclass(frozen=True)
class Contribution:
    """One line of a score's explanation: what counted, how many points, and why.

    ``kind`` is ``base``, ``contact`` (a fact of the lead itself), ``signal`` (a company signal)
    or ``adjustment`` (a cap, a clamp, the LLM's shift). The points of a lead's contributions add
    up to its score exactly, so a reader can check the arithmetic line by line.
    """

    key: str
    points: int
    reason: str
    kind: str = "contact"

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "points": self.points, "reason": self.reason}

    def line(self) -> str:
        return f"{self.points:+d} {self.reason}"


@dataclass
class CompanyQualification:
    """What a company's evidence is worth: signal points, listed signals, notes and enrichment."""

    points: int
    signals: list[str]
    notes: list[str]
    enrichment: dict[str, Any]
    evidence: list[dict[str, Any]]  # every detected signal with its source URL and snippet
    # each detected signal's points and the cap's cut: sums to the built-in ``points``
    contributions: list[Contribution] = field(default_factory=list)
    proof: list[dict[str, Any]] = field(default_factory=list)  # the detected signals' evidence
    # every signal's best sighting, weak ones too: what the company's signal history is merged with
    found: list[dict[str, Any]] = field(default_factory=list)
    cap: int = 40  # the weights' signal_cap: points / cap is the company's 0–100 score
    source: str = "builtin"  # builtin | llm
    extra_note: str | None = None  # what the LLM said, or why it was not used

    @cached_property
    def fingerprint(self) -> str:
        """What a lead's score and notes depend on, as one comparable string (computed once: a
        qualification is never changed after it is made, and each page compares two)."""
        return json.dumps(
            [self.points, self.signals, self.enrichment, self.source, self.extra_note], sort_keys=True
        )

    @property
    def company_score(self) -> int:
        return max(0, min(100, round(100 * self.points / max(1, self.cap))))

    def company_row(self) -> dict[str, Any]:
        """The company's columns: ``enrichment``, ``score``, notes. Its ``signals`` are a history,
        merged rather than replaced (``db.signal_history``, from ``found``)."""
        notes = " ".join([*self.notes, *([self.extra_note] if self.extra_note else [])])
        return {
            "enrichment": self.enrichment,
            "score": self.company_score,
            "qualification_notes": notes,
        }


@dataclass(frozen=True)
class LeadFeatures:
    """The lead's own facts that the score reads (built from a candidate or a stored row)."""

    contact_type: str
    email: str | None = None
    phone: str | None = None
    full_name: str | None = None
    job_title: str | None = None
    has_profile: bool = False
    email_status: str | None = None  # the verification's verdict on ``email`` (None: not verified)


@dataclass(frozen=True)
class LeadQualification:
    lead_score: int
    lead_status: str
    qualification_notes: str
    signals_detected: list[str]
    enrichment_data: dict[str, Any]
    signals: list[dict[str, Any]] = field(default_factory=list)  # each detected signal's proof
    score_breakdown: list[dict[str, Any]] = field(default_factory=list)  # Contribution.to_dict()s


@dataclass
class CompanyEvidence:
    """Everything seen of one company so far in this run: signals, enrichment facts, page texts."""

    domain: str
    signals: dict[tuple[str, str, str], SignalFact] = field(default_factory=dict)
    firmographics: dict[tuple[str, str, str], FirmographicFact] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    # named people with a decision-making title: folded name -> (name, title); facts of people,
    # scored on each person's own lead, named in the company's notes
    makers: dict[str, tuple[str, str]] = field(default_factory=dict)

    def add(self, facts: PageFacts) -> None:
        for s in facts.signals:
            self.signals.setdefault((s.name, s.url, s.evidence.snippet), s)
        for person in facts.people:
            if person.job_title and decision_maker_level(person.job_title):
                self.makers.setdefault(person.name.casefold(), (person.name, person.job_title))
        for f in facts.firmographics:
            self.firmographics.setdefault((f.name, f.url, str(f.value)), f)
        if facts.text:
            self.texts[facts.url] = facts.text

    def best_signals(self) -> dict[str, SignalFact]:
        best: dict[str, SignalFact] = {}
        for s in sorted(self.signals.values(), key=lambda s: (s.url, s.evidence.snippet)):
            if s.name not in best or s.confidence > best[s.name].confidence:
                best[s.name] = s
        return best

    def enrichment(self) -> dict[str, Any]:
        return combine_enrichment(list(self.firmographics.values()))

    def data(self) -> dict[str, Any]:
        """The company's facts as plain, ordered data: the LLM's input and the cache's key."""
        return {
            "domain": self.domain,
            "signals": sorted(
                (
                    {"name": s.name, "url": s.url, "evidence": s.evidence.snippet, "confidence": s.confidence}
                    for s in self.signals.values()
                ),
                key=lambda d: (d["name"], d["url"], d["evidence"]),
            ),
            "enrichment": {k: v for k, v in self.enrichment().items() if k != "sources"},
        }

    def content_hash(self, text_chars: int = 6000) -> str:
        """SHA-256 of the facts and the trimmed page texts: unchanged pages, unchanged hash."""
        payload = {"data": self.data(), "text": self.trimmed_text(text_chars)}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    def trimmed_text(self, chars: int = 6000) -> str:
        """Page texts, contact-like pages first, cut to ``chars`` characters in all."""
        urls = sorted(self.texts, key=lambda u: (len(u), u))  # home, /about, /team before deep pages
        out, left = [], chars
        for url in urls:
            if left <= 0:
                break
            chunk = self.texts[url][: min(left, 2000)]
            out.append(f"# {url}\n{chunk}")
            left -= len(chunk)
        return "\n\n".join(out)


def combine_enrichment(facts: list[FirmographicFact]) -> dict[str, Any]:
    """The documented enrichment fields from a company's facts, each with its confidence and source.

    ``confidence_score`` (overall) is the mean of the four fields' confidences, a missing field
    counting 0; ``revenue_estimate`` is always an estimate (size band x industry), so its
    confidence is at most 0.6 of the weaker of the two.
    """
    out: dict[str, Any] = {}
    conf: dict[str, float] = {}
    sources: dict[str, dict[str, str]] = {}

    def best(name: str) -> FirmographicFact | None:
        cands = [f for f in facts if f.name == name]
        return max(cands, key=lambda f: (f.confidence, -len(f.url)), default=None)

    employees = best("employees")
    if employees is None:
        heads = [f for f in facts if f.name == "team_headcount"]
        if heads:
            total = max(heads, key=lambda f: int(f.value))
            employees = replace(total, value=max(int(f.value) for f in heads))
    if employees is not None:
        out["company_size"] = size_band(int(employees.value))
        out["employees"] = int(employees.value)
        conf["company_size"] = employees.confidence
        sources["company_size"] = {"url": employees.url, "evidence": employees.evidence.snippet}
    votes: dict[str, float] = {}
    for f in facts:
        if f.name == "industry":
            label, hits = f.value
            votes[label] = votes.get(label, 0.0) + hits * f.confidence
    if votes:
        label = max(sorted(votes), key=lambda k: votes[k])
        share = votes[label] / sum(votes.values())
        top = max(
            (f for f in facts if f.name == "industry" and f.value[0] == label), key=lambda f: f.confidence
        )
        out["industry"] = label
        conf["industry"] = round(top.confidence * share, 2)
        sources["industry"] = {"url": top.url, "evidence": top.evidence.snippet}
    location = best("location")
    if location is not None:
        out["location"] = location.value
        conf["location"] = location.confidence
        sources["location"] = {"url": location.url, "evidence": location.evidence.snippet}
    country = best("country")
    if country is not None:
        out["country"] = country.value
        if location is None:
            out["location"] = country.value
            conf["location"] = country.confidence
            sources["location"] = {"url": country.url, "evidence": country.evidence.snippet}
    if "company_size" in out:
        out["revenue_estimate"] = revenue_band(out["company_size"], out.get("industry"))
        out["revenue_estimate_is_estimate"] = True
        conf["revenue_estimate"] = round(0.6 * min(conf["company_size"], conf.get("industry", 0.5)), 2)
        sources["revenue_estimate"] = {"url": "", "evidence": "estimated from company size band and industry"}
    out["field_confidence"] = {k: round(v, 2) for k, v in conf.items()}
    out["confidence_score"] = round(sum(conf.get(k, 0.0) for k in ENRICHED_FIELDS) / len(ENRICHED_FIELDS), 2)
    out["sources"] = sources
    return out


def _signal_what(s: SignalFact) -> str:
    """The signal in a few words with what its evidence states (roles, amount, round, date)."""
    d = s.detail
    facts: list[str] = []
    if s.name == "hiring" and d.get("open_roles"):
        facts.append(f"{d['open_roles']} open roles")
    elif s.name == "recent_funding":
        facts.extend(str(x) for x in (d.get("amount"), d.get("round"), d.get("date")) if x)
    elif s.name == "recent_news" and d.get("date"):
        facts.append(str(d["date"]))
    elif s.name == "has_pricing_page" and d.get("plans"):
        facts.append(f"{len(d['plans'])} plans")
    name = s.name.replace("_", " ")
    return f"{name} ({', '.join(facts)})" if facts else name


def _signal_note(s: SignalFact) -> str:
    return f"{_signal_what(s)} — “{s.evidence.snippet[:120]}” ({s.url})"


def signal_reason(s: SignalFact) -> str:
    """A score line's reason for a signal: what it is and the page path it was seen on."""
    path = urlsplit(s.url).path or "/"
    what = _signal_what(s)
    return f"{what[:-1]}, {path})" if what.endswith(")") else f"{what} ({path})"


def signal_proof(s: SignalFact) -> dict[str, Any]:
    """A detected signal's proof as the API shows it: page, snippet, how found, page date, reasons."""
    return {
        "name": s.name,
        "url": s.url,
        "snippet": s.evidence.snippet,
        "method": s.evidence.method,
        "page_date": s.page_date,
        "confidence": s.confidence,
        "reasons": list(s.reasons),
        "detail": dict(s.detail),
    }


def signal_points(weight: int, confidence: float) -> int:
    """A detected signal's points: weight x confidence, rounded UP.

    Rounding to nearest cost strong evidence a point (a valid JobPosting, 15 x 0.95, gave 14) and was
    uneven (half to even: 15 x 0.9 gave 14 but 5 x 0.9 gave 4), so an owner reachable by email at a
    company with live job postings scored 69, one short of hot (found by the labelled companies in
    tests/crawler/test_labelled_scoring.py). The inner round() drops float noise (10 x 0.7 = 7.000…1).
    """
    return math.ceil(round(weight * confidence, 6))


def qualify_company(evidence: CompanyEvidence, weights: Weights) -> CompanyQualification:
    """Signal points, listed signals and notes of a company from its evidence so far."""
    points, listed, notes, kept = 0, [], [], []
    contributions: list[Contribution] = []
    proof: list[dict[str, Any]] = []
    best = sorted(evidence.best_signals().items())
    found = [signal_proof(s) for _, s in best]
    for name, s in best:
        if s.confidence < DETECTED:
            continue  # weak (an undated funding line): kept as evidence, not as a signal
        gained = signal_points(weights.signal(name), s.confidence)
        points += gained
        listed.append(name)
        notes.append(_signal_note(s))
        proof.append(signal_proof(s))
        contributions.append(Contribution(name, gained, signal_reason(s), "signal"))
    if points > weights.signal_cap:
        contributions.append(
            Contribution(
                "signal_cap",
                weights.signal_cap - points,
                f"company signals capped at {weights.signal_cap}",
                "adjustment",
            )
        )
    for s in sorted(evidence.signals.values(), key=lambda s: (s.name, s.url, s.evidence.snippet)):
        kept.append(s.to_dict())
    enrichment = evidence.enrichment()
    parts = []
    if notes:
        parts.append("Company signals: " + "; ".join(notes) + ".")
    else:
        parts.append("No buying signals found on the site.")
    facts = [
        f"{label} {enrichment[key]}"
        for key, label in (("company_size", "size"), ("industry", "industry"), ("location", "location"))
        if key in enrichment
    ]
    if facts:
        parts.append("Company: " + ", ".join(facts) + f" (confidence {enrichment['confidence_score']}).")
    makers = list(evidence.makers.values())
    if makers:
        names = ", ".join(f"{name} ({title})" for name, title in makers[:4])
        parts.append(f"Decision makers on the site: {names}.")
    return CompanyQualification(
        points=min(points, weights.signal_cap),
        signals=listed,
        notes=parts,
        enrichment=enrichment,
        evidence=kept,
        contributions=contributions,
        proof=proof,
        found=found,
        cap=weights.signal_cap,
    )


LeadContributor = Callable[[LeadFeatures, Weights], "Contribution | None"]


def _personal_contact(lead: LeadFeatures, w: Weights) -> Contribution | None:
    if lead.contact_type != "personal":
        return None
    return Contribution("personal_contact", w.personal_contact, "personal contact")


def _decision_maker(lead: LeadFeatures, w: Weights) -> Contribution | None:
    level = decision_maker_level(lead.job_title)
    if level is None:
        return None
    points = w.executive if level == "executive" else w.senior
    return Contribution(level, points, f"{level} decision maker ({lead.job_title})")


def _direct_phone(lead: LeadFeatures, w: Weights) -> Contribution | None:
    if lead.contact_type != "personal" or not lead.phone:
        return None
    return Contribution("direct_phone", w.direct_phone, "direct phone")


def _personal_email(lead: LeadFeatures, w: Weights) -> Contribution | None:
    if lead.contact_type != "personal" or not lead.email:
        return None
    return Contribution("personal_email", w.personal_email, "personal email")


def _email_reach(lead: LeadFeatures, w: Weights) -> Contribution | None:
    """A confirmed mailbox counts above one that could not be checked; a personal address that
    bounces is worth no more than none (its personal email points are taken back). Risky and
    unknown addresses change nothing."""
    if not lead.email:
        return None
    if lead.email_status == "deliverable":
        return Contribution("deliverable_email", w.deliverable_email, "deliverable email (verified)")
    if lead.email_status == "undeliverable" and lead.contact_type == "personal":
        return Contribution("undeliverable_email", -w.personal_email, "undeliverable email (it bounces)")
    return None


def _profile(lead: LeadFeatures, w: Weights) -> Contribution | None:
    return Contribution("profile", w.profile, "a profile of the person") if lead.has_profile else None


# Every fact of the lead itself that earns points: one function, one line of the explanation.
# A new contact fact is one more function here (and its weight in ``Weights``).
LEAD_CONTRIBUTORS: tuple[LeadContributor, ...] = (
    _personal_contact,
    _decision_maker,
    _direct_phone,
    _personal_email,
    _email_reach,
    _profile,
)


def lead_contributions(
    company: CompanyQualification, lead: LeadFeatures, weights: Weights
) -> list[Contribution]:
    """Every line of a lead's score, in order; their points add up to the score exactly."""
    lines = [Contribution("base", weights.base, "base", "base")]
    for contributor in LEAD_CONTRIBUTORS:
        line = contributor(lead, weights)
        if line is not None and line.points:
            lines.append(line)
    lines.extend(c for c in company.contributions if c.points)
    builtin = sum(c.points for c in company.contributions)
    if company.points != builtin:
        lines.append(
            Contribution("llm", company.points - builtin, "company points refined by the LLM", "adjustment")
        )
    raw = sum(c.points for c in lines)
    clamped = max(0, min(100, raw))
    if clamped != raw:
        lines.append(Contribution("clamp", clamped - raw, "score kept within 0-100", "adjustment"))
    if lead.contact_type != "personal" and clamped > weights.role_cap:
        lines.append(
            Contribution(
                "role_cap",
                weights.role_cap - clamped,
                f"capped at {weights.role_cap} for a role address",
                "adjustment",
            )
        )
    return lines


def score_lead(company: CompanyQualification, lead: LeadFeatures, weights: Weights) -> LeadQualification:
    """A lead's score, status, notes, signals and line items from its company's qualification and
    its own facts."""
    lines = lead_contributions(company, lead, weights)
    score = sum(c.points for c in lines)
    status = status_for(score)
    level = decision_maker_level(lead.job_title)
    personal = lead.contact_type == "personal"
    who = (
        f"{lead.full_name}, {lead.job_title}"
        if lead.full_name and lead.job_title
        else lead.full_name or lead.email or lead.phone or "contact"
    )
    kind = (
        f"decision maker ({level})" if level else ("personal contact" if personal else "company role address")
    )
    head = f"{who}: {kind}."
    tail = f"Score {score} ({status}): " + "; ".join(c.line() for c in lines)
    notes = " ".join(
        [head, *company.notes, *([company.extra_note] if company.extra_note else []), tail + "."]
    )
    enrichment = {k: v for k, v in company.enrichment.items() if k != "sources"}
    if level:
        enrichment["decision_maker_level"] = level
    return LeadQualification(
        score,
        status,
        notes,
        sorted(set(company.signals)),
        enrichment,
        signals=[dict(p) for p in company.proof],
        score_breakdown=[c.to_dict() for c in lines],
    )


# What a score writes on a lead, whether a candidate of this run or a stored row.
SCORE_FIELDS = (
    "lead_score",
    "lead_status",
    "qualification_notes",
    "signals_detected",
    "enrichment_data",
    "signals",
    "score_breakdown",
)


def write_score(target: Any, result: Any, now: datetime) -> None:
    """Copy a score's fields onto a lead candidate or a stored ``Lead`` and stamp ``enriched_at``."""
    for name in SCORE_FIELDS:
        setattr(target, name, getattr(result, name))
    target.enriched_at = now


def features_of_row(lead: Lead) -> LeadFeatures:
    return LeadFeatures(
        contact_type=lead.contact_type,
        email=lead.email,
        phone=lead.phone,
        full_name=lead.full_name,
        job_title=lead.job_title,
        # a role lead's profiles are its company's (db.leads.attach_company_profiles): not a
        # person's profile, so no points (the same as features_of, which reads the person's own)
        has_profile=lead.contact_type == "personal" and bool(lead.social_profiles),
        email_status=lead.email_status,
    )


COMPANY_LINES = ("signal_cap", "llm")  # the adjustments of the company's part of a score


def rescore_own_facts(lead: Lead, weights: Weights, now: datetime | None = None) -> bool:
    """Score a stored lead again after its own facts changed (its e-mail verified again), its
    company's part as its last crawl scored it: the signal lines, the cap's cut and the LLM's shift
    are read back from ``score_breakdown``, the company's sentences of the notes kept. Returns
    False for a lead that was never scored (``qualify_leads`` off), which stays unscored."""
    if lead.lead_score is None:
        return False
    stored = [
        Contribution(line["key"], int(line["points"]), line.get("reason", ""), line.get("kind", "contact"))
        for line in lead.score_breakdown or []
    ]
    company_lines = [line for line in stored if line.kind == "signal" or line.key in COMPANY_LINES]
    company = CompanyQualification(
        points=sum(line.points for line in company_lines),
        signals=list(lead.signals_detected or []),
        notes=[],
        enrichment={k: v for k, v in (lead.enrichment_data or {}).items() if k != "decision_maker_level"},
        evidence=[],
        # the built-in lines; the LLM's shift is what the points hold beyond them (lead_contributions)
        contributions=[line for line in company_lines if line.key != "llm"],
        proof=list(lead.signals or []),
        cap=weights.signal_cap,
    )
    result = score_lead(company, features_of_row(lead), weights)
    # the notes' head and company sentences stay; the score's own sentence (last) is the new one
    old, new = lead.qualification_notes or "", result.qualification_notes
    at = old.rfind(f"Score {lead.lead_score} (")
    if at >= 0:
        result = replace(
            result, qualification_notes=old[:at] + new[new.rfind(f"Score {result.lead_score} (") :]
        )
    write_score(lead, result, now or datetime.now(UTC))
    return True
