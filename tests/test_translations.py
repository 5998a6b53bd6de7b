"""Russian first: every user-facing string of the code has a Russian translation in the catalog."""

import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.po"
IGNORED = [".venv", "node_modules", "bench", "tests", "static", "staticfiles", "media", ".test-media"]


def untranslated(po: Path) -> str:
    """The entries of `po` without a Russian text, or fuzzy: empty when the catalog is complete."""
    result = subprocess.run(
        ["msgattrib", "--untranslated", "--no-wrap", str(po)], capture_output=True, text=True, check=True
    )
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-wrap", str(po)], capture_output=True, text=True, check=True
    )
    entries = (result.stdout + "\n\n" + fuzzy.stdout).split("\n\n")
    return "\n\n".join(e for e in entries if "msgid" in e and 'msgid ""\nmsgstr ""' not in e).strip()


def test_the_russian_catalog_covers_every_string_in_the_code(tmp_path):
    backup = tmp_path / "django.po"
    shutil.copy(PO, backup)
    try:
        # Re-extract the strings from the code as they are now, keeping the existing translations.
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "ru", "--no-obsolete", "-v", "0"]
            + [f"--ignore={name}" for name in IGNORED],
            cwd=settings.BASE_DIR,
            check=True,
        )
        missing = untranslated(PO)
    finally:
        shutil.copy(backup, PO)

    assert missing == "", f"Strings without a Russian translation (run makemessages and translate):\n{missing}"


def test_russian_plural_forms_are_used():
    text = PO.read_text(encoding="utf-8")

    assert '"Language: ru\\n"' in text
    assert "nplurals=4" in text
    assert 'msgstr[2] "%(n)s сделок"' in text
