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


#: How every ZIP file begins (a local file header).
ZIP_MAGIC = b"PK\x03\x04"


def is_sealed(head: bytes) -> bool:
    """Whether a file's first bytes are a ZIP's (a sealed export) rather than JSON text."""
    return head.startswith(ZIP_MAGIC)


def open_single(content: bytes, passphrase: str, *, shown: str, max_bytes: int) -> bytes:
    """The one file inside a sealed export, read back with ``passphrase``. Bounded: an archive
    with other than one member, a member larger than ``max_bytes`` once unpacked (whatever its
    header claims), a damaged archive or the wrong passphrase are each one translated sentence
    naming ``shown``."""
    import zipfile
    import zlib

    import pyzipper

    from app.errors import UserError
    from app.i18n import _

    try:
        with pyzipper.AESZipFile(io.BytesIO(content)) as zf:
            members = [info for info in zf.infolist() if not info.is_dir()]
            if len(members) != 1:
                raise UserError(
                    _(
                        "The file {file} holds {count} files; a Teixit export sealed with a "
                        "passphrase holds one."
                    ).format(file=shown, count=len(members))
                )
            (info,) = members
            too_large = UserError(
                _(
                    "The file inside {file} is larger than {size} MB: it is not a Teixit export."
                ).format(file=shown, size=max_bytes // (1024 * 1024))
            )
            if info.file_size > max_bytes:
                raise too_large
            zf.setpassword(passphrase.encode("utf-8"))
            with zf.open(info) as member:
                data: bytes = member.read(max_bytes + 1)  # the header's size may lie
            if len(data) > max_bytes:
                raise too_large
            return data
    except RuntimeError as exc:  # how the ZIP readers say "bad password"
        if "password" not in str(exc).lower():
            raise
        raise UserError(
            _("The passphrase does not open {file}; type it again.").format(file=shown)
        ) from None
    except (
        zipfile.BadZipFile,
        pyzipper.BadZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        ValueError,
    ):
        raise UserError(
            _("The file {file} is damaged or is not a ZIP archive; nothing was read.").format(
                file=shown
            )
        ) from None


def open_zip(content: bytes, passphrase: str) -> dict[str, bytes]:
    """The members of a sealed ZIP (for tests and for importing one back)."""
    import pyzipper

    with pyzipper.AESZipFile(io.BytesIO(content)) as zf:
        zf.setpassword(passphrase.encode("utf-8"))
        return {name: zf.read(name) for name in zf.namelist()}
