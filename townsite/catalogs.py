"""Catalog upkeep (needs babel, a test extra): `python -m townsite.catalogs` extracts every msgid
from the code (townsite/locale/babel.cfg), updates both .po files (new msgids: English filled in,
Chinese left empty and listed; msgids gone from the code: dropped) and compiles the .mo files.
Then translate the listed msgids in zh_CN/LC_MESSAGES/townsite.po and run it again.
tests/test_i18n.py checks that nothing is left untranslated and the .mo files are current."""

from __future__ import annotations

import datetime
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from .i18n import DOMAIN, LOCALE_DIR

PACKAGE = Path(__file__).parent
KEYWORDS: dict = {"_": None, "N_": None, "ngettext": (1, 2)}
# Beside the package: build.py speaks before townsite's dependencies are importable.
SCRIPTS = ("build.py",)
DATED_HEADERS = (
    '"POT-Creation-Date',
    '"PO-Revision-Date',
    '"Generated-By',
    '"Last-Translator',
    '"Language-Team',
    '"Report-Msgid-Bugs-To',
)
FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
LOCALES = {"zh_CN": "nplurals=1; plural=0;", "en": "nplurals=2; plural=(n != 1);"}


def extract() -> Catalog:
    """Every msgid in the code, as `pybabel extract -F townsite/locale/babel.cfg townsite build.py`
    (run at the top of the project) finds them."""
    with open(LOCALE_DIR / "babel.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalog = Catalog(project="townsite", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(f"townsite/{filename}", lineno)], auto_comments=comments, context=context)
    for name in SCRIPTS:
        if (PACKAGE.parent / name).is_file():
            for lineno, message, comments, context in extract_from_file("python", PACKAGE.parent / name, KEYWORDS):
                catalog.add(message, None, [(name, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(locale: str) -> Catalog:
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, domain=DOMAIN, project="townsite", charset="utf-8")
    with open(path, "rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def compiled(catalog: Catalog) -> bytes:
    """The .mo bytes: the same .po gives the same bytes (no clock in its header)."""
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def update() -> list[str]:
    """Bring both catalogs in line with the code; the msgids still without Chinese."""
    template = extract()
    missing: list[str] = []
    for locale, plurals in LOCALES.items():
        old = read(locale)
        new = Catalog(locale=locale, domain=DOMAIN, project="townsite", charset="utf-8", fuzzy=False)
        for message in template:
            if not message.id:
                continue
            before = old.get(message.id)
            string = before.string if before is not None else None
            if locale == "en":
                string = message.id
            if not _complete(string):
                missing.append(str(message.id))
            new.add(message.id, string, message.locations)
        _write(locale, new, plurals)
    return sorted(set(missing))


def _complete(string: object) -> bool:
    if isinstance(string, (tuple, list)):
        return all(string)
    return bool(string)


def _write(locale: str, catalog: Catalog, plurals: str) -> None:
    path = po_path(locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, sort_output=True, include_previous=False, include_lineno=False)
    text = buffer.getvalue().decode("utf-8")
    text = _header(text, plurals)
    path.write_text(text, encoding="utf-8")
    path.with_suffix(".mo").write_bytes(compiled(read(locale)))


def _header(text: str, plurals: str) -> str:
    """A stable header: no creation dates (same input, same bytes), the plural rule stated."""
    kept = [f"# townsite messages ({'Simplified Chinese' if 'nplurals=1' in plurals else 'English'})."]
    for line in text.split("\n"):
        if line.startswith("# ") and not kept[1:]:
            continue
        if line.startswith(DATED_HEADERS):
            continue
        if line.startswith('"Project-Id-Version'):
            line = '"Project-Id-Version: townsite\\n"'
        if line.startswith('"Plural-Forms'):
            line = f'"Plural-Forms: {plurals}\\n"'
        kept.append(line)
    return "\n".join(kept)


def main() -> int:
    missing = update()
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    print(f"{len(missing)} msgid(s) without Chinese in {po_path('zh_CN')}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
