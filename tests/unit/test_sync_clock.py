"""The hybrid logical clock: always forward on one device, past what it saw from others, and
unmoved by a wall clock put back."""

import datetime as dt

from app.domain.clock import HybridClock, from_datetime, pack, to_datetime, wall_part


class Wall:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_values_always_grow_even_within_one_millisecond() -> None:
    clock = HybridClock(wall=Wall(1_000))
    values = [clock.now() for _ in range(1000)]
    assert values == sorted(set(values))
    assert wall_part(values[-1]) == 1_000  # the counter took the load, not the time


def test_the_wall_clock_moves_it_forward() -> None:
    wall = Wall(1_000)
    clock = HybridClock(wall=wall)
    first = clock.now()
    wall.ms = 5_000
    assert clock.now() == pack(5_000) > first


def test_a_wall_clock_put_back_does_not_move_it_back() -> None:
    wall = Wall(10_000)
    clock = HybridClock(wall=wall)
    before = clock.now()
    wall.ms = 2_000  # someone sets the laptop's clock a few seconds back
    after = [clock.now() for _ in range(5)]
    assert all(v > before for v in after) and after == sorted(after)


def test_a_remote_clock_ahead_is_merged() -> None:
    here = HybridClock(wall=Wall(1_000))
    there = HybridClock(wall=Wall(60_000))  # another laptop a minute ahead
    remote = there.now()
    here.observe(remote)
    assert here.now() > remote
    # A remote clock behind changes nothing.
    last = here.last
    here.observe(pack(10))
    assert here.now() == last + 1


def test_a_clock_persists_through_its_last_value() -> None:
    clock = HybridClock(wall=Wall(5_000))
    value = clock.now()
    restarted = HybridClock(value, wall=Wall(4_000))
    assert restarted.now() > value


def test_time_stamps_convert_both_ways() -> None:
    moment = dt.datetime(2026, 3, 4, 10, 30, 15, 250_000)
    assert to_datetime(from_datetime(moment)) == moment
