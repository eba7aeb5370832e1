"""An export sealed with a passphrase (``teixit export --encrypt``) comes back in with
``teixit import``: the passphrase from a file or the terminal; a wrong one, a damaged archive,
an archive of several files or one that unpacks larger than any export are one sentence each
and change nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select

from app import cli, paths, sealed
from app.db.engine import open_database
from app.db.models import Participant
from app.errors import UserError

PASSPHRASE = "Un altre camí del riu 42"

pytestmark = pytest.mark.sqlite_only


def _write(path: Path, content: str) -> Path:
    path.write_text(content + "\n", encoding="utf-8")
    return path


def _names() -> list[str]:
    db = open_database(paths.db_path())
    with db.read() as s:
        names = sorted(s.scalars(select(Participant.given_name)))
    db.close()
    return names


def _sealed_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Remei and Sagrario exported sealed from one data folder; then another, empty folder."""
    db = open_database(paths.db_path())
    with db.begin() as s:
        s.add_all(
            Participant(given_name=n, family_names="Vilaplana") for n in ("Remei", "Sagrario")
        )
    db.close()
    monkeypatch.setenv("TEIXIT_EXPORT_PASSPHRASE_FILE", str(_write(tmp_path / "pass", PASSPHRASE)))
    assert cli.main(["export", str(tmp_path / "dades.json"), "--encrypt"]) == 0
    monkeypatch.setenv(paths.ENV_VAR, str(tmp_path / "other"))
    paths.set_data_dir(None)
    return tmp_path / "dades.json.zip"


def test_a_sealed_export_imports_with_its_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    file = _sealed_export(tmp_path, monkeypatch)
    # The wrong passphrase: one sentence, nothing imported.
    monkeypatch.setenv("TEIXIT_EXPORT_PASSPHRASE_FILE", str(_write(tmp_path / "bad", "no és")))
    capsys.readouterr()
    assert cli.main(["import", str(file)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "contrasenya" in err[0] and "Traceback" not in err[0]
    assert _names() == []
    # No passphrase at hand and no terminal: says how to give it.
    monkeypatch.delenv("TEIXIT_EXPORT_PASSPHRASE_FILE")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli.main(["import", str(file)]) == 1
    assert "TEIXIT_EXPORT_PASSPHRASE_FILE" in capsys.readouterr().err
    # The right one: the people are back.
    monkeypatch.setenv("TEIXIT_EXPORT_PASSPHRASE_FILE", str(tmp_path / "pass"))
    assert cli.main(["import", str(file)]) == 0
    assert _names() == ["Remei", "Sagrario"]


def test_the_service_asks_for_the_passphrase_of_a_sealed_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.exchange.interchange import PassphraseNeeded
    from app.services.container import Services

    file = _sealed_export(tmp_path, monkeypatch)
    db = open_database(paths.db_path())
    try:
        exchange = Services(db).exchange
        assert exchange.is_sealed_file(file)
        assert not exchange.is_sealed_file(tmp_path / "pass")
        assert not exchange.is_sealed_file(tmp_path / "absent.zip")
        with pytest.raises(PassphraseNeeded):
            exchange.import_file(file)
        summary = exchange.import_file(file, PASSPHRASE)
        assert summary.inserted["participants"] == 2
    finally:
        db.close()


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    return sealed.zip_bytes(members, PASSPHRASE)


def test_hostile_sealed_files_are_one_sentence_each() -> None:
    def refused(content: bytes, max_bytes: int = 1024) -> str:
        with pytest.raises(UserError) as caught:
            sealed.open_single(content, PASSPHRASE, shown="f.zip", max_bytes=max_bytes)
        message = caught.value.message
        assert "f.zip" in message and "\n" not in message
        return message

    assert (
        sealed.open_single(_zip([("a.json", b"{}")]), PASSPHRASE, shown="f.zip", max_bytes=1024)
        == b"{}"
    )
    assert "2" in refused(_zip([("a.json", b"{}"), ("b.json", b"{}")]))
    assert "0" in refused(_zip([]))
    # Unpacks larger than allowed: refused from its header, before anything is unpacked...
    refused(_zip([("a.json", b" " * 5000)]))
    # ...and a header that lies about the size never yields more than the bound.
    honest = _zip([("a.json", b" " * 5000)])
    lying = _shrink_claimed_size(honest, 5000, 10)
    try:
        assert len(sealed.open_single(lying, PASSPHRASE, shown="f.zip", max_bytes=1024)) <= 1024
    except UserError as exc:
        assert "f.zip" in exc.message
    # Damaged: cut in half; not a ZIP at all behind the ZIP's first bytes.
    refused(honest[: len(honest) // 2])
    refused(sealed.ZIP_MAGIC + b"\0" * 64)
    # A wrong passphrase.
    with pytest.raises(UserError, match="f.zip"):
        sealed.open_single(honest, "una altra", shown="f.zip", max_bytes=10_000)


def _shrink_claimed_size(content: bytes, real: int, claimed: int) -> bytes:
    """The same archive with its headers claiming ``claimed`` bytes unpacked instead of
    ``real`` (a ZIP bomb's trick)."""
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        (info,) = zf.infolist()
        assert info.file_size == real
    old = real.to_bytes(4, "little")
    assert content.count(old) == 2  # the local header's and the central directory's
    return content.replace(old, claimed.to_bytes(4, "little"))
