"""Saving a meeting's minutes as a PDF, from a network's space or an accompanied group: the
file name suggested in the interface language, the PDF written in the background in the
language chosen beside the button, and where it went said."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.i18n import _
from app.services.container import Services
from ui import file_names
from ui.prompts import Prompts


def save_minutes(
    parent: Any,
    services: Services,
    prompts: Prompts,
    meeting_id: str,
    meeting_date: dt.date,
    lang: str,
) -> None:
    """Ask where, write the minutes and say where they were saved (or why not)."""
    from ui.workers import run_with_progress

    # TRANSLATORS: start of a saved minutes file name, e.g. "minutes-2026-12-03.pdf".
    suggested = file_names.suggest(_("minutes"), meeting_date)
    path = prompts.save_file(parent, _("Save the minutes"), suggested, "PDF (*.pdf)")
    if not path:
        return
    file_names.remember_folder(path)
    networks = services.networks
    try:
        run_with_progress(
            parent,
            _("Minutes"),
            _("Writing the minutes…"),
            lambda: networks.write_minutes(meeting_id, Path(path), lang),
        )
    except UserError as exc:
        prompts.error(parent, _("Cannot write the minutes"), exc.message)
        return
    prompts.info(parent, _("Minutes"), _("Minutes written to {path}").format(path=path))
