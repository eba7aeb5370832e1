"""Files that leave the computer with people's names, sealed with a passphrase: a ZIP archive
whose members are encrypted with AES-256 (the WinZip AES format, read by 7-Zip, WinZip, PeaZip,
Keka, macOS' ``ditto``-based tools and Linux's ``7z``; ``unzip`` alone cannot). No Teixit is
needed to open it: see docs/data-protection.md.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

#: The ending a sealed file gets when its name does not already end so.
SUFFIX = ".zip"


def sealed_name(path: Path) -> Path:
    """``lists.csv`` -> ``lists.csv.zip``; a name already ending in ``.zip`` stays."""
    return path if path.suffix.lower() == SUFFIX else path.with_name(path.name + SUFFIX)


def zip_bytes(members: Sequence[tuple[str, bytes]], passphrase: str | None = None) -> bytes:
    """A ZIP of ``members`` (name, content); with ``passphrase``, every member is encrypted with
    AES-256 (names stay readable, so they must not hold personal data)."""
    buf = io.BytesIO()
    if passphrase is None:
        import zipfile

        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for member, content in members:
                zf.writestr(member, content)
        return buf.getvalue()
    import pyzipper

    with pyzipper.AESZipFile(
        buf, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as zf:
        zf.setpassword(passphrase.encode("utf-8"))
        zf.setencryption(pyzipper.WZ_AES, nbits=256)
        for member, content in members:
            zf.writestr(member, content)
    return buf.getvalue()


def open_zip(content: bytes, passphrase: str) -> dict[str, bytes]:
    """The members of a sealed ZIP (for tests and for importing one back)."""
    import pyzipper

    with pyzipper.AESZipFile(io.BytesIO(content)) as zf:
        zf.setpassword(passphrase.encode("utf-8"))
        return {name: zf.read(name) for name in zf.namelist()}
