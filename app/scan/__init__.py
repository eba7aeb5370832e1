"""Reading signed attendance sheets back: the QR code on each page, straightening the page and
deciding, row by row, whether the signature cell holds ink. Qt-free, no database: pure functions
on numpy arrays (see docs/signed-sheets.md)."""
