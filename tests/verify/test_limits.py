"""The per-host rate limiter's decisions (on an injected clock), and how SMTP replies are read."""

from __future__ import annotations

import threading

import pytest

from crawler.verify import Answer
from crawler.verify.probe import classify_rcpt, random_local_part
from crawler.verify.ratelimit import HostRateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_slots_are_spaced_per_host_and_refused_past_the_deadline() -> None:
    clock = FakeClock()
    limiter = HostRateLimiter(2.0, clock)  # one connection per 0.5 s per host

    assert limiter.reserve("mx.acme.example", deadline=110.0) == 0.0
    assert limiter.reserve("MX.acme.example.", deadline=110.0) == 0.5  # the same host, spelled otherwise
    assert limiter.reserve("mx.acme.example", deadline=110.0) == 1.0
    assert limiter.reserve("mx.other.example", deadline=110.0) == 0.0  # hosts do not share slots
    assert limiter.reserve("mx.acme.example", deadline=101.2) is None  # the next slot is at 101.5
    assert limiter.reserve("mx.acme.example", deadline=101.5) == 1.5  # a refusal booked nothing
    clock.now = 105.0
    assert limiter.reserve("mx.acme.example", deadline=110.0) == 0.0  # idle time is not saved up
    assert limiter.reserve("mx.acme.example", deadline=110.0) == 0.5


def test_threads_never_book_the_same_slot() -> None:
    clock = FakeClock()
    limiter = HostRateLimiter(10.0, clock)
    waits: list[float] = []
    lock = threading.Lock()

    def book() -> None:
        for _ in range(25):
            wait = limiter.reserve("mx.acme.example", deadline=1000.0)
            with lock:
                waits.append(round(wait or 0.0, 6))

    threads = [threading.Thread(target=book) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(waits) == [round(i * 0.1, 6) for i in range(100)]


@pytest.mark.parametrize(
    ("code", "text", "answer"),
    [
        (250, "2.1.5 Ok", Answer.ACCEPTED),
        (251, "User not local; will forward", Answer.ACCEPTED),
        (550, "5.1.1 <x@acme.example>: Recipient address rejected: User unknown", Answer.REJECTED),
        (550, "Requested action not taken: mailbox unavailable", Answer.REJECTED),
        (551, "User not local", Answer.REJECTED),
        (553, "mailbox name not allowed", Answer.REJECTED),
        (554, "5.1.1 Delivery error: dd This user doesn't have an account", Answer.REJECTED),
        (550, "5.7.1 Service unavailable; client host blocked using Spamhaus", Answer.INCONCLUSIVE),
        (554, "Transaction failed", Answer.INCONCLUSIVE),
        (452, "4.2.2 Mailbox full", Answer.MAILBOX_FULL),
        (552, "Requested mail action aborted: exceeded storage allocation", Answer.MAILBOX_FULL),
        (550, "5.2.2 The email account that you tried to reach is over quota", Answer.MAILBOX_FULL),
        (452, "4.5.3 Too many recipients", Answer.INCONCLUSIVE),
        (450, "4.2.0 Greylisted, try again later", Answer.GREYLISTED),
        (451, "4.7.1 Please try again later", Answer.GREYLISTED),
        (421, "4.7.0 Too many connections, closing", Answer.INCONCLUSIVE),
        (501, "5.5.4 Syntax error", Answer.INCONCLUSIVE),
    ],
)
def test_rcpt_replies_are_read_by_code_and_enhanced_status(code: int, text: str, answer: Answer) -> None:
    assert classify_rcpt(code, text) is answer


def test_made_up_mailboxes_look_like_nobody() -> None:
    names = {random_local_part() for _ in range(200)}

    assert len(names) == 200
    assert all(len(n) == 14 and n[0].isalpha() and n.isalnum() and n.islower() for n in names)
