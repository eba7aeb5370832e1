"""Saving a consent form to sign on paper (a person's, or blank), from the People page and the
File menu: the file name suggested in the interface language, the PDF written in the
background, and where it went said."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.i18n import _
from app.services.container import Services
from ui import file_names
from ui.prompts import Prompts


def save_consent_form(
    parent: Any,
    services: Services,
    prompts: Prompts,
    person_id: str | None = None,
    person_name: str = "",
) -> Path | None:
    """Ask where, write the form (blank without ``person_id``) and say where it was saved."""
    from ui.workers import run_with_progress

    # TRANSLATORS: start of a saved consent form's file name, e.g.
    # "consent-form-2026-12-03-aya-el-amrani.pdf".
    suggested = file_names.suggest(_("consent-form"), dt.date.today(), person_name)
    path = prompts.save_file(parent, _("Save the consent form"), suggested, "PDF (*.pdf)")
    if not path:
        return None
    file_names.remember_folder(path)
    people = services.people
    try:
        run_with_progress(
            parent,
            _("Consent form"),
            _("Writing the consent form…"),
            lambda: people.write_consent_form(Path(path), person_id),
        )
    except UserError as exc:
        prompts.error(parent, _("Consent form"), exc.message)
        return None
    prompts.info(parent, _("Consent form"), _("Saved in {path}").format(path=path))
    return Path(path)
