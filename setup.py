"""Build step of the wheel: the fonts, icons and compiled catalogues go inside the ``app``
package (``app/_shipped/resources`` and ``app/_shipped/i18n``), where app/paths.py looks first.

The top-level layout of the checkout stays as it is (resources/ and i18n/ beside app/); the .mo
files are compiled here from the .po files, never committed. Everything else is in
pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
LANGS = ("ca", "es", "ca-valencia")


class build_py_with_resources(build_py):  # noqa: N801 (setuptools' naming)
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads resources/ and i18n/ from the checkout
        shipped = Path(self.build_lib) / "app" / "_shipped"
        if shipped.exists():
            shutil.rmtree(shipped)
        shutil.copytree(HERE / "resources", shipped / "resources")
        self._compile_catalogues(shipped / "i18n")

    @staticmethod
    def _compile_catalogues(target: Path) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for lang in LANGS:
            po = HERE / "i18n" / lang / "LC_MESSAGES" / "messages.po"
            mo = target / lang / "LC_MESSAGES" / "messages.mo"
            mo.parent.mkdir(parents=True)
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=lang.replace("-", "@"))  # ca@valencia
            with mo.open("wb") as fh:
                write_mo(fh, catalog)


setup(cmdclass={"build_py": build_py_with_resources})
