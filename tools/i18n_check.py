"""Fail when the Indonesian catalogue is incomplete or stale (run by `make messages-check`).

Checks, for src/posyandu/locale/id/LC_MESSAGES/django.po:
1. every msgid found in the sources (Django's makemessages, run on a temporary copy) is in it;
2. every entry has an Indonesian translation and none is fuzzy;
3. the committed django.mo says exactly what django.po says.
"""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Message
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "posyandu"
CATALOGUE = Path("locale/id/LC_MESSAGES")


def _read(po_path: Path) -> dict[str, Message]:
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="id")
    return {_key(m): m for m in catalog if m.id}


def _key(message: Message) -> str:
    """Return an entry's key: its msgid (the singular of a plural), after its context if any."""
    msgid = message.id if isinstance(message.id, str) else "\x00".join(message.id)
    return msgid if message.context is None else f"{message.context}\x04{msgid}"


def _source_msgids() -> set[str]:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "posyandu"
        shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        cmd = ["django-admin", "makemessages", "-l", "id", "--no-location", "--no-obsolete"]
        subprocess.run(  # noqa: S603 - fixed command on our own copy of the sources
            [str(Path(sys.executable).parent / cmd[0]), *cmd[1:]],
            cwd=copy,
            check=True,
            capture_output=True,
        )
        return set(_read(copy / CATALOGUE / "django.po"))


def main() -> int:
    """Check the catalogue; print each problem; return 1 when there is any."""
    po_path = PACKAGE / CATALOGUE / "django.po"
    entries = _read(po_path)
    problems = [f"missing from django.po: {m!r}" for m in sorted(_source_msgids() - set(entries))]
    for msgid, message in entries.items():
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"no Indonesian translation: {msgid!r}")
        if message.fuzzy:
            problems.append(f"fuzzy translation: {msgid!r}")
    with (PACKAGE / CATALOGUE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for key, message in entries.items():
        if message.pluralizable:
            continue
        if message.context is None:
            said = compiled.gettext(message.id)
        else:
            said = compiled.pgettext(message.context, message.id)
        if said != message.string:
            problems.append(f"django.mo is stale (run `make messages`): {key!r}")
    for problem in problems:
        print(problem)
    print(f"{len(entries)} messages, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
