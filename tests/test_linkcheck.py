"""The link check (townsite.linkcheck, `check --links`, `build --links`): every internal link,
anchor and image of the built pages, followed the way a browser would."""

from __future__ import annotations

from conftest import TODAY
from sitecheck import run_cli

from townsite.cli import main
from townsite.linkcheck import check_outputs

PAGE = '<!doctype html><html><head>{head}</head><body id="top-of-body">{body}</body></html>'


def site(**pages: str) -> dict[str, bytes]:
    """Outputs from keyword arguments: towns__x__index_html="..." is towns/x/index.html."""
    outputs = {"static/a.png": b"png", "sitemap.xml": b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'/>"}
    for name, body in pages.items():
        outputs[name.replace("__", "/").replace("_html", ".html")] = PAGE.format(head="", body=body).encode()
    return outputs


def broken(outputs: dict[str, bytes], base_url: str = "/") -> list[str]:
    return [str(problem) for problem in check_outputs(outputs, base_url)]


def test_links_that_work_are_not_reported():
    outputs = site(
        index_html='<a href="/towns/x/">x</a> <a href="towns/x/#%E6%A6%82%E5%86%B5">概况</a> <img src="/static/a.png">'
        '<a href="#top">top</a> <a href="#">here</a> <a href="#main">main</a> <main id="main"></main>'
        '<a href="https://other.example/">out</a> <a href="mailto:a@b.c">mail</a> <a href="/towns/x/?q=1#概况">q</a>'
        '<img srcset="/static/a.png 1x, static/a.png 2x"> <a href="/sitemap.xml">map</a>',
        towns__x__index_html='<h2 id="概况">概况</h2><a href="../../">home</a><a href="../../../../towns/x/">deep</a><a href="./#%E6%A6%82%E5%86%B5">self</a>'
        '<a name="legacy"></a><a href="#legacy">legacy</a><a href="/towns/x/index.html">file</a>',
    )
    assert broken(outputs) == []


def test_each_kind_of_broken_link_is_reported_with_its_page_and_reason():
    outputs = site(
        index_html='<a href="/towns/nope/">a</a> <a href="/towns/x/#无此节">b</a> <a href="/towns/x">c</a>'
        '<img src="/static/missing.png"> <a href="javascript:alert(1)">d</a> <a href="JavaScript:x">e</a>'
        '<img srcset="/static/a.png 1x, /static/gone.png 2x"> <a href="#nowhere">f</a>'
        '<a href="/towns/nope/">again</a>',
        towns__x__index_html='<h2 id="概况">概况</h2><a href="../y/">rel</a><a href="%E6%A6%82/">pct</a>',
    )
    assert broken(outputs) == [
        "index.html: 失效链接 /towns/nope/（没有这个页面或文件）",
        "index.html: 失效链接 /towns/x/#无此节（towns/x/index.html 上没有 id 为 `无此节` 的元素）",
        "index.html: 失效链接 /towns/x（没有这个页面，末尾要加 /）",
        "index.html: 失效链接 /static/missing.png（没有这个页面或文件）",
        "index.html: 失效链接 javascript:alert(1)（不允许使用 javascript: 网址）",
        "index.html: 失效链接 JavaScript:x（不允许使用 javascript: 网址）",
        "index.html: 失效链接 /static/gone.png（没有这个页面或文件）",
        "index.html: 失效链接 #nowhere（index.html 上没有 id 为 `nowhere` 的元素）",
        "towns/x/index.html: 失效链接 ../y/（没有这个页面或文件）",
        "towns/x/index.html: 失效链接 %E6%A6%82/（没有这个页面或文件）",
    ]


def test_absolute_links_to_the_site_itself_are_checked_under_its_base_path():
    outputs = {
        "index.html": (
            b'<link rel="canonical" href="https://example.org/showcase/">'
            b'<meta property="og:image" content="https://example.org/showcase/static/og.png">'
            b'<a href="/showcase/towns/">ok</a> <a href="/towns/">outside</a>'
            b'<a href="http://EXAMPLE.org/showcase/nope/">other scheme, same site</a>'
            b'<a href="https://example.org/elsewhere/">same host, outside the base path</a>'
            b'<a href="//example.org/showcase/towns/">protocol-relative</a>'
        ),
        "towns/index.html": b"<p>towns</p>",
        "sitemap.xml": b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        b"<url><loc>https://example.org/showcase/towns/</loc></url>"
        b"<url><loc>https://example.org/showcase/gone/</loc></url></urlset>",
        "feed.xml": b"<feed xmlns='http://www.w3.org/2005/Atom'><link rel='self' href='https://example.org/showcase/x.xml'/></feed>",
        "broken.xml": b"<a><b></a>",
    }
    assert broken(outputs, "https://example.org/showcase/") == [
        "broken.xml: 不是格式正确的 XML（mismatched tag: line 1, column 8）",
        "feed.xml: 失效链接 https://example.org/showcase/x.xml（没有这个页面或文件）",
        "index.html: 失效链接 https://example.org/showcase/static/og.png（没有这个页面或文件）",
        "index.html: 失效链接 /towns/（指向网站以外，网站位于 /showcase/ 之下）",
        "index.html: 失效链接 http://EXAMPLE.org/showcase/nope/（没有这个页面或文件）",
        "index.html: 失效链接 https://example.org/elsewhere/（指向网站以外，网站位于 /showcase/ 之下）",
        "sitemap.xml: 失效链接 https://example.org/showcase/gone/（没有这个页面或文件）",
    ]


def test_the_fixture_site_has_no_broken_link_at_the_root_or_under_a_subpath(project):
    """Including rose.md's `/towns/mei-gui-xiao-zhen/#概况`, a Chinese anchor, and the footnotes."""
    for base_url in (None, "https://example.org/showcase/"):
        result = project.build(write=False, check_links=True, base_url=base_url)
        assert "links" in [name for name, _ in result.timings]
    project.build(base_url="https://example.org/showcase/")  # the outputs are files, not kept in memory
    town = (project.site / "towns/mei-gui-xiao-zhen/index.html").read_text()
    assert 'href="/showcase/towns/mei-gui-xiao-zhen/#概况"' in town and '<h2 id="概况">' in town


def test_a_relative_link_or_a_lost_anchor_in_a_body_fails_check_links_only(project, capsys):
    """Site paths in bodies are checked (with their line) by every build; relative links and
    anchors only resolve in the built page, which `--links` reads."""
    project.edit(
        "content/towns/lake-town.md",
        "湖畔小镇的正文。",
        "见[园区](../../parks/peony-bas/)和[概况](/towns/mei-gui-xiao-zhen/#历史)。",
    )
    assert main(["check", "--root", str(project.root), "--today", TODAY.isoformat()]) == 0
    assert main(["check", "--links", "--root", str(project.root), "--today", TODAY.isoformat()]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "towns/lake-town/index.html: 失效链接 ../../parks/peony-bas/（没有这个页面或文件）",
        "towns/lake-town/index.html: 失效链接 /towns/mei-gui-xiao-zhen/#历史"
        "（towns/mei-gui-xiao-zhen/index.html 上没有 id 为 `历史` 的元素）",
        "错误：共发现 2 个问题。",
    ]
    assert not project.site.exists()  # check writes nothing, --links or not


def test_build_links_refuses_to_publish_a_broken_site_through_the_real_cli(project, tree_of):
    assert run_cli("build", "--links", "--root", str(project.root)).returncode == 0
    before = tree_of(project.site)
    project.edit("content/towns/lake-town.md", "湖畔小镇的正文。", "[坏](../nope/)")
    result = run_cli("build", "--links", "--root", str(project.root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "towns/lake-town/index.html: 失效链接 ../nope/（没有这个页面或文件）",
        "错误：共发现 1 个问题。site/ 未作改动。",
    ]
    assert tree_of(project.site) == before
    assert "--links" in run_cli("build", "--help").stdout and "--links" in run_cli("check", "--help").stdout
