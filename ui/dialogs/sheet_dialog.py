"""Options and preview of an attendance sheet, then open it in the PDF viewer, print or save it.

The dialog knows nothing about sessions or activities: it takes a ``build(options, final)``
callable returning PDF bytes, so any page can open it for a session, an activity's register grid
or this week's sheets (see :func:`for_session`, :func:`for_activity`, :func:`for_week`).
``final`` is False for the on-screen preview and True when the user opens, prints or saves:
only then is the print written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app import temp_files
from app.domain.sheets import MAX_BLANK_ROWS, SheetOptions
from app.errors import UserError
from app.i18n import N_, _, ngettext
from app.writing import cannot_write
from ui import file_names
from ui.i18n_qt import add_document_languages, name_languages
from ui.prompts import Prompts
from ui.workers import LatestOnly

if TYPE_CHECKING:
    from app.services.sheets import SheetService

Build = Callable[[SheetOptions, bool], bytes]
PREVIEW_SCALE = 0.6  # 595 pt wide page -> ~360 px


def render_pages(pdf: bytes, scale: float) -> list[QImage]:
    """The pages of ``pdf`` as images (pdfium renders, Qt only shows)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(pdf)
    images = []
    try:
        for page in doc:
            pil = page.render(scale=scale).to_pil().convert("RGB")
            data = pil.tobytes()
            img = QImage(data, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888)
            images.append(img.copy())  # detach from the Python buffer
    finally:
        doc.close()
    return images


class SheetDialog(QDialog):
    def __init__(
        self,
        build: Build,
        prompts: Prompts,
        *,
        options: SheetOptions | None = None,
        suggested_name: str | Callable[[], str] = "",
        allow_slips: bool = True,
        remember: Callable[[SheetOptions], None] | None = None,
        parent: QWidget | None = None,
        check_texts: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._build = build
        #: The texts with no version in a language, said before printing ("" when none).
        self._check_texts = check_texts
        self._remember_options = remember
        self._prompts = prompts
        self._suggested = suggested_name
        self._pdf: bytes = b""
        self.page_count = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self.refresh)
        # Built and rendered off the window's thread (a week of sheets takes a while); only
        # the newest request's preview is shown.
        self._preview = LatestOnly(self)

        self.lang = QComboBox()
        add_document_languages(self.lang)
        self.blank_rows = QSpinBox()
        self.blank_rows.setRange(0, MAX_BLANK_ROWS)
        self.masked_id = QCheckBox()
        self.slips = QCheckBox()
        self.slips.setVisible(allow_slips)
        opts = options or SheetOptions()
        self.lang.setCurrentIndex(max(0, self.lang.findData(opts.lang)))
        self.blank_rows.setValue(opts.blank_rows)
        self.masked_id.setChecked(opts.show_masked_id)
        self.slips.setChecked(opts.slips)

        self.lang_label = QLabel()
        self.blank_rows_label = QLabel()
        self.form = QFormLayout()
        self.form.addRow(self.lang_label, self.lang)
        self.form.addRow(self.blank_rows_label, self.blank_rows)
        self.form.addRow(self.masked_id)
        self.form.addRow(self.slips)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.texts_warning = QLabel()
        self.texts_warning.setWordWrap(True)
        self.texts_warning.setStyleSheet("color: #8A4B00;")
        self.texts_warning.setMaximumWidth(320)
        self.texts_warning.hide()
        #: Where the last "Save as PDF" wrote the sheet.
        self.saved_label = QLabel()
        self.saved_label.setWordWrap(True)
        self.saved_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton()
        self.print_button = QPushButton()
        self.save_button = QPushButton()
        self.close_button = QPushButton()
        left = QVBoxLayout()
        left.addLayout(self.form)
        left.addWidget(self.info)
        left.addWidget(self.texts_warning)
        left.addWidget(self.saved_label)
        left.addStretch(1)
        for b in (self.open_button, self.print_button, self.save_button, self.close_button):
            left.addWidget(b)

        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(self.pages)
        self.scroll_area.setMinimumWidth(int(595 * PREVIEW_SCALE) + 40)
        main = QHBoxLayout(self)
        main.addLayout(left)
        main.addWidget(self.scroll_area, 1)
        self.resize(720, 640)

        for signal in (
            self.lang.currentIndexChanged,
            self.blank_rows.valueChanged,
            self.masked_id.toggled,
            self.slips.toggled,
        ):
            signal.connect(self._timer.start)
        self.open_button.clicked.connect(self.open_in_viewer)
        self.print_button.clicked.connect(self.print_sheet)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.accept)
        self.retranslate_ui()
        self.refresh()

    # -- texts -----------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Print sheet"))
        name_languages(self.lang)
        self.lang_label.setText(_("Language of the sheet"))
        self.blank_rows_label.setText(_("Blank rows for newcomers"))
        self.masked_id.setText(_("Add a partly hidden ID number column"))
        self.slips.setText(_("Individual slips (nobody sees other names)"))
        self.open_button.setText(_("Open in PDF viewer"))
        self.print_button.setText(_("Print…"))
        self.save_button.setText(_("Save as PDF…"))
        self.close_button.setText(_("Close"))
        self._show_info()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def _show_info(self) -> None:
        n = self.page_count
        text = ngettext("{count} page", "{count} pages", n).format(count=n) if n else ""
        self.info.setText(text)

    # -- options and preview ---------------------------------------------------------------

    def options(self) -> SheetOptions:
        return SheetOptions(
            lang=str(self.lang.currentData()),
            blank_rows=self.blank_rows.value(),
            show_masked_id=self.masked_id.isChecked(),
            slips=self.slips.isChecked() and self.slips.isVisibleTo(self),
        )

    def _make(self, final: bool) -> bytes | None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return self._build(self.options(), final)
        except UserError as exc:
            self._prompts.error(self, _("Print sheet"), exc.message)
            return None
        finally:
            QGuiApplication.restoreOverrideCursor()

    def refresh(self) -> None:
        """Rebuild the preview with the current options (in the background)."""
        self._timer.stop()
        self.info.setText(_("Preparing the preview…"))
        build, options = self._build, self.options()
        self._update_texts_warning(options.lang)

        def preview() -> tuple[bytes, list[QImage]]:
            pdf = build(options, False)
            return pdf, render_pages(pdf, PREVIEW_SCALE)

        self._preview.run(preview, self._show_preview, self._preview_failed)

    def _update_texts_warning(self, lang: str) -> None:
        warning = ""
        if self._check_texts is not None:
            try:
                warning = self._check_texts(lang)
            except UserError:
                warning = ""  # the preview says what is wrong
        self.texts_warning.setText(warning)
        self.texts_warning.setVisible(bool(warning))

    def _preview_failed(self, message: str) -> None:
        self._show_info()
        self._prompts.error(self, _("Print sheet"), message)

    def _show_preview(self, preview: tuple[bytes, list[QImage]]) -> None:
        pdf, images = preview
        self._pdf = pdf
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for img in images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(img))
            label.setStyleSheet("border: 1px solid #999; background: white;")
            self.pages_layout.addWidget(label)
        self.page_count = len(images)
        self._show_info()

    def done(self, result: int) -> None:
        # Let a running preview finish before what it reports to goes away.
        self._preview.wait()
        super().done(result)

    @property
    def preview_pdf(self) -> bytes:
        return self._pdf

    # -- actions ---------------------------------------------------------------------------

    def _remember(self) -> None:
        if self._remember_options is not None:
            self._remember_options(self.options())

    def suggested_name(self) -> str:
        """Localized, dated and not yet used in the folder last saved in."""
        if callable(self._suggested):
            try:
                return self._suggested()
            except UserError:  # the sheet's subject is gone: a plain name
                pass
        elif self._suggested:
            return self._suggested
        return file_names.suggest(_("attendance-sheet"), dt.date.today())

    def save(self) -> Path | None:
        path = self._prompts.save_file(
            self, _("Save the sheet"), self.suggested_name(), _("PDF documents (*.pdf)")
        )
        if not path:
            return None
        pdf = self._make(final=True)
        if pdf is None:
            return None
        try:
            Path(path).write_bytes(pdf)
        except OSError as exc:
            self._prompts.error(self, _("Print sheet"), cannot_write(path, exc).message)
            return None
        self._remember()
        file_names.remember_folder(path)
        self.saved_label.setText(_("Saved in {path}").format(path=path))
        return Path(path)

    def open_in_viewer(self) -> Path | None:
        """Write a private temporary file (deleted when Teixit closes) and hand it to the
        system's PDF viewer."""
        pdf = self._make(final=True)
        if pdf is None:
            return None
        path = temp_files.write_private(pdf, ".pdf")
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            # No viewer took it: the names it holds need not wait for Teixit to close.
            temp_files.discard(path)
            self._prompts.error(
                self,
                _("Print sheet"),
                _(
                    "There is no program on this computer to open PDF documents. Install a "
                    "PDF viewer, or save the sheet and open it on another computer."
                ),
            )
            return None
        self._remember()
        return path

    def print_sheet(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: Any) -> bool:
        """Render the sheet's pages onto ``printer`` (a QPrinter) at up to 300 dpi."""
        pdf = self._make(final=True)
        if pdf is None:
            return False
        dpi = min(printer.resolution(), 300)
        painter = QPainter()
        if not painter.begin(printer):
            self._prompts.error(self, _("Print sheet"), _("The printer could not be started."))
            return False
        try:
            for i, img in enumerate(render_pages(pdf, dpi / 72)):
                if i:
                    printer.newPage()
                target = painter.viewport()
                size = img.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.setViewport(target.x(), target.y(), size.width(), size.height())
                painter.setWindow(img.rect())
                painter.drawImage(0, 0, img)
                painter.setViewport(target)
        finally:
            painter.end()
        self._remember()
        return True


# -- entry points for pages ----------------------------------------------------------------


def _open(
    service: SheetService,
    load: Callable[[Any], Any],
    prompts: Prompts,
    suggested: str | Callable[[], str],
    parent: QWidget | None,
    allow_slips: bool = True,
) -> SheetDialog:
    def build(options: SheetOptions, final: bool) -> bytes:
        return service.pdf(load(service), options, record=final)

    return SheetDialog(
        build,
        prompts,
        options=service.saved_options(),
        suggested_name=suggested,
        allow_slips=allow_slips,
        remember=service.save_options,
        parent=parent,
        check_texts=lambda lang: service.missing_warning(load(service), lang),
    )


def _named(kind: str, load: Callable[[], Any]) -> Callable[[], str]:
    """The file name of a sheet: its kind (translated when saving), date and activity."""

    def name() -> str:
        data = load()
        day = data.date or (data.period[0] if data.period else None) or dt.date.today()
        return file_names.suggest(_(kind), day, data.activity or data.space)

    return name


def for_session(
    sheets: SheetService, session_id: str, prompts: Prompts, parent: QWidget | None = None
) -> SheetDialog:
    """ "Print sheet" on a session."""
    # TRANSLATORS: start of a saved sheet's file name, e.g. "attendance-sheet-2026-12-03-….pdf".
    name = _named(N_("attendance-sheet"), lambda: sheets.session_sheet(session_id))
    return _open(sheets, lambda s: s.session_sheet(session_id), prompts, name, parent)


def for_activity(
    sheets: SheetService,
    activity_id: str,
    start: dt.date,
    end: dt.date,
    prompts: Prompts,
    parent: QWidget | None = None,
) -> SheetDialog:
    """ "Print sheet" on an activity: the register grid of [start, end]."""
    return _open(
        sheets,
        lambda s: s.activity_grid(activity_id, start, end),
        prompts,
        # TRANSLATORS: start of a saved register grid's file name.
        _named(N_("attendance-register"), lambda: sheets.activity_grid(activity_id, start, end)),
        parent,
        allow_slips=False,
    )


def for_blank(
    sheets: SheetService,
    prompts: Prompts,
    activity_id: str | None = None,
    parent: QWidget | None = None,
) -> SheetDialog:
    """A sheet without names for an unplanned event."""
    # TRANSLATORS: start of a saved blank sheet's file name.
    name = _named(N_("blank-attendance-sheet"), lambda: sheets.blank_sheet(activity_id))
    return _open(sheets, lambda s: s.blank_sheet(activity_id), prompts, name, parent)


def for_week(
    sheets: SheetService, monday: dt.date, prompts: Prompts, parent: QWidget | None = None
) -> SheetDialog:
    """ "Print this week's sheets": every session of the week in one PDF."""

    def build(options: SheetOptions, final: bool) -> bytes:
        return sheets.week_pdf(monday, options, record=final)

    return SheetDialog(
        build,
        prompts,
        options=sheets.saved_options(),
        # TRANSLATORS: start of the file name of a week's sheets in one PDF.
        suggested_name=lambda: file_names.suggest(_("attendance-sheets-week"), monday),
        remember=sheets.save_options,
        parent=parent,
        check_texts=lambda lang: sheets.missing_warning(
            [sheets.session_sheet(i) for i in sheets.week_session_ids(monday)], lang
        ),
    )
