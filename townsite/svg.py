"""SVG images from static/ are documents a browser runs when opened by their URL: a script, an
event handler, a foreignObject holding HTML or a javascript: link in one would run on the site's
own origin. Each SVG is parsed and rebuilt from an allow-list of drawing elements and attributes;
a file with nothing to remove keeps its bytes, a file that is not well-formed XML is refused."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from .i18n import _

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", XLINK)

# Drawing only: no script, foreignObject, animation (which can set an href), iframe, or anything
# of another namespace (HTML, editor metadata).
ELEMENTS = frozenset(
    """svg g defs symbol use path rect circle ellipse line polyline polygon text tspan textPath title desc
    linearGradient radialGradient stop clipPath mask pattern marker image filter style feBlend feColorMatrix
    feComponentTransfer feComposite feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur
    feMerge feMergeNode feMorphology feOffset switch view""".split()  # noqa: SIM905
)
_SAFE_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z")
# A reference to anything but a fragment of this file: url(http://...), url(//...), @import.
_EXTERNAL_CSS = re.compile(r"@import|url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)
_STYLESHEET = re.compile(r"<\?xml-stylesheet", re.IGNORECASE)  # dropped: processing instructions are not kept


class SvgError(ValueError):
    pass


def _local(name: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree name."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def _safe_attribute(element: str, name: str, value: str) -> bool:
    _namespace, local = _local(name)
    compact = re.sub(r"[\s\x00-\x1f]", "", value).lower()
    if local.lower().startswith("on") or "javascript:" in compact or "vbscript:" in compact:
        return False
    if local == "href":
        return value.startswith("#") or (element == "image" and bool(_SAFE_IMAGE.match(value)))
    return not (local == "style" and _EXTERNAL_CSS.search(value))


def _clean(element: ET.Element) -> bool:
    """Removes what is not allowed below and on `element`; True when something was removed."""
    changed = False
    for name, value in list(element.attrib.items()):
        if not _safe_attribute(_local(element.tag)[1], name, value):
            del element.attrib[name]
            changed = True
    for child in list(element):
        if not isinstance(child.tag, str):
            continue
        namespace, local = _local(child.tag)
        unsafe_style = local == "style" and _EXTERNAL_CSS.search("".join(child.itertext()))
        if namespace != SVG or local not in ELEMENTS or unsafe_style:
            element.remove(child)
            changed = True
        else:
            changed = _clean(child) or changed
    return changed


def sanitize_svg(data: bytes) -> bytes:
    """The SVG with only drawing left; the same bytes when there was nothing else. Raises
    SvgError for a file that is not a well-formed SVG."""
    text = data.decode("utf-8", "replace")
    if _ENTITY.search(text):
        raise SvgError(_("it declares XML entities (<!ENTITY>); save it again without them"))
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise SvgError(_("not well-formed XML: {reason}").format(reason=exc)) from None
    if _local(root.tag) != (SVG, "svg"):
        raise SvgError(_("its root element is not <svg> in the SVG namespace"))
    changed = _clean(root) or bool(_STYLESHEET.search(text))
    if not changed:
        return data
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
