"""Scripts made of modules: a folder of static/ whose name ends in `.js` (static/search.js/) is
published as one script of that name (/static/search.<digest>.js), so a page still makes one
request while its source stays in modules of a readable size.

The modules are CommonJS, the form node loads as they are (tests/js require the folder and
get its `index.js`): each module is a `.js` file of the folder, `require("./name")` names a
module beside it, `module.exports` is what it gives. The script wraps each module in a
function, starts from `index.js` and, where a CommonJS `module` exists (node), exports what
`index.js` does; it is minified with rjsmin (comments and whitespace only: names stay
readable in a browser's console). The same modules always make the same bytes: modules in
name order, nothing from the clock or the machine."""

from __future__ import annotations

import json
import re
from pathlib import Path

import rjsmin

from .frontmatter import Undecodable, decode
from .i18n import _

ENTRY = "index"
# require("./name") or require("./name.js"); any other require is refused (nothing to bundle).
_REQUIRE = re.compile(r"""\brequire\(\s*(["'])(.*?)\1\s*\)""")
_LOCAL = re.compile(r"\./([A-Za-z0-9_-]+)(?:\.js)?")

_LOADER = """
var done = {};
function load(name) {
  var key = name.replace(/^\\.\\//, "").replace(/\\.js$/, "");
  if (!done[key]) { done[key] = { exports: {} }; modules[key](done[key], done[key].exports, load); }
  return done[key].exports;
}
var main = load("index");
if (typeof module !== "undefined" && module.exports) module.exports = main;
"""


class BundleError(Exception):
    """What is wrong with a script folder, in words for the editor (translated); `module` and
    `line` say where, when one module is at fault."""

    def __init__(self, message: str, module: str | None = None, line: int | None = None):
        super().__init__(message)
        self.module = module
        self.line = line


def source(path: Path) -> str:
    """A module's text, read as content files are (UTF-8, line ends folded)."""
    try:
        return decode(path.read_bytes())
    except Undecodable as exc:
        raise BundleError(exc.advice, path.name, exc.line) from None


def is_script_folder(path: Path) -> bool:
    return path.is_dir() and path.name.endswith(".js")


def module_names(folder: Path) -> list[str]:
    """The modules `index.js` needs, directly or through others, in name order."""
    if not (folder / f"{ENTRY}.js").is_file():
        raise BundleError(_("a script folder needs an index.js, the module the script starts from"))
    needed, todo = set(), [ENTRY]
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        for wanted in required(folder / f"{name}.js"):
            if not (folder / f"{wanted}.js").is_file():
                raise BundleError(_("{module}.js requires `./{wanted}`, which is not a module of this folder")
                                  .format(module=name, wanted=wanted))  # fmt: skip
            todo.append(wanted)
    return sorted(needed)


def required(path: Path) -> list[str]:
    """The module names a source requires, in the order it names them."""
    found = []
    for match in _REQUIRE.finditer(source(path)):
        local = _LOCAL.fullmatch(match.group(2))
        if local is None:
            message = _("{module} requires `{wanted}`: a module of a script folder may require only `./name`, "
                        "another module beside it")  # fmt: skip
            raise BundleError(message.format(module=path.name, wanted=match.group(2)))
        found.append(local.group(1))
    return found


def bundle(folder: Path) -> bytes:
    """The one minified script made of the modules of `folder`."""
    parts = [
        f"{json.dumps(name)}: function (module, exports, require) {{\n"
        f"{source(folder / f'{name}.js')}\n}}"
        for name in module_names(folder)
    ]
    script = "(function () {\nvar modules = {\n" + ",\n".join(parts) + "\n};\n" + _LOADER + "})();\n"
    return rjsmin.jsmin(script).encode("utf-8") + b"\n"
