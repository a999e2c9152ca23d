"""The server's log, and the watch it keeps on its own clock (a step back, a long jump)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from ..core.report import duration

CLOCK_BACK_TOLERANCE = 1.0  # seconds a clock may step back unremarked (NTP corrections)
CLOCK_JUMP = 6 * 3600.0  # a longer silence is logged, in case the clock jumped


@dataclass(frozen=True)
class Event:
    """One line of the server's log: what happened, to whom, at what time by the server's clock."""

    t: float
    kind: str
    username: str | None
    message: str
    offset: int | None = None


class EventLog(list[Event]):
    """The events, oldest first (a list, so lessons can filter and count them)."""

    def __init__(self) -> None:
        super().__init__()
        self._last_seen: float | None = None
        self._lock = threading.Lock()

    def add(
        self, t: float, kind: str, username: str | None, message: str, offset: int | None = None
    ) -> None:
        self.append(Event(t, kind, username, message, offset))

    def watch_clock(self, now: float) -> None:
        """Log a step back or a long jump of the server's clock since the previous request."""
        with self._lock:
            last, self._last_seen = self._last_seen, now
        if last is None:
            return
        if now < last - CLOCK_BACK_TOLERANCE:
            self.add(
                now,
                "clock.back",
                None,
                f"the server's clock went back {duration(last - now)} since the last request: "
                "the apps' codes will not match until it is put right, and codes already used "
                "stay refused under replay protection",
            )
        elif now - last > CLOCK_JUMP:
            self.add(
                now,
                "clock.jump",
                None,
                f"the server's clock moved {duration(now - last)} forward since the last "
                "request: if nothing happened meanwhile that is fine; if the clock jumped, the "
                "apps' codes will not match until it is put right",
            )
