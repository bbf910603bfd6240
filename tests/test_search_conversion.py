"""Traditional characters in the browser: every character it converts before searching comes out
as the build's OpenCC table converts it, the common ones from the manifest (no request of their
own), the rare ones from their c/ files; and a traditional query costs what its simplified form
does."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess

import pytest
from conftest import REPO

from townsite.search.chinese import TRADITIONAL_BLOCK, char_data, common_conversions, t2s_table
from townsite.search.export import CHAR_SHARDS

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


def _node(tool: str, search_dir, payload) -> object:
    done = subprocess.run([NODE, str(REPO / "tests/js" / tool), str(search_dir)], input=json.dumps(payload),
                          capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
    return json.loads(done.stdout)


def _manifest(search_dir) -> dict:
    return json.loads(gzip.decompress((search_dir / "manifest.bin").read_bytes()))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import copy_project

    project = copy_project("mini", tmp_path_factory.mktemp("conversion") / "proj")
    project.build()
    return project.site / "search"


@needs_node
def test_the_browser_converts_every_traditional_character_as_the_build_does(built):
    low, high = TRADITIONAL_BLOCK
    table = t2s_table()
    chars = [chr(code) for code in range(low, high + 1)]
    seen = _node("convert.js", built, chars)
    expected = {ch: simple for ch, simple in table.items() if low <= ord(ch) <= high}
    assert set(seen["flagged"]) == set(expected)  # what it knows to convert before searching
    assert seen["conversions"] == expected
    assert len(expected) > 3500


@needs_node
def test_common_characters_come_with_the_manifest_and_only_rare_ones_cost_a_request(built):
    manifest = _manifest(built)
    pairs = manifest["t2s"]
    common = dict(zip(pairs[::2], pairs[1::2], strict=True))
    assert common["鎮"] == "镇" and all(t2s_table()[ch] == simple for ch, simple in common.items())
    assert _node("convert.js", built, list("玫瑰小鎮寧夏"))["files"] == ["manifest.bin"]
    rare = next(ch for ch, simple in t2s_table().items() if ch not in common and "\u4e00" <= ch <= "\u9fff")
    seen = _node("convert.js", built, [rare, "鎮"])
    assert seen["files"] == ["manifest.bin", f"c/{ord(rare) % CHAR_SHARDS}.bin"]
    assert seen["conversions"] == {rare: t2s_table()[rare], "鎮": "镇"}


@needs_node
def test_a_traditional_query_fetches_what_its_simplified_form_does(built):
    traditional, simplified = _node("rank.js", built, ["玫瑰小鎮", "玫瑰小镇"])
    assert traditional["hits"] == simplified["hits"] and traditional["hits"]
    assert sorted(traditional["files"]) == sorted(simplified["files"])


def test_the_c_files_convert_and_read_every_character_as_the_build_does(built):
    table, data = t2s_table(), char_data(CHAR_SHARDS)
    shipped = {}
    for number in range(CHAR_SHARDS):
        shipped.update(json.loads(gzip.decompress((built / "c" / f"{number}.bin").read_bytes())))
    assert {ch: entry[0] for ch, entry in shipped.items() if entry[0]} == table
    assert shipped == {ch: entry for shard in data.values() for ch, entry in shard.items()}


def test_common_conversions_are_the_most_frequent_the_text_holds():
    counts = {"镇": 50, "宁": 40, "发": 10, "东": 3}
    low, high = TRADITIONAL_BLOCK
    sources = {simple: sorted(ch for ch, s in t2s_table().items() if s == simple and low <= ord(ch) <= high)
               for simple in counts}  # fmt: skip
    assert len(sources["镇"]) == len(sources["发"]) == 2  # 鎮 鎭, 發 髮

    def pairs(limit: int) -> list[tuple[str, str]]:
        found = common_conversions(lambda ch: counts.get(ch, 0), limit)
        return list(zip(found[::2], found[1::2], strict=True))

    everything = pairs(100)
    assert everything == sorted(everything)  # code point order
    assert everything == sorted((ch, simple) for simple in counts for ch in sources[simple])
    top = len(sources["镇"]) + len(sources["宁"])
    assert {simple for _, simple in pairs(top)} == {"镇", "宁"}
    assert [simple for _, simple in pairs(top + 1)].count("发") == 1 and "东" not in dict(pairs(top + 1)).values()
    assert common_conversions(lambda ch: 0) == ""  # a character no document holds is never needed
