"""Expected failures carry a translated message for the user; anything else is a bug."""

from __future__ import annotations


class UserError(Exception):
    """A failure the user can understand and act on. ``message`` is already translated."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: The form field the message belongs to, so a form can show it next to that field.
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(UserError):
    """One or more invalid form fields: ``errors`` maps field name -> translated message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("\n".join(errors.values()), field=next(iter(errors), None))
        self.errors = errors


class StaleRecord(UserError):
    """Someone else saved the record after this copy of it was read: nothing was saved.

    ``current`` is the record as it is now in the database (the same DTO type the caller
    saved), so the window can show both versions side by side."""

    def __init__(self, message: str, current: object = None) -> None:
        super().__init__(message)
        self.current = current
