"""Every text on screen has its English translation, and the file matches the code."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from kiosk.settings import PROJECT_ROOT

TS = PROJECT_ROOT / "ui" / "translations" / "kiosk_en.ts"


def messages(path: Path) -> dict[str, ET.Element]:
    return {m.findtext("source"): m.find("translation") for m in ET.parse(path).iter("message")}


def test_the_english_file_covers_every_marked_text_in_the_code(tmp_path):
    copy = tmp_path / "kiosk_en.ts"
    shutil.copy(TS, copy)
    sources = [str(p) for folder in ("ui", "flows", "kiosk", "devices")
               for p in sorted((PROJECT_ROOT / folder).rglob("*.py"))]
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run([str(lupdate), *sources, "-no-obsolete", "-ts", str(copy)], check=True,
                   capture_output=True)
    untranslated = [source for source, translation in messages(copy).items()
                    if translation.get("type") == "unfinished" or not translation.text]
    assert untranslated == []
    assert len(messages(copy)) == len(messages(TS)), "run `python main.py translations`"


def test_format_fields_survive_translation():
    for source, translation in messages(TS).items():
        fields = sorted(part.split("}")[0] for part in source.split("{")[1:])
        assert sorted(p.split("}")[0] for p in translation.text.split("{")[1:]) == fields, source
