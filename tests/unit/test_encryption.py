"""Encryption at rest: the database, its write-ahead log and its backups hold no readable name;
a wrong key fails in one sentence; the passphrase changes without an export; a new key; the
conversion keeps every row; the lock and the clean-close marker still work.
"""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app import cli, paths
from app.db import files, keys
from app.db.engine import clean_marker, open_database, take_clean_close
from app.db.lock import AlreadyRunning, InstanceLock
from app.db.models import Participant
from app.domain import passphrase
from app.services.backups import BackupService
from app.services.security import SecurityService

PASSPHRASE = "Cavall bateria grapa 7"
NEW_PASSPHRASE = "Un altre camí del riu 42"

pytestmark = pytest.mark.sqlite_only


def _write(path: Path, content: str) -> Path:
    path.write_text(content + "\n", encoding="utf-8")
    return path


def _add_people(names: list[str]) -> None:
    db = open_database(paths.db_path())
    with db.begin() as s:
        for name in names:
            s.add(Participant(given_name=name, family_names="Vilaplana"))
    db.close()


def _names() -> list[str]:
    db = open_database(paths.db_path())
    with db.read() as s:
        names = sorted(s.scalars(select(Participant.given_name)))
    db.close()
    return names


def _strings(path: Path) -> str:
    return subprocess.run(
        ["strings", "-n", "4", str(path)], capture_output=True, text=True, check=True
    ).stdout


def _counts(path: Path) -> dict[str, int]:
    con = files.connect_read_only(path)
    try:
        return files.table_counts(con)
    finally:
        con.close()


def _service() -> SecurityService:
    return SecurityService(paths.db_path(), paths.backups_dir())


def test_demo_names_are_in_no_file_once_encrypted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["demo"]) == 0
    assert cli.main(["backup"]) == 0
    db = open_database(paths.db_path())
    with db.read() as s:
        people = s.execute(
            text("SELECT given_name, family_names, phone FROM participant")
        ).all()
    db.close()
    names = {n for row in people for n in row[:2] if n and len(n) >= 5}
    assert len(names) > 20
    before = _counts(paths.db_path())
    plain_backup = next(paths.backups_dir().glob("*.db"))
    assert any(name in _strings(plain_backup) for name in names)  # the check can fail

    monkeypatch.setenv("TEIXIT_NEW_PASSPHRASE_FILE", str(_write(tmp_path / "new", PASSPHRASE)))
    sheet = tmp_path / "recovery.pdf"
    assert cli.main(["encrypt", "--sheet", str(sheet), "--lang", "ca"]) == 0
    out = capsys.readouterr().out
    recovery = next(line.strip() for line in out.splitlines() if line.startswith("    "))
    assert keys.is_recovery_key(recovery)

    # A write while the database is open: its write-ahead log is encrypted too.
    keys.lock()
    monkeypatch.setenv("TEIXIT_PASSPHRASE_FILE", str(_write(tmp_path / "pass", PASSPHRASE)))
    assert cli.main(["backup"]) == 0
    key = keys.open_key(paths.db_path(), PASSPHRASE)
    keys.unlock(key)
    db = open_database(paths.db_path())
    with db.begin() as s:
        s.add(Participant(given_name="Zoraida", family_names="Quintanilla"))
    wal = paths.db_path().with_name("teixit.db-wal")
    assert wal.stat().st_size > 0
    wal_text = _strings(wal)
    db.close()
    checked = [paths.db_path(), *paths.backups_dir().glob("*.db")]
    assert len(checked) == 3
    for path in checked:
        assert keys.is_encrypted(path)
        found = _strings(path)
        assert not [name for name in names if name in found], path
    assert "Quintanilla" not in wal_text and "Zoraida" not in wal_text
    assert not list(paths.db_path().parent.glob("*.plain")), "the plain copy is removed"
    assert not list(paths.db_path().parent.glob("*.encrypting"))
    # Every row converted, and the recovery key opens the data and the backups alone.
    after = _counts(paths.db_path())
    after["participant"] -= 1  # Zoraida
    after["audit_event"] -= 2  # encryption turned on, the second backup
    assert after == before
    keys.lock()
    assert keys.key_from_recovery(recovery.lower().replace("-", " ")) == key
    for path in checked:
        assert keys.key_opens(path, key)
    from pypdf import PdfReader

    printed = "".join(PdfReader(sheet).pages[0].extract_text().split())
    assert recovery.replace("-", "") in printed


def test_wrong_or_missing_passphrase_is_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_people(["Rosalia", "Nuria"])
    _service().turn_on(PASSPHRASE)
    keys.lock()
    monkeypatch.setattr("sys.stdin", None)
    assert cli.main(["list", "people"]) == 1
    err = capsys.readouterr().err
    assert "TEIXIT_PASSPHRASE_FILE" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    monkeypatch.setenv("TEIXIT_PASSPHRASE_FILE", str(_write(tmp_path / "p", "no és aquesta")))
    assert cli.main(["list", "people"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "Error: " + keys.wrong_key_error().message
    keys.set_provider(None)  # the window asks in its own dialog
    with pytest.raises(keys.Locked):
        open_database(paths.db_path())
    # Typed at a terminal: a wrong one is said, and the next try opens.
    monkeypatch.delenv("TEIXIT_PASSPHRASE_FILE")
    typed = iter(["malament", PASSPHRASE])

    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("app.commands.security._typed", lambda prompt: next(typed))
    assert cli.main(["list", "people"]) == 0
    captured = capsys.readouterr()
    assert "Rosalia" in captured.out and keys.wrong_key_error().message in captured.err


def test_a_foreign_key_never_opens_and_a_plain_file_stays_readable() -> None:
    _add_people(["Aina"])
    assert not keys.is_encrypted(paths.db_path())
    assert _names() == ["Aina"]
    _service().turn_on(PASSPHRASE)
    other = keys.key_from_recovery(keys.new_recovery_key())
    assert other is not None
    assert not keys.key_opens(paths.db_path(), other)
    keys.unlock(other)
    with pytest.raises(keys.WrongKey):
        open_database(paths.db_path())


def test_passphrase_changes_without_export_and_backups_still_open(tmp_path: Path) -> None:
    _add_people(["Berta"])
    service = _service()
    recovery = service.turn_on(PASSPHRASE)
    BackupService(paths.db_path(), paths.backups_dir()).backup_now("manual")
    before = paths.db_path().read_bytes()
    service.change_passphrase(PASSPHRASE, NEW_PASSPHRASE)
    assert paths.db_path().read_bytes()[:4096] == before[:4096], "the file is not rewritten"
    keys.lock()
    with pytest.raises(keys.WrongKey):
        service.unlock(PASSPHRASE)
    service.unlock(NEW_PASSPHRASE)
    backup = next(paths.backups_dir().glob("*.db"))
    assert keys.key_opens(backup, keys.current() or b"")
    keys.lock()
    service.unlock(recovery)
    assert _names() == ["Berta"]
    # Both are in the audit log, in the reader's language.
    from app.services.audit import AuditService

    db = open_database(paths.db_path())
    labels = [e.label for e in AuditService(db).recent(action="encryption")]
    db.close()
    assert labels == ["Contrasenya nova", "Dades xifrades"]


def test_new_key_rekeys_in_place() -> None:
    _add_people(["Carme", "Dolors"])
    service = _service()
    old_recovery = service.turn_on(PASSPHRASE)
    old_key = keys.current()
    assert old_key is not None
    BackupService(paths.db_path(), paths.backups_dir()).backup_now("manual")
    new_recovery = service.new_key(PASSPHRASE, NEW_PASSPHRASE)
    assert new_recovery != old_recovery
    assert not keys.key_opens(paths.db_path(), old_key)
    assert not keys.pending_key_file(paths.db_path()).exists()
    keys.lock()
    service.unlock(NEW_PASSPHRASE)
    assert _names() == ["Carme", "Dolors"]
    keys.lock()
    service.unlock(new_recovery)
    # A backup taken before keeps the old key: its old recovery key opens it.
    backup = next(paths.backups_dir().glob("*.db"))
    assert keys.key_opens(backup, keys.key_from_recovery(old_recovery) or b"")


def test_lock_clean_marker_and_restore_work_on_encrypted_data() -> None:
    _add_people(["Eulàlia"])
    _service().turn_on(PASSPHRASE)
    db = open_database(paths.db_path())
    with InstanceLock(paths.db_path()), pytest.raises(AlreadyRunning):
        InstanceLock(paths.db_path()).acquire()
    db.close()
    assert clean_marker(paths.db_path()).exists()
    assert take_clean_close(paths.db_path())
    service = BackupService(paths.db_path(), paths.backups_dir())
    backup = service.backup_now("manual")
    assert service.is_restorable(backup.path)
    _add_people(["Fina"])
    service.restore(backup.path)
    assert _names() == ["Eulàlia"]
    assert keys.is_encrypted(paths.db_path())


def test_remembered_key_opens_without_asking(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _add_people(["Glòria"])
    _service().turn_on(PASSPHRASE, remember=True)
    keys.lock()
    monkeypatch.setattr("sys.stdin", None)
    assert cli.main(["list", "people"]) == 0
    assert "Glòria" in capsys.readouterr().out
    keys.lock()
    assert cli.main(["encrypt", "--forget"]) == 0
    assert cli.main(["list", "people"]) == 1
    assert cli.main(["encrypt", "--status"]) == 0
    assert "xifrad" in capsys.readouterr().out


def test_plain_file_without_key_file_is_still_a_plain_teixit_database() -> None:
    _add_people(["Helena"])
    con = sqlite3.connect(paths.db_path())
    assert con.execute("SELECT count(*) FROM participant").fetchone() == (1,)
    con.close()
    assert not keys.key_file(paths.db_path()).exists()


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("curt", False),
        ("aaaaaaaaaaaaaa", False),
        ("contrasenya123", False),
        ("abcdefghijkl", False),
        ("Cavall bateria grapa 7", True),
        ("riu-Llobregat-2026", True),
    ],
)
def test_passphrase_rules(text: str, ok: bool) -> None:
    assert (passphrase.problem(text) is None) is ok
    assert passphrase.hint(text)


def test_exports_sealed_with_a_passphrase_open_without_teixit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json
    import zipfile

    from app import sealed

    _add_people(["Remei", "Sagrario"])
    monkeypatch.setenv(
        "TEIXIT_EXPORT_PASSPHRASE_FILE", str(_write(tmp_path / "export", NEW_PASSPHRASE))
    )
    assert cli.main(["export", str(tmp_path / "dades.json"), "--encrypt"]) == 0
    assert not (tmp_path / "dades.json").exists()
    sealed_file = tmp_path / "dades.json.zip"
    content = sealed_file.read_bytes()
    assert b"Remei" not in content and b"Vilaplana" not in content
    with zipfile.ZipFile(sealed_file) as zf:  # a standard ZIP: AES-256 (WinZip), method 99
        (info,) = zf.infolist()
        assert info.filename == "dades.json" and info.compress_type == 99
    with pytest.raises(RuntimeError):
        sealed.open_zip(content, "una altra de ben llarga")
    members = sealed.open_zip(content, NEW_PASSPHRASE)
    data = json.loads(members["dades.json"])
    names = {p["given_name"] for p in data["participants"]}
    assert names == {"Remei", "Sagrario"}
    # A weak passphrase is refused in one sentence, and nothing is written.
    monkeypatch.setenv("TEIXIT_EXPORT_PASSPHRASE_FILE", str(_write(tmp_path / "weak", "curta")))
    capsys.readouterr()
    assert cli.main(["export", str(tmp_path / "altra.json"), "--encrypt"]) == 1
    assert not list(tmp_path.glob("altra*"))
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.mark.slow  # the default run stays short; CI runs the slow ones too
def test_the_evidence_pack_can_be_sealed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app import sealed

    assert cli.main(["demo"]) == 0
    monkeypatch.setenv(
        "TEIXIT_EXPORT_PASSPHRASE_FILE", str(_write(tmp_path / "export", NEW_PASSPHRASE))
    )
    out = tmp_path / "evidencies.zip"
    assert cli.main(["evidence", "--all", "--from", "2026-01-01", "-o", str(out), "--encrypt"]) == 0
    members = sealed.open_zip(out.read_bytes(), NEW_PASSPHRASE)
    assert any(name.endswith(".pdf") for name in members)
    assert all(content for content in members.values())
    with pytest.raises(RuntimeError):
        sealed.open_zip(out.read_bytes(), "no és la bona, gens")


def test_plain_data_never_loads_sqlcipher_nor_the_keyring(tmp_path: Path) -> None:
    """Start-up on plain data pays nothing for encryption; encrypted data without a remembered
    key does not load the keyring (a few tenths of a second) either."""
    import sys

    _add_people(["Irene"])
    script = (
        "import sys; from pathlib import Path\n"
        "from app.db.engine import open_database\n"
        "from app.services.security import SecurityService\n"
        f"p = Path({str(paths.db_path())!r})\n"
        "s = SecurityService(p, p.parent / 'backups')\n"
        "assert not s.unlock_remembered()\n"
        "if not s.is_encrypted(): open_database(p).close()\n"
        "print(sorted(m for m in ('sqlcipher3', 'keyring') if m in sys.modules))\n"
    )
    root = Path(__file__).resolve().parents[2]

    def loaded() -> str:
        return subprocess.run(
            [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()

    assert loaded() == "[]"
    _service().turn_on(PASSPHRASE)
    assert loaded() == "[]"  # no key remembered: the keyring is not looked at
    assert _service().set_remembered(True)
    assert keys.read_key_file(paths.db_path()).remembered  # type: ignore[union-attr]


def test_a_backup_taken_away_opens_elsewhere_with_the_passphrase(tmp_path: Path) -> None:
    _add_people(["Judit"])
    _service().turn_on(PASSPHRASE)
    stick = tmp_path / "usb"
    info = BackupService(paths.db_path(), paths.backups_dir()).backup_now("manual", to_dir=stick)
    assert keys.key_file(info.path).is_file()  # the sealed key travels beside it
    assert keys.is_encrypted(info.path)
    # Another computer: an empty data folder, nothing unlocked.
    keys.lock()
    other = tmp_path / "other" / "teixit.db"
    other.parent.mkdir()
    keys.unlock(keys.open_key(info.path, PASSPHRASE))
    BackupService(other, other.parent / "backups").restore(info.path)
    keys.lock()
    assert keys.key_file(other).is_file()
    keys.unlock(keys.open_key(other, PASSPHRASE))
    db = open_database(other)
    with db.read() as s:
        assert list(s.scalars(select(Participant.given_name))) == ["Judit"]
    db.close()
