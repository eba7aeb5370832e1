"""Rule 9: three devices (an office PC and two laptops) editing at random and syncing in random
orders end with the same data: the export of each is the same after a final round."""

import contextlib
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from app.domain.people import ConsentDTO, PersonDTO
from app.domain.programmes import ProgrammeDTO
from app.domain.sessions import HeadCountDTO
from app.errors import UserError
from tests.support.sync_replicas import Replica, team

STATUSES = ("present", "late", "excused", "absent", None)


def _people(r: Replica) -> list[str]:
    return sorted(h.id for h in r.services.people.search("", limit=None))


def _random_edit(rng: random.Random, r: Replica) -> None:
    people = _people(r)
    sessions = [s.id for s in r.services.sessions.find() if s.id]
    kind = rng.choice(("person", "person", "mark", "mark", "heads", "new", "programme", "other"))
    if kind == "person" and people:
        p = r.services.people.get(rng.choice(people))
        field = rng.choice(("phone", "email", "neighbourhood", "notes"))
        value = {
            "phone": f"6{rng.randrange(10**8):08d}",
            "email": f"p{rng.randrange(100)}@example.org",
            "neighbourhood": rng.choice(("Sants", "Hostafrancs", "la Bordeta")),
            "notes": rng.choice(("a", "b", "c")),
        }[field]
        r.services.people.save(PersonDTO(**{**p.__dict__, field: value}))
    elif kind == "mark" and people and sessions:
        marks = {pid: rng.choice(STATUSES) for pid in rng.sample(people, min(3, len(people)))}
        r.services.sessions.set_attendance(rng.choice(sessions), marks)
    elif kind == "heads" and sessions:
        counts = [HeadCountDTO(rng.choice(("woman", "man")), "18-29", rng.randrange(1, 9))]
        r.services.sessions.set_head_counts(rng.choice(sessions), counts)
    elif kind == "new":
        r.services.people.save(PersonDTO(given_name=rng.choice(("Nadia", "Joan", "Pau"))))
    elif kind == "programme":
        code = rng.choice(("A", "B"))
        r.services.programmes.save(ProgrammeDTO(code=code, name=code, category="prevention"))
    elif people:
        pid = rng.choice(people)
        action: Callable[[], object] = rng.choice(
            (
                lambda: r.services.people.erase(pid),
                lambda: r.services.people.save_consent(pid, ConsentDTO(kind="image_web")),
            )
        )
        with contextlib.suppress(UserError):  # e.g. a consent for a person erased meanwhile
            action()


def _converge(tmp_path: Path, seed: int, rounds: int, edits: int) -> None:
    rng = random.Random(seed)
    for replicas in team(tmp_path, ("office", "laptop1", "laptop2")):
        shared = tmp_path / "shared"
        for _round in range(rounds):
            for r in replicas:
                for _ in range(rng.randrange(edits + 1)):
                    # A code taken here already is refused, as the window says too.
                    with contextlib.suppress(UserError):
                        _random_edit(rng, r)
            order = rng.sample(replicas, rng.randrange(1, len(replicas) + 1))
            for r in order:
                r.sync(shared)
        for r in replicas + replicas:  # the final round: everyone twice
            r.sync(shared)
        office, *laptops = (r.export() for r in replicas)
        for other in laptops:
            assert other == office


def test_three_replicas_converge(tmp_path: Path) -> None:
    _converge(tmp_path, seed=11, rounds=3, edits=4)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_three_replicas_converge_in_many_orders(tmp_path: Path, seed: int) -> None:
    _converge(tmp_path, seed=seed, rounds=6, edits=8)
