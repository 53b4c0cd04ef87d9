"""Credits: what a job and a crawled URL cost, and every change of a balance, through the ledger."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from db.models import Account, CreditTransaction, Job
from db.outbox import credit_low_crossed, record_credit_low

RENDER_SURCHARGE = 1  # credits added to a URL whose pages needed the browser


# -- prices ------------------------------------------------------------------------------------


def credits_per_url(options: dict[str, Any]) -> int:
    """What one crawled URL of a job with these options costs: 1, + 1 with ``qualify_leads``."""
    return 1 + (1 if options.get("qualify_leads", True) else 0)


def estimate_credits(url_count: int, options: dict[str, Any]) -> int:
    """A job's estimate (README, Credits): URLs x (1 + 1 if ``qualify_leads``), + 1 a URL when
    ``render_js`` is ``always``.

    With ``render_js: auto`` the browser surcharge is only known as pages turn out to need it.
    """
    surcharge = RENDER_SURCHARGE if options.get("render_js") == "always" else 0
    return url_count * (credits_per_url(options) + surcharge)


def url_price(per_url: int, *, rendered: bool) -> int:
    """What one crawled URL costs: the job's price a URL, + the surcharge if it needed the browser.
    A URL that failed costs nothing and is never priced."""
    return per_url + (RENDER_SURCHARGE if rendered else 0)


def affordable_urls(session: Session, account_id: str, job_id: str, per_url: int) -> int:
    """How many more URLs of the job its account can pay for: the balance plus what is left of the
    job's reservation, at the job's price a URL (the browser surcharge is charged when it occurs)."""
    balance = session.scalar(select(Account.credit_balance).where(Account.id == account_id)) or 0
    row = session.execute(select(Job.credits_reserved, Job.credits_used).where(Job.id == job_id)).first()
    reserved_left = max(0, int(row[0]) - int(row[1])) if row else 0
    return (int(balance) + reserved_left) // per_url


# -- the ledger --------------------------------------------------------------------------------


def add_credits(
    session: Session, account_id: str, amount: int, kind: str, description: str, job_id: str | None = None
) -> None:
    """Credit an account: the balance and its ledger row change in the caller's transaction."""
    session.execute(
        update(Account).where(Account.id == account_id).values(credit_balance=Account.credit_balance + amount)
    )
    session.add(
        CreditTransaction(
            account_id=account_id, amount=amount, type=kind, description=description, job_id=job_id
        )
    )
    session.flush()


def ledger_sum(session: Session, account_id: str) -> int:
    """The sum of an account's ledger rows (always equal to its balance)."""
    total = session.scalar(
        select(func.coalesce(func.sum(CreditTransaction.amount), 0)).where(
            CreditTransaction.account_id == account_id
        )
    )
    return int(total or 0)


def _add_usage_row(session: Session, account_id: str, job_id: str, amount: int, description: str) -> None:
    """The ledger row of credits a job took from the balance (``amount`` > 0 is written negative)."""
    session.add(
        CreditTransaction(
            account_id=account_id, amount=-amount, type="usage", description=description, job_id=job_id
        )
    )


def _take_from_balance(session: Session, account_id: str, job_id: str, amount: int) -> bool:
    """One conditional UPDATE: the balance drops by ``amount`` only if it covers it (no overdraft
    under any concurrency). Records ``credit.low`` when this very change crosses the threshold."""
    taken = session.execute(
        update(Account)
        .where(Account.id == account_id, Account.credit_balance >= amount)
        .values(credit_balance=Account.credit_balance - amount)
        .returning(Account.credit_balance, Account.monthly_credits)
        .execution_options(synchronize_session=False)
    ).first()
    if taken is None:
        return False
    balance, monthly = taken
    # The UPDATE returns this change's own before/after, so of concurrent ones exactly one crosses.
    if credit_low_crossed(balance + amount, balance, monthly):
        record_credit_low(session, account_id, balance, monthly, job_id)
    return True


def debit_job_credits(session: Session, account_id: str, job_id: str, amount: int) -> bool:
    """Take ``amount`` credits for a job if the balance covers them; False (nothing changed) if not.

    One conditional UPDATE, so concurrent debits can never take the balance below zero. The job's
    single ``usage`` ledger row is created or amended in the same transaction, so the balance always
    equals the ledger's sum.
    """
    if amount <= 0:
        return True
    if not _take_from_balance(session, account_id, job_id, amount):
        return False
    session.execute(update(Job).where(Job.id == job_id).values(credits_used=Job.credits_used + amount))
    amended = session.execute(
        update(CreditTransaction)
        .where(CreditTransaction.job_id == job_id, CreditTransaction.type == "usage")
        .values(amount=CreditTransaction.amount - amount)
    )
    if amended.rowcount == 0:  # type: ignore[attr-defined]
        _add_usage_row(session, account_id, job_id, amount, f"Scraping job #{job_id}")
    session.flush()
    return True


def reserve_job_credits(session: Session, account_id: str, job_id: str, amount: int) -> bool:
    """Set a submitted job's estimate aside: False (nothing changed) if the balance can't cover it.

    One conditional UPDATE of the balance, a ``usage`` ledger row and ``Job.credits_reserved`` in
    the caller's transaction, so however many submissions race, the balance never goes below zero
    and always equals the ledger's sum. Crawled URLs then consume the reservation
    (``charge_job_credits``) and the unused rest comes back when the job ends
    (``release_job_credits``).
    """
    if amount <= 0:
        return True
    if not _take_from_balance(session, account_id, job_id, amount):
        return False
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(credits_reserved=Job.credits_reserved + amount)
        .execution_options(synchronize_session=False)
    )
    _add_usage_row(session, account_id, job_id, amount, f"Scraping job #{job_id} (reserved at submission)")
    session.flush()
    return True


def charge_job_credits(session: Session, account_id: str, job_id: str, amount: int) -> bool:
    """Charge a crawled URL: from the job's reservation while it lasts, then from the balance.

    Jobs started from the command line reserve nothing, so they are charged URL by URL
    (``debit_job_credits``). False when neither covers the charge (the crawl then stops).
    """
    if amount <= 0:
        return True
    covered = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.credits_reserved - Job.credits_used >= amount)
        .values(credits_used=Job.credits_used + amount)
        .execution_options(synchronize_session=False)
    )
    if covered.rowcount:  # type: ignore[attr-defined]
        return True
    left = session.execute(
        select(Job.credits_reserved - Job.credits_used).where(Job.id == job_id)
    ).scalar_one_or_none()
    left = max(0, int(left or 0))
    if not debit_job_credits(session, account_id, job_id, amount - left):
        return False
    if left:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(credits_used=Job.credits_used + left)
            .execution_options(synchronize_session=False)
        )
    return True


def charge_urls(
    session: Session, account_id: str, job_id: str, prices: Sequence[tuple[int, int]]
) -> list[int]:
    """Charge crawled URLs (``(url id, price)`` pairs); returns the ids the credits could not cover.

    In one charge when the credits cover all of them (one charge's statements instead of one a
    URL); otherwise URL by URL, in order, so every URL that can still be paid is, and the rest are
    reported.
    """
    if not prices or charge_job_credits(session, account_id, job_id, sum(price for _, price in prices)):
        return []
    return [url_id for url_id, price in prices if not charge_job_credits(session, account_id, job_id, price)]


def release_job_credits(session: Session, job_id: str) -> int:
    """Refund the unused part of a job's reservation (at most once); returns the credits refunded."""
    row = session.execute(
        select(Job.account_id, Job.credits_reserved, Job.credits_used).where(Job.id == job_id)
    ).first()
    if row is None:
        return 0
    account_id, reserved, used = row
    unused = int(reserved) - int(used)
    if unused <= 0:
        return 0
    # Shrinking the reservation first makes a second release find nothing to refund.
    shrunk = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.credits_reserved == reserved)
        .values(credits_reserved=Job.credits_used)
        .execution_options(synchronize_session=False)
    )
    if not shrunk.rowcount:  # type: ignore[attr-defined]
        return 0
    add_credits(
        session,
        account_id,
        unused,
        "refund",
        f"Scraping job #{job_id}: unused credits returned",
        job_id=job_id,
    )
    return unused
