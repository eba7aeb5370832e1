"""How strong a passphrase is, in simple rules a person can follow (no word lists to ship):
length counts most, then variety; repeats, sequences and the most common choices count as weak.
"""

from __future__ import annotations

from app.i18n import _

#: The shortest passphrase Teixit accepts.
MIN_LENGTH = 10

_COMMON = (
    "password", "contrasenya", "contraseña", "teixit", "123456", "qwerty", "abc123",
    "iloveyou", "admin", "barcelona", "valencia", "111111",
)  # fmt: skip
_SEQUENCES = ("abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiopasdfghjklzxcvbnm")


def _looks_predictable(text: str) -> bool:
    lowered = text.lower()
    if len(set(lowered)) <= 3:
        return True
    if any(word in lowered for word in _COMMON):
        return True
    return any(lowered in seq or lowered in seq[::-1] for seq in _SEQUENCES)


def strength(text: str) -> int:
    """0 (too short or predictable) to 4 (strong)."""
    if len(text) < MIN_LENGTH or _looks_predictable(text):
        return 0
    kinds = sum(
        (
            any(c.islower() for c in text),
            any(c.isupper() for c in text),
            any(c.isdigit() for c in text),
            any(not c.isalnum() for c in text),
        )
    )
    words = len(text.split())
    score = 1
    if len(text) >= 14 or kinds >= 3:
        score += 1
    if len(text) >= 18 or (len(text) >= 14 and kinds >= 3):
        score += 1
    if len(text) >= 24 or words >= 4:
        score += 1
    return min(score, 4)


def hint(text: str) -> str:
    """One sentence on how strong ``text`` is and how to make it stronger."""
    if len(text) < MIN_LENGTH:
        return _("Too short: use at least {count} characters.").format(count=MIN_LENGTH)
    if _looks_predictable(text):
        return _("Too easy to guess: avoid common words, repeats and sequences.")
    return {
        1: _("Weak: add more words or characters."),
        2: _("Fair: a few more words would make it strong."),
        3: _("Good."),
        4: _("Strong."),
    }[strength(text)]


def problem(text: str) -> str | None:
    """Why ``text`` cannot be the passphrase (None when it can)."""
    if strength(text) == 0:
        return hint(text)
    return None
