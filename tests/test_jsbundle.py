"""Scripts made of modules (townsite/jsbundle.py): static/search.js/ is published as one
minified script, the same bytes every build, that does what its modules do under node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO

from townsite.assets import collect_assets
from townsite.jsbundle import bundle, module_names
from townsite.problems import ContentError

NODE = shutil.which("node")
CLIENT = REPO / "static" / "search.js"


def test_the_search_client_is_one_script_of_its_modules():
    outputs, urls = collect_assets(REPO / "static")
    script = urls["search.js"]
    assert script.startswith("/static/search.") and script.endswith(".js")
    assert outputs[script.removeprefix("/")] == bundle(CLIENT) == bundle(CLIENT)  # the same bytes each time
    assert not [path for path in outputs if path.startswith("static/search.js/")]  # no module on its own
    assert module_names(CLIENT) == sorted(p.stem for p in CLIENT.glob("*.js"))


def test_the_script_is_minified():
    sources = sum(len(p.read_bytes()) for p in CLIENT.glob("*.js"))
    script = bundle(CLIENT)
    assert len(script) < 0.85 * sources
    assert b"// " not in script and b"\n  " not in script  # no comments, no indentation


def test_modules_stay_within_the_guides_size():
    assert {p.name: n for p in CLIENT.glob("*.js") if (n := len(p.read_text().splitlines())) > 400} == {}


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_the_script_does_what_its_modules_do(tmp_path: Path):
    """The shared vectors through the sources and through the published script, in node."""
    (tmp_path / "search.js").write_bytes(bundle(CLIENT))
    program = """
const vectors = require(process.argv[1]);
const out = {};
for (const [name, file] of [["modules", process.argv[2]], ["script", process.argv[3]]]) {
  const s = require(file);
  out[name] = {
    api: Object.keys(s).sort(),
    tokens: vectors.vectors.map((v) => s.tokenize(v.input)),
    plans: vectors.plans.map((v) => [s.textPlan(v.query), s.pinyinPlan(v.query, new Set(vectors.syllables))]),
    excerpt: s.excerpt({ summary: "摘要。", text: "前文。在宜宾召开。" }, ["宜宾"], 40),
  };
}
process.stdout.write(JSON.stringify(out));
"""
    done = subprocess.run([NODE, "-e", program, str(REPO / "tests/search_vectors.json"), str(CLIENT),
                           str(tmp_path / "search.js")], capture_output=True, text=True, check=True)  # fmt: skip
    both = json.loads(done.stdout)
    assert both["script"] == both["modules"]
    assert "createSearcher" in both["script"]["api"] and both["script"]["excerpt"] == "在宜宾召开。"


def _folder(tmp_path: Path, modules: dict[str, str]) -> Path:
    folder = tmp_path / "static" / "app.js"
    folder.mkdir(parents=True)
    for name, text in modules.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_only_the_modules_index_needs_go_in(tmp_path: Path):
    folder = _folder(tmp_path, {"index.js": 'module.exports = require("./a.js").x;',
                                "a.js": 'var b = require("./b"); exports.x = b + 1;',
                                "b.js": "module.exports = 41;", "unused.js": "broken(", "notes.md": "# notes"})  # fmt: skip
    assert module_names(folder) == ["a", "b", "index"]
    outputs, urls = collect_assets(tmp_path / "static")
    assert list(urls) == ["app.js"] and list(outputs) == [urls["app.js"].removeprefix("/")]
    if NODE:
        (tmp_path / "app.js").write_bytes(bundle(folder))
        done = subprocess.run([NODE, "-p", f"require({json.dumps(str(tmp_path / 'app.js'))})"],
                              capture_output=True, text=True, check=True)  # fmt: skip
        assert done.stdout.strip() == "42"


@pytest.mark.parametrize(
    ("modules", "message"),
    [
        ({"main.js": ""}, "static/app.js: 脚本文件夹需要一个 index.js"),
        ({"index.js": 'require("./gone");'}, "static/app.js: index.js 引用了 `./gone`，但这个文件夹里没有这个模块"),
        ({"index.js": 'require("lodash");'}, "static/app.js: index.js 引用了 `lodash`：脚本文件夹里的模块只能用"),
        ({"index.js": 'require("./a");', "a.js": 'require("../x");'}, "static/app.js: a.js 引用了 `../x`"),
    ],
)
def test_a_broken_script_folder_is_reported(tmp_path: Path, modules: dict[str, str], message: str):
    _folder(tmp_path, modules)
    with pytest.raises(ContentError) as info:
        collect_assets(tmp_path / "static")
    assert str(info.value.problems[0]).startswith(message)


def test_a_module_that_is_not_utf8_is_reported_with_its_path_and_line(tmp_path: Path):
    _folder(tmp_path, {"index.js": 'require("./a");', "a.js": ""})
    (tmp_path / "static/app.js/a.js").write_bytes("// ok\n// 搜索\n".encode("gb18030"))
    with pytest.raises(ContentError) as info:
        collect_assets(tmp_path / "static")
    assert str(info.value.problems[0]).startswith("static/app.js/a.js:2: ")
    assert "UTF-8" in str(info.value.problems[0])
