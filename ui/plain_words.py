"""Plain words on screen: every text of a screen or overlay said in the glossary's words.

The shell calls `show_plain_words` on each screen and overlay before it appears (the window's
`prepare`), so labels, buttons, field hints and accessible names built from the code, the
catalogue or the platform all read 拍照台 instead of 高拍仪, 正在办理 instead of 在办; reading
aloud collects its sentences from those widgets and passes everything it says through the same
glossary (`Shell.plain`). Rich text keeps its markup: only the text between tags changes.
"""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget

from common.plain_words import Glossary


def show_plain_words(root: QWidget, glossary: Glossary, *, elder: bool) -> None:
    """Rewrite the texts of `root` and everything in it in plain words."""
    for widget in (root, *root.findChildren(QWidget)):
        if isinstance(widget, QLabel):
            text = widget.text()
            rich = widget.textFormat() == Qt.TextFormat.RichText or (
                widget.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text))
            new = (glossary.plain_markup(text, elder=elder) if rich
                   else glossary.plain(text, elder=elder))
            if new != text:
                widget.setText(new)
        elif isinstance(widget, QAbstractButton):
            text = widget.text()
            if (new := glossary.plain(text, elder=elder)) != text:
                widget.setText(new)
        elif isinstance(widget, QLineEdit):
            # what the person typed is theirs; only the hint is the kiosk's wording
            hint = widget.placeholderText()
            if (new := glossary.plain(hint, elder=elder)) != hint:
                widget.setPlaceholderText(new)
        name = widget.accessibleName()
        if name and (new := glossary.plain(name, elder=elder)) != name:
            widget.setAccessibleName(new)
