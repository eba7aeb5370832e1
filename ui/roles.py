"""The window reflects what the login's role may do on an office database: it does not offer
what the database would refuse (the database enforces the roles whatever the window shows).

- coordinator: everything (and on a SQLite file the one person is a coordinator);
- educator: the daily work; the entity's profile and data-protection settings, the programme
  categories and the funders are read only, the audit log and the purge are not shown;
- viewer: reads programmes, sessions and networks, and the figures (counted by the office
  database without naming anybody); no add, edit or delete anywhere, nothing that shows or
  prints a person.

Which buttons change data is listed here, widget class by widget class, rather than in each
page: one place to read, and to keep up to date when a page gains a button.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QWidget

from app.domain.office import COORDINATOR, EDUCATOR, VIEWER

#: Buttons that add, change or delete data (attribute names), by widget class: not for viewers.
WRITE_BUTTONS: dict[str, tuple[str, ...]] = {
    "HomePage": ("new_session_button",),
    "SessionsPage": (
        "buttons.new",
        "buttons.series",
        "buttons.edit",
        "buttons.cancel",
        "buttons.delete",
    ),
    "ProgrammesPage": ("new_button", "delete_button"),
    "ProgrammeForm": ("add_indicator", "remove_indicator", "save_button"),
    "ActivityPanel": ("new_button", "delete_button", "save_button"),
    "RosterPanel": ("leave_button", "unenrol_button", "save_dates_button"),
    "NetworksPage": ("new_space_button", "new_commission_button", "delete_space_button"),
    "SpacePanel": (
        "save_button",
        "new_meeting_button",
        "edit_meeting_button",
        "delete_meeting_button",
        "held_button",
    ),
    "OrganisationsDirectory": ("new_button", "save_button", "delete_button"),
    "ListEditor": ("new_button", "save_button", "remove_button"),
    "CategoriesEditor": (
        "add_button",
        "remove_button",
        "up_button",
        "down_button",
        "save_button",
    ),
    "SettingsPage": (
        "save_button",
        "logo_button",
        "logo_clear",
        "suggest_button",
        "purge_button",
    ),
    "OfficeBackupBox": ("save_button", "stop_button", "choose_button"),
    "PeoplePage": (
        "new_button",
        "save_button",
        "merge_button",
        "erase_button",
        "consent_save",
        "consent_revoke",
    ),
    "CoproductionPanel": ("save_button",),
    "VolunteeringSettings": ("save_button",),
    "VolunteersPage": (
        "new_button",
        "save_button",
        "remove_button",
        "add_hours",
        "delete_hours",
        "record_certificate",
    ),
    "GroupsPanel": (
        "new_button",
        "save_button",
        "delete_button",
        "add_contact",
        "remove_contact",
        "stage_button",
        "new_meeting_button",
        "save_meeting_button",
    ),
    "NeedsPanel": ("new_button", "save_button", "delete_button"),
    "ReportDialog": ("new_band_set",),
}
#: Tabs with personal data a viewer does not see (attribute names of the tab widgets): the
#: groups' contact people, mediation cases, referrals.
VIEWER_HIDDEN_TABS: dict[str, tuple[str, ...]] = {
    "NetworksPage": ("groups", "mediation", "referrals"),
}
#: Buttons that show or print people (a session's attendance, its sheet with names, the
#: reports and their evidence, which name or describe people): not for viewers, who read figures.
PERSONAL_BUTTONS: dict[str, tuple[str, ...]] = {
    "SessionsPage": ("buttons.attendance", "buttons.print"),
    # A viewer writes the justification report (counted without reading a person), not the
    # evidence pack.
    "ReportsPage": ("evidence_button",),
    "ReportDialog": ("evidence_button",),
}
#: The entity's set-up, which only coordinators change (educators read it).
SET_UP_BUTTONS: dict[str, tuple[str, ...]] = {
    "VolunteeringSettings": WRITE_BUTTONS["VolunteeringSettings"],
    "CategoriesEditor": WRITE_BUTTONS["CategoriesEditor"],
    "OfficeBackupBox": WRITE_BUTTONS["OfficeBackupBox"],
    "SettingsPage": WRITE_BUTTONS["SettingsPage"],
}
#: Forms shown read only where the role may not change them.
SET_UP_FORMS: dict[str, tuple[str, ...]] = {
    "SettingsPage": ("entity_box", "privacy_box"),
    "OfficeBackupBox": ("folder", "time", "keep"),
}
#: List editors of the set-up (ListEditor.spec.kind).
SET_UP_LISTS = frozenset({"funder"})


def write_keys() -> list[QKeySequence]:
    """The shortcuts that add, save or delete (a hidden button's shortcut must not do it
    either); made when asked, as key sequences need the application."""
    keys = [QKeySequence("Ctrl+N"), QKeySequence("Ctrl+S")]
    for standard in (
        QKeySequence.StandardKey.New,
        QKeySequence.StandardKey.Save,
        QKeySequence.StandardKey.Delete,
    ):
        keys += QKeySequence.keyBindings(standard)
    return [k for k in keys if not k.isEmpty()]


#: The areas a role does not see in the navigation. A viewer reads no personal data: Home,
#: Sessions and Reports show a viewer figures the office database counts without reading a
#: person (its counting functions), read only.
HIDDEN_AREAS: dict[str, frozenset[str]] = {
    COORDINATOR: frozenset(),
    EDUCATOR: frozenset(),
    VIEWER: frozenset({"people", "economics", "volunteers"}),
}


class _KeptHidden(QObject):
    """Hides its widget again whenever something shows it (a page's own enabling logic)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            watched.hide()
        return False


def keep_hidden(widget: QWidget) -> None:
    if widget.property("teixit_kept_hidden"):
        return
    widget.setProperty("teixit_kept_hidden", True)
    widget.installEventFilter(_KeptHidden(widget))
    widget.hide()


def _hidden_buttons(widget: QWidget, role: str) -> tuple[str, ...]:
    name = type(widget).__name__
    names: tuple[str, ...] = ()
    if role == VIEWER:
        names = WRITE_BUTTONS.get(name, ()) + PERSONAL_BUTTONS.get(name, ())
    elif role == EDUCATOR:
        names = SET_UP_BUTTONS.get(name, ())
        if name == "ListEditor" and getattr(getattr(widget, "spec", None), "kind", "") in (
            SET_UP_LISTS
        ):
            names = WRITE_BUTTONS["ListEditor"]
    return names


def _button(widget: QWidget, name: str) -> object:
    """``widget.name``, or ``widget.buttons[key]`` for ``buttons.key`` (a page's dict)."""
    attribute, _dot, key = name.partition(".")
    found = getattr(widget, attribute, None)
    if key:
        return found.get(key) if isinstance(found, dict) else None
    return found


def apply_role(root: QWidget, role: str) -> None:
    """Hide, in ``root`` and everything in it, what ``role`` may not do."""
    if role == COORDINATOR:
        return
    for widget in [root, *root.findChildren(QWidget)]:
        for attribute in _hidden_buttons(widget, role):
            button = _button(widget, attribute)
            if isinstance(button, QAbstractButton):
                keep_hidden(button)
        for attribute in SET_UP_FORMS.get(type(widget).__name__, ()):
            form = getattr(widget, attribute, None)
            if isinstance(form, QWidget):
                form.setEnabled(False)
        if type(widget).__name__ == "SettingsPage":
            _settings_for(widget, role)
        if role == VIEWER:
            _viewer_tabs(widget)
    if role == VIEWER:
        keys = write_keys()
        for shortcut in root.findChildren(QShortcut):
            if any(shortcut.key().matches(k) == QKeySequence.SequenceMatch.ExactMatch
                   for k in keys):  # fmt: skip
                shortcut.setEnabled(False)
    elif role == EDUCATOR and type(root).__name__ == "SettingsPage":
        for shortcut in root.findChildren(QShortcut):
            if shortcut.parent() is root:
                shortcut.setEnabled(False)  # the profile's Save (the lists keep theirs)


def _viewer_tabs(page: QWidget) -> None:
    tabs = getattr(page, "tabs", None)
    for attribute in VIEWER_HIDDEN_TABS.get(type(page).__name__, ()):
        tab = getattr(page, attribute, None)
        if tabs is not None and tab is not None and tabs.indexOf(tab) >= 0:
            tabs.setTabVisible(tabs.indexOf(tab), False)


def _settings_for(page: QWidget, role: str) -> None:
    """The audit log is read by coordinators only (the database refuses it to the others)."""
    tabs = getattr(page, "tabs", None)
    audit = getattr(page, "audit_log", None)
    if tabs is None or audit is None:
        return
    index = tabs.indexOf(audit)
    if index >= 0:
        tabs.setTabVisible(index, False)
    purge = getattr(page, "purge_box", None)
    if isinstance(purge, QWidget):
        keep_hidden(purge)
