"""Whole builds: deterministic bytes, atomic replacement, base URLs with a subpath."""

from __future__ import annotations

from conftest import force_parallel
from sitecheck import broken_links, json_ld, run_cli, scan


def test_two_builds_give_identical_trees(project, tree_of):
    # Separate processes with different hash seeds: no set or dict ordering may leak out.
    first = run_cli("build", "--root", str(project.root), "--out", str(project.root / "a"),
                    env={"PYTHONHASHSEED": "1", "SOURCE_DATE_EPOCH": "1767225600"})  # fmt: skip
    second = run_cli("build", "--root", str(project.root), "--out", str(project.root / "b"),
                     env={"PYTHONHASHSEED": "2", "SOURCE_DATE_EPOCH": "1767225600"})  # fmt: skip
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    a, b = tree_of(project.root / "a"), tree_of(project.root / "b")
    assert len(a) > 20
    assert a == b


def test_a_failed_build_leaves_the_previous_site_exactly_as_it_was(project, tree_of):
    project.build()
    before = tree_of(project.site)
    stamps = {p: p.stat().st_mtime_ns for p in project.site.rglob("*")}
    project.edit("content/towns/lake-town.md", "status: 已开园", "status: 不存在的状态")
    result = run_cli("build", "--root", str(project.root))
    assert result.returncode == 1
    assert "content/towns/lake-town.md:7: status: 未知的值 `不存在的状态`" in result.stderr
    assert result.stderr.endswith("错误：共发现 1 个问题。site/ 未作改动。\n")
    assert tree_of(project.site) == before
    assert {p: p.stat().st_mtime_ns for p in project.site.rglob("*")} == stamps
    assert sorted(p.name for p in project.root.iterdir()) == [
        ".townsite-cache",
        "content",
        "site",
        "static",
        "templates",
    ]


def test_a_template_error_also_keeps_the_old_site(project, tree_of):
    project.build()
    before = tree_of(project.site)
    project.edit("templates/town.html", "{% block related %}", "{% block related %}{{ entry.nope.deeper }}")
    result = run_cli("build", "--root", str(project.root))
    assert result.returncode == 1
    assert "templates/town.html" in result.stderr and "Traceback" not in result.stderr
    assert tree_of(project.site) == before


def test_every_internal_link_resolves_under_a_subpath(project):
    project.build(base_url="https://example.org/showcase/")
    assert broken_links(project.site, "/showcase/") == []
    home = scan(project.site / "index.html")
    assert all(not link.startswith("/") or link.startswith("/showcase/") for link in home.links)
    town = (project.site / "towns/mei-gui-xiao-zhen/index.html").read_text()
    assert '<link rel="canonical" href="https://example.org/showcase/towns/mei-gui-xiao-zhen/">' in town
    assert 'href="/showcase/parks/peony-base/"' in town  # a link written in the Markdown body
    sitemap = (project.site / "sitemap.xml").read_text()
    assert "<loc>https://example.org/showcase/towns/mei-gui-xiao-zhen/</loc>" in sitemap
    assert "Sitemap: https://example.org/showcase/sitemap.xml" in (project.site / "robots.txt").read_text()


def test_every_internal_link_resolves_at_the_root(project):
    project.build()
    assert broken_links(project.site, "/") == []


def test_broken_link_checker_notices_a_missing_page(project):
    project.build()
    (project.site / "parks/peony-base/index.html").unlink()
    assert any("parks/peony-base/" in b for b in broken_links(project.site, "/"))


def test_hostile_title_cannot_close_json_ld_or_attributes(project):
    evil = '</script><script>alert(1)</script>" onmouseover="alert(2)'
    project.edit("content/towns/lake-town.md", "name: 湖畔小镇", f"name: '{evil}'")
    project.build()
    html = (project.site / "towns/lake-town/index.html").read_text()
    assert "<script>alert(1)" not in html
    assert '" onmouseover="' not in html
    assert html.count("</script>") == html.count('<script type="application/ld+json">')
    (place,) = json_ld(project.site / "towns/lake-town/index.html")
    assert place["name"] == evil  # escaped, yet reads back exactly


def test_structured_data_per_kind(project):
    project.build()
    (place,) = json_ld(project.site / "towns/mei-gui-xiao-zhen/index.html")
    assert place["@type"] == "Place" and place["geo"]["latitude"] == 35.96
    assert place["address"]["addressRegion"] == "宁夏"
    (event,) = json_ld(project.site / "events/forum/index.html")
    assert event["@type"] == "Event"
    assert (event["startDate"], event["endDate"]) == ("2016-07-28", "2016-07-29")
    assert event["location"]["address"]["addressLocality"] == "宜宾市"
    website, org = json_ld(project.site / "index.html")
    assert website["@type"] == "WebSite" and org["@type"] == "Organization"
    (alliance,) = json_ld(project.site / "alliance/index.html")
    assert alliance["@type"] == "Organization" and alliance["url"] == "https://example.org/alliance/"


def test_cli_reports_problems_without_traceback_and_exit_1(project):
    project.write("content/towns/bad.md", "---\nname: x\nprovnce: 宁夏\n---\n")
    result = run_cli("check", "--root", str(project.root))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/towns/bad.md:3: 未知字段 `provnce`（是不是 `province`？）" in result.stderr
    assert not project.site.exists()  # check never writes


def test_cli_check_passes_and_help_documents_each_command(project):
    result = run_cli("check", "--root", str(project.root))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("检查通过：")
    for command in ("build", "check"):
        assert "--root" in run_cli(command, "--help").stdout
    default = run_cli("--root", str(project.root), "--timings")
    assert default.returncode == 0, default.stderr
    assert "render" in default.stdout and (project.root / "site/index.html").is_file()


def test_bad_cli_arguments_are_reported_plainly(project):
    result = run_cli("build", "--today", "2016-13-01")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "错误：参数 --today：`2016-13-01` 不是日期（应写成 YYYY-MM-DD）" in result.stderr


def test_a_parallel_build_gives_the_same_bytes_as_a_serial_one(project, tree_of, monkeypatch):
    serial = project.build(out_dir=project.root / "serial")
    force_parallel(monkeypatch)
    parallel = project.build(out_dir=project.root / "parallel")
    assert any(name == "render ‖ index" for name, _ in parallel.timings)
    assert not any(name == "render ‖ index" for name, _ in serial.timings)
    assert tree_of(project.root / "parallel") == tree_of(project.root / "serial")


def test_a_build_with_other_threads_running_stays_in_one_process(project, monkeypatch):
    """Forking while another thread may hold a lock is unsafe: the build then renders serially."""
    import threading

    monkeypatch.setattr("townsite.pipeline.PARALLEL_FROM", 0)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        result = project.build()
    finally:
        stop.set()
        thread.join()
    names = [name for name, _ in result.timings]
    assert "render" in names and "render ‖ index" not in names
