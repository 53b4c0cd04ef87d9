"""Per-mail-host pacing of SMTP probes: a slot reservation per connection, thread-safe."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

Clock = Callable[[], float]


class HostRateLimiter:
    """At most ``rate`` connections per second to one mail host, spaced ``1/rate`` apart.

    :meth:`reserve` books the next free slot for a host and says how long to wait for it, or
    refuses when that slot lies past the caller's deadline (then nothing is booked), so a probe
    never waits beyond its time budget. Reservations are taken under a lock, so threads sharing a
    limiter never book the same slot. ``clock`` is injectable for tests (monotonic seconds).
    """

    def __init__(self, rate: float, clock: Clock = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self._clock = clock
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def reserve(self, host: str, deadline: float) -> float | None:
        """Seconds to wait before connecting to ``host``, or None when the slot would miss ``deadline``."""
        key = host.lower().rstrip(".")
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(key, now))
            if slot > deadline:
                return None
            self._next[key] = slot + self.interval
            return slot - now
