"""Per-entry work kept between builds by content hash: rendered Markdown and search term
counts. A later build reuses them and gives the same bytes; a changed body, another base path,
changed code or a damaged file means the work is done again."""

from __future__ import annotations

import shutil

import pytest
from conftest import force_parallel

from townsite import markup
from townsite.markup import MarkdownRenderer
from townsite.search import documents
from townsite.store import Table

BODY_FILE = "content/towns/rose.md"


class Forbidden(AssertionError):
    pass


def forbid_work(monkeypatch) -> None:
    """From now on, rendering Markdown or tokenizing fails the build (in forked workers too:
    they inherit the patch)."""

    def refuse(*args):
        raise Forbidden(f"work done again: {str(args[-1])[:40]!r}")

    monkeypatch.setattr(MarkdownRenderer, "render", refuse)
    monkeypatch.setattr(documents, "tokenize", refuse)
    monkeypatch.setattr(documents, "token_counts", refuse)  # how term counts are made


def test_a_table_reads_back_what_it_saved_and_nothing_else(tmp_path):
    table = Table(tmp_path / "t.bin", "v1")
    assert table.load() == {}  # missing
    table.save({"k": ("html", ("/a/",)), "n": {"body": {"玫瑰": 2}}})
    assert table.load() == {"k": ("html", ("/a/",)), "n": {"body": {"玫瑰": 2}}}
    assert [p.name for p in tmp_path.iterdir()] == ["t.bin"]  # no temporary file left
    assert Table(tmp_path / "t.bin", "v2").load() == {}  # made by other code: stale
    for damage in (b"", b"\x00garbage", (tmp_path / "t.bin").read_bytes()[:-9]):
        (tmp_path / "t.bin").write_bytes(damage)
        assert table.load() == {}
    assert Table(None, "v1").load() == {}


@pytest.mark.parametrize("parallel", [False, True], ids=["serial", "parallel"])
def test_a_template_change_reuses_every_body_and_every_term_count(project, tree_of, monkeypatch, parallel):
    if parallel:
        force_parallel(monkeypatch)
    first = project.build()
    assert ("render ‖ index" in [name for name, _ in first.timings]) == parallel
    for name in ("markup.bin", "search-terms.bin"):
        assert (project.root / ".townsite-cache" / name).stat().st_size > 100
    project.edit("templates/detail.html", '<div class="prose">', '<div class="prose" data-changed>')
    with monkeypatch.context() as patched:
        forbid_work(patched)
        project.build()  # every detail page is rendered again, from the cached work
    reused = tree_of(project.site)
    assert "data-changed" in reused["towns/mei-gui-xiao-zhen/index.html"].decode()
    shutil.rmtree(project.root / ".townsite-cache")
    project.build()
    assert reused == tree_of(project.site)


def test_an_edited_body_is_rendered_again_and_the_others_are_not(project, monkeypatch):
    project.build()
    rendered: list[str] = []
    original = MarkdownRenderer.render

    def counting(self, text):
        rendered.append(text)
        return original(self, text)

    monkeypatch.setattr(MarkdownRenderer, "render", counting)
    project.edit(BODY_FILE, "\n---\n", "\n---\n\n新增的一段话。\n")
    result = project.build()
    assert len(rendered) == 1 and "新增的一段话" in rendered[0]
    assert "新增的一段话" in (project.site / "towns/mei-gui-xiao-zhen/index.html").read_text()
    assert len(result.site.all_entries()) > 3


def test_another_base_path_or_other_markup_code_is_not_answered_from_the_cache(project, monkeypatch):
    project.build()
    rendered: list[str] = []
    original = MarkdownRenderer.render
    monkeypatch.setattr(MarkdownRenderer, "render", lambda self, text: rendered.append(text) or original(self, text))
    project.build(base_url="https://example.org/sub/")  # links in bodies are rebased
    assert rendered
    assert 'href="/sub/' in (project.site / "towns/mei-gui-xiao-zhen/index.html").read_text()
    rendered.clear()
    monkeypatch.setattr(markup, "_CODE", "changed")
    project.edit("templates/detail.html", '<div class="prose">', '<div class="prose" data-changed>')
    project.build(base_url="https://example.org/sub/")
    assert rendered  # the sanitizer's rules may have changed: nothing is trusted


def test_damaged_cache_files_only_cost_time(project, tree_of):
    project.build()
    expected = tree_of(project.site)
    for name in ("markup.bin", "search-terms.bin"):
        (project.root / ".townsite-cache" / name).write_bytes(b"\x00not marshal")
    project.write("content/pages/extra.md", "---\ntitle: 补充\nslug: extra\nsummary: 补充。\n---\n\n正文。\n")
    project.build()
    (project.root / "content/pages/extra.md").unlink()
    project.build()
    assert tree_of(project.site) == expected


def test_term_counts_made_by_other_analyzer_code_are_not_used(project, monkeypatch):
    project.build()
    monkeypatch.setattr(documents, "_CODE", "another analyzer")
    project.edit("templates/detail.html", '<div class="prose">', '<div class="prose" data-changed>')
    shutil.rmtree(project.root / ".townsite-cache" / "state")  # no record: the export is made again
    with pytest.raises(Forbidden):
        forbid_work(monkeypatch)
        project.build()
