"""Translation in the shell: Qt's translator, the English file, and rendering marked text.

Source strings are Simplified Chinese. `ui/translations/kiosk_en.ts` is kept up to date with
`python main.py translations` (runs pyside6-lupdate over the code); the compiled `.qm` is built
from it on first use, so there is no binary file in the repository to fall out of date.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from common.i18n import Text

log = logging.getLogger(__name__)

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
LANGUAGES = ("zh_CN", "en")


def tr(source: str, **args: object) -> str:
    """Translate shell text now; `args` fill its `{name}` fields."""
    text = QCoreApplication.translate("", source)
    return text.format(**args) if args else text


def render(text: Text | str) -> str:
    """A flow's marked text in the current language; plain str is catalog data, shown as is."""
    if isinstance(text, str):
        return text
    return text.render(lambda source: QCoreApplication.translate("", source))


def _tool(name: str) -> str:
    beside_python = Path(sys.executable).with_name(name)
    return str(beside_python) if beside_python.exists() else (shutil.which(name) or name)


def compiled(language: str) -> Path | None:
    """The .qm file for `language`, built from its .ts when missing or older."""
    ts = TRANSLATIONS / f"kiosk_{language}.ts"
    if not ts.exists():
        return None
    qm = ts.with_suffix(".qm")
    if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
        subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)],
                       check=True, capture_output=True)
    return qm


class Language:
    """Switches the application's language at run time."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._translator: QTranslator | None = None
        self.current = "zh_CN"

    def switch(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"unsupported language {language!r}")
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        qm = compiled(language) if language != "zh_CN" else None
        if qm is not None:
            translator = QTranslator(self._app)
            if translator.load(str(qm)):
                self._app.installTranslator(translator)
                self._translator = translator
            else:
                log.error("translation file could not be loaded: %s", qm)
        self.current = language
