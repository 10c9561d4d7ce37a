"""Marking text for translation outside the Qt shell.

All text a citizen sees is written in Simplified Chinese in the code and translated by Qt's
mechanism: `pyside6-lupdate` collects it into `ui/translations/kiosk_en.ts`. Code that must not
import Qt (flows, the core, devices) marks its text here and the shell translates it when it shows
it. `lupdate` recognises only the names `tr` and `QT_TR_NOOP`, hence these names.
"""

from __future__ import annotations

from collections.abc import Callable


def QT_TR_NOOP(text: str) -> str:
    """Return `text` unchanged; marks a plain constant for `lupdate`."""
    return text


class Text:
    """Text for the screen: a marked source string and the values to put into it.

    The shell translates `source` and then formats it, so the English file translates
    "承诺时限：{days} 个工作日" once, whatever the number.
    """

    __slots__ = ("args", "source")

    def __init__(self, source: str, args: dict[str, object]) -> None:
        self.source = source
        self.args = args

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.source, self.args) == (other.source, other.args)

    def __hash__(self) -> int:
        return hash(self.source)

    def __repr__(self) -> str:
        return f"tr({self.source!r}, **{self.args!r})"

    def render(self, translate: Callable[[str], str] = lambda source: source) -> str:
        """Translate, then fill in the values; values that are Text are rendered first."""
        values = {
            name: value.render(translate) if isinstance(value, Text) else value
            for name, value in self.args.items()
        }
        return translate(self.source).format(**values)


def tr(source: str, **args: object) -> Text:
    """Text to be translated when shown; `args` fill the `{name}` fields after translation."""
    return Text(source, args)
