"""Messages for editors: English msgids in the code, translated through gettext catalogs.

Write every editor-facing message as `_("unknown field `{name}`").format(name=...)`: the msgid is the
English text with named placeholders; the catalogs under townsite/locale/ give Simplified Chinese
(the default) and English. Text defined at import time (a class attribute, a module constant) is
marked with `N_()` for extraction and passed through `_()` where it is shown, so it follows the
language chosen later. Catalog upkeep: `python -m townsite.catalogs` (see that module).
"""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "townsite"
DEFAULT = "zh_CN"
LANGUAGES = {"zh": "zh_CN", "en": "en"}  # what `--lang` accepts → catalog name
_translation: gettext.NullTranslations | None = None
_language = DEFAULT


def choose_language(requested: str | None, environ: Mapping[str, str]) -> str:
    """`--lang zh|en` when given; else the locale (LC_ALL, then LC_MESSAGES, then LANG): English for
    en_*, Simplified Chinese for anything else, C and unset included."""
    if requested:
        return LANGUAGES[requested]
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable, "")
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT
    return DEFAULT


def set_language(lang: str) -> None:
    """Use `lang` ("zh_CN", "en") for every later message; an unknown language shows the msgids."""
    global _translation, _language
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
    _language = lang


def language() -> str:
    return _language


def _catalog() -> gettext.NullTranslations:
    if _translation is None:
        set_language(_language)
    assert _translation is not None
    return _translation


def _(message: str) -> str:
    return _catalog().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks text for extraction without translating it yet (translate it where it is shown)."""
    return message


# Kinds of entries as messages name them ("unknown town `x`"); a kind not listed shows its own name.
KIND_NAMES = {"town": N_("town"), "park": N_("park"), "event": N_("event"), "page": N_("page"), "org": N_("org")}


def kind_name(kind: str) -> str:
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


# argparse's own words (usage, headings, its errors), so that `--help` and a mistyped option read
# in one language. argparse looks up `_` and `ngettext` in its module at call time.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
)


def translate_argparse() -> None:
    import argparse

    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
