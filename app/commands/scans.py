"""``teixit scan FILE... [--json FILE] [--apply]``: signed sheets read back;
``teixit evidence``: the evidence pack of a period.

Shows, for each session, every row with what Teixit proposes (present, nothing or unsure) and
every page that gave no marks with the reason. ``--apply`` saves the sessions with no unsure row
(those are decided in the window, File > Read signed sheets...); ``--json`` writes the proposal.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from app.commands import (
    add_report_scope,
    opened_database,
    opened_services,
    report_period,
)
from app.commands.security import add_encrypt_option, export_passphrase
from app.domain.scans import PRESENT, UNSURE, ScanResult
from app.i18n import _, format_date, ngettext

NAMES = ("scan", "evidence")


def register(sub: Any) -> None:
    p = sub.add_parser("scan", help=_("read signed attendance sheets (scanned PDF or photos)"))
    p.add_argument("files", metavar="FILE", type=Path, nargs="+")
    p.add_argument("--json", metavar="FILE", type=Path, help=_("write what was read as JSON"))
    p.add_argument(
        "--apply",
        action="store_true",
        help=_("save the attendance of the sessions with no unsure row; by default only shown"),
    )
    p.set_defaults(func=run_scan)

    e = sub.add_parser(
        "evidence",
        help=_("write the evidence pack of a period: signed sheets, or register extracts"),
        description=_(
            "Write one ZIP with the justification report and, for every held session of the "
            "period, its signed sheet as scanned or, when none was kept, an extract of the "
            "register (titled as such). Lists the held sessions with no signed sheet."
        ),
    )
    add_report_scope(e)
    e.add_argument("-o", "--output", metavar="FILE.zip", type=Path, required=True)
    add_encrypt_option(e)
    e.set_defaults(func=run_evidence)


def _verdict(verdict: str) -> str:
    return {"present": _("present"), "absent": _("nothing"), "unsure": _("unsure")}[verdict]


def as_json(result: ScanResult) -> dict[str, Any]:
    return {
        "sessions": [
            {
                "session": sc.session_id,
                "title": sc.title,
                "pages": [p.page for p in sc.pages],
                "rows": [
                    {
                        "number": r.number,
                        "participant": r.participant_id,
                        "name": r.name,
                        "proposed": r.verdict,
                        "ink_mm2": r.ink,
                    }
                    for r in sorted(sc.rows, key=lambda r: r.number)
                ],
            }
            for sc in result.sessions
        ],
        "unread_pages": [
            {"file": p.source, "page": p.index, "session": p.session_id, "problem": p.problem}
            for p in result.unmatched
        ],
        "failed_files": [{"file": f, "problem": m} for f, m in result.failed],
        "counts": result.counts,
    }


def run_scan(args: argparse.Namespace) -> int:
    with opened_services() as services:
        result = services.scans.read(args.files)
        for name, problem in result.failed:
            print(_("{file}: {problem}").format(file=name, problem=problem))
        for p in result.unmatched:
            print(
                _("{file}, page {page}: {problem}").format(
                    file=p.source, page=p.index, problem=p.problem
                )
            )
        for sc in result.sessions:
            pages = ", ".join(str(p.page) for p in sc.pages)
            print(_("{title} (pages {pages})").format(title=sc.title, pages=pages))
            for r in sc.rows:
                who = r.name or _("(blank row)")
                print(f"  {r.number:>3}  {who:<40}  {_verdict(r.verdict)}")
            for p in sc.pages:
                if p.notice:
                    print("  " + p.notice)
        if args.json:
            args.json.write_text(
                json.dumps(as_json(result), ensure_ascii=False, indent=2), encoding="utf-8"
            )
        if args.apply:
            for sc in result.sessions:
                unsure = sum(1 for r in sc.rows if r.verdict == UNSURE)
                if unsure:
                    print(
                        ngettext(
                            "{title}: not saved, {count} row is unsure: decide it in the window.",
                            "{title}: not saved, {count} rows are unsure: decide them in the "
                            "window.",
                            unsure,
                        ).format(title=sc.title, count=unsure)
                    )
                    continue
                walk_ins, _changes = services.scans.apply(sc, {})
                present = sum(1 for r in sc.rows if r.verdict == PRESENT and r.participant_id)
                print(
                    _("{title}: saved, {present} present, {pages} pages kept.").format(
                        title=sc.title, present=present, pages=len(sc.pages)
                    )
                )
                if walk_ins:
                    print(
                        ngettext(
                            "{count} signed blank row: add that person by hand.",
                            "{count} signed blank rows: add those people by hand.",
                            walk_ins,
                        ).format(count=walk_ins)
                    )
        elif result.sessions:
            print(_("Nothing saved. Run again with --apply to save."))
    return 0 if result.sessions or not (result.failed or result.unmatched) else 1


def run_evidence(args: argparse.Namespace) -> int:

    from app.domain.report import ReportRequest
    from app.services.profile import ProfileService
    from app.services.reports import ReportService
    from app.services.scans import ScanService

    date_from, date_to = report_period(args)
    with opened_database() as db:
        reports = ReportService(db)
        programme = reports.programme_by_code(args.programme) if args.programme else None
        lang = args.lang
        if lang is None:
            profile = ProfileService(db).get()
            lang = profile.default_lang if profile else "ca"
        ids = (programme.id,) if programme else None
        request = ReportRequest(programme_ids=ids, date_from=date_from, date_to=date_to, lang=lang)
        members = reports.evidence_pack(
            request, args.output, passphrase=export_passphrase() if args.encrypt else None
        )
        unsigned = ScanService(db).without_signed_sheet(ids, date_from, date_to)
    print(
        ngettext(
            "Evidence pack: {path} ({count} file)",
            "Evidence pack: {path} ({count} files)",
            len(members),
        ).format(path=args.output, count=len(members))
    )
    if unsigned:
        print(
            ngettext(
                "{count} held session has no signed sheet (register extract only):",
                "{count} held sessions have no signed sheet (register extract only):",
                len(unsigned),
            ).format(count=len(unsigned))
        )
        for u in unsigned:
            print(f"  {format_date(u.date)}  {u.programme_code} · {u.activity}")
    return 0
