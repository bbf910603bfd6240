"""Messages for editors: English msgids in the code, translated through gettext catalogs.

Write every editor-facing message as `_("unknown field `{name}`").format(name=...)`: the msgid is the
English text with named placeholders; the catalogs under townsite/locale/ give Simplified Chinese
(the default) and English. Until a catalog has a message, its msgid is shown.
"""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "townsite"
_translation: gettext.NullTranslations = gettext.NullTranslations()


def set_language(lang: str) -> None:
    """Use `lang` ("zh_CN", "en") for every later message; an unknown language shows the msgids."""
    global _translation
    _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)
