"""The hybrid logical clock of sync: a time stamp that orders changes made on several devices.

A clock value is one integer: the wall time in milliseconds shifted left by 16 bits, plus a
counter in the low bits. Each new change takes ``max(last + 1, wall << 16)``, so values on one
device always grow, even when the computer's clock is put back; a change received from another
device moves the clock past it (``observe``), so whatever is written after seeing a change is
ordered after it. Two devices may reach the same value: the device id breaks the tie.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

SHIFT = 16


def utcnow() -> dt.datetime:
    """Now in UTC, naive: how the database keeps every time stamp."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


def pack(ms: int, counter: int = 0) -> int:
    return (ms << SHIFT) + counter


def wall_part(value: int) -> int:
    """The milliseconds of a clock value."""
    return value >> SHIFT


def from_datetime(moment: dt.datetime) -> int:
    """A clock value for a naive-UTC time stamp (a row's ``updated_at``): counter 0."""
    aware = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment
    return pack(int(aware.timestamp() * 1000))


def to_datetime(value: int) -> dt.datetime:
    """The naive-UTC moment of a clock value (to the millisecond)."""
    return dt.datetime.fromtimestamp(wall_part(value) / 1000, dt.UTC).replace(tzinfo=None)


class HybridClock:
    """A device's clock. ``last`` is persisted by the caller between runs."""

    def __init__(self, last: int = 0, wall: Callable[[], int] = wall_ms) -> None:
        self.last = last
        self._wall = wall

    def now(self) -> int:
        """The value of a new change: after every value this clock gave or observed."""
        self.last = max(self.last + 1, pack(self._wall()))
        return self.last

    def observe(self, remote: int) -> None:
        """A change from another device was seen: later changes here come after it."""
        self.last = max(self.last, remote)
