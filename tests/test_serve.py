"""`serve` in a subprocess on a free port: a saved edit shows over HTTP, an error shows in the
browser's page, and the next good save recovers; drafts are shown, marked; it previews into its
own folder, never site/; storms of saves and values that crash a stage do not stop it; SIGTERM
leaves no process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from conftest import REPO

from townsite.serve import free_port


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = predicate()
            if result:
                return result
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


def start_serve(project, log):
    port = free_port("127.0.0.1")
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--root", str(project.root), "--port", str(port),
         "--today", "2026-01-01"],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: fetch(base + "/")[0] == 200)
    return process, base


def group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def server(project, tmp_path):
    with (tmp_path / "serve.log").open("w") as log:
        process, base = start_serve(project, log)
    try:
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_an_edit_is_rebuilt_and_served(project, server):
    status, page = fetch(server + "/towns/lake-town/")
    assert status == 200 and "湖畔小镇的正文。" in page
    assert "livereload.js" in page  # the reload script is injected
    project.edit("content/towns/lake-town.md", "湖畔小镇的正文。", "保存后立刻可见的新正文。")
    wait_for(lambda: "保存后立刻可见的新正文。" in fetch(server + "/towns/lake-town/")[1])


def test_drafts_are_shown_marked(project, server):
    status, page = fetch(server + "/towns/hidden/")
    assert status == 200 and "草稿" in page


def test_errors_show_in_the_browser_and_the_next_good_save_recovers(project, server):
    project.edit("content/towns/lake-town.md", "status: 已开园", "status: 不存在")
    _, page = wait_for(lambda: (r := fetch(server + "/towns/lake-town/"))[0] == 500 and r)
    assert "content/towns/lake-town.md:7: status: 未知的值 `不存在`（应为以下之一：" in page
    assert "livereload.js" in page  # so the fix reloads it by itself
    project.edit("content/towns/lake-town.md", "status: 不存在", "status: 运营中")
    wait_for(lambda: (r := fetch(server + "/towns/lake-town/"))[0] == 200 and "运营中" in r[1])


def test_missing_pages_get_the_404_page(project, server):
    status, page = fetch(server + "/no/such/page/")
    assert status == 404 and "页面未找到" in page


def test_serve_previews_into_its_own_folder_never_site(project, server):
    project.build()  # a production build beside the running preview
    production = (project.site / "towns/lake-town/index.html").read_text()
    project.edit("content/towns/lake-town.md", "湖畔小镇的正文。", "只在预览中的正文。")
    wait_for(lambda: "只在预览中的正文。" in fetch(server + "/towns/lake-town/")[1])
    assert (project.site / "towns/lake-town/index.html").read_text() == production
    assert "127.0.0.1" not in production
    assert (project.root / ".townsite-cache/preview/towns/lake-town/index.html").is_file()


CRASHERS = [
    ("content/towns/odd-title.md", '---\nname: "\\ud800"\nsummary: 孤立代理。\nprovince: 宁夏\nindustries: [a]\nstatus: 建设中\n---\n'),
    ("content/events/far-future.md", "---\ntitle: 远期活动\nsummary: 很远。\ndate: 9999-12-31\nevent_type: 论坛\n---\n"),
    ("content/towns/big-number.md", "---\nname: 大数小镇\nsummary: 大数。\nprovince: 宁夏\nindustries: [a]\nstatus: 建设中\n"
     "area: " + "9" * 5000 + " 亩\n---\n"),
    ("content/towns/binary.md", b"\xff\xfe\x00\x00garbage"),
]


def test_storms_of_saves_and_crashing_values_never_stop_it(project, server):
    """Files created and deleted faster than a rebuild reads them, and values that may crash a
    later stage: whatever happens is shown, and the next good save is still served."""
    towns = project.root / "content/towns"
    for n in range(60):
        path = towns / f"storm-{n % 7}.md"
        if n % 3 == 2:
            path.unlink(missing_ok=True)
        else:
            path.write_text(f"---\nname: 风暴{n}\nsummary: 风暴。\nprovince: 宁夏\nindustries: [a]\nstatus: 建设中\n---\n")
        time.sleep(0.003)
    for rel, text in CRASHERS:
        project.write(rel, text)
        time.sleep(0.3)
    for rel, _ in CRASHERS:
        (project.root / rel).unlink()
    for path in towns.glob("storm-*.md"):
        path.unlink()
    project.edit("content/towns/lake-town.md", "湖畔小镇的正文。", "风暴之后的新正文。")
    wait_for(lambda: (r := fetch(server + "/towns/lake-town/"))[0] == 200 and "风暴之后的新正文。" in r[1], timeout=60)
    assert fetch(server + "/towns/storm-1/")[0] == 404


def test_any_failure_of_a_rebuild_is_shown_and_the_next_save_recovers(project, monkeypatch, capsys):
    from townsite.engine import Engine
    from townsite.serve import Preview, preview_options

    preview = Preview(preview_options(project.options(), "127.0.0.1", 8000))
    assert preview.build()
    original = Engine.run

    def crash(self, changed=()):
        raise RuntimeError("a stage fell over")

    monkeypatch.setattr(Engine, "run", crash)
    assert not preview.build()
    assert "a stage fell over" in preview._error_page().decode()
    assert "a stage fell over" in capsys.readouterr().out
    monkeypatch.setattr(Engine, "run", original)
    assert preview.build() and not preview.problems


def test_sigterm_leaves_no_process(project, tmp_path):
    with (tmp_path / "serve.log").open("w") as log:
        process, base = start_serve(project, log)
    project.edit("content/towns/lake-town.md", "湖畔小镇的正文。", "新正文。")  # the search worker has work
    wait_for(lambda: "新正文。" in fetch(base + "/towns/lake-town/")[1])
    process.send_signal(signal.SIGTERM)  # to serve alone, not its group: its helpers must follow
    assert process.wait(timeout=15) == 0
    deadline = time.monotonic() + 10
    while group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = group_alive(process.pid)
    if alive:
        os.killpg(process.pid, signal.SIGKILL)
    assert not alive, "a process of serve outlived it"
    output = (tmp_path / "serve.log").read_text()
    assert output.splitlines()[0].startswith(("open http://127.0.0.1:", "在浏览器中打开")) or "http://127.0.0.1:" in output.splitlines()[0]
    assert "Traceback" not in output
    assert len([line for line in output.splitlines() if "rebuilt" in line or "重新构建" in line]) >= 1


def test_serve_refuses_the_production_folder(project, capsys):
    from townsite.serve import serve

    assert serve(project.options(out_dir=project.root / "site")) == 2
    assert "site/" in capsys.readouterr().err
    assert not project.site.exists()


def test_serve_waits_its_turn_for_the_index_that_build_shares(project, monkeypatch, capsys):
    """The Whoosh index of record is `build`'s too: while a build holds the project's lock, serve
    neither writes it nor dies; it says so, and the next save after the build catches up."""
    from townsite.lock import build_lock
    from townsite.serve import Preview, preview_options

    monkeypatch.setenv("TOWNSITE_LOCK_WAIT", "0.2")
    options = preview_options(project.options(), "127.0.0.1", 8000)
    preview = Preview(options)
    with build_lock(options.cache_dir):  # a `build` of the same project, running
        assert not preview.build()
        assert "另一次构建" in preview._error_page().decode()
        assert not (options.cache_dir / "search-index").exists()
    assert preview.build() and not preview.problems
    assert preview.update_search() and not preview.problems
    with build_lock(options.cache_dir):
        assert preview.update_search()
        assert "另一次构建" in capsys.readouterr().out
    assert preview.update_search() and not preview.problems


def test_the_first_build_may_use_the_workers(project, monkeypatch):
    """serve's first build is `build`'s: forked workers need a process with no other thread at
    the fork, so nothing serve starts (the search process's executor, the watcher) may run yet.
    Threads this pytest process already runs (Playwright's, from a browser test before this one
    in the same worker) are not serve's: only the threads serve adds are counted."""
    from townsite import serve as serve_module

    already = set(threading.enumerate())
    seen: list[list[str]] = []
    build = serve_module.Preview.build

    def first_build(self, changed=()):
        seen.append(sorted(t.name for t in threading.enumerate() if t not in already))
        return build(self, changed)

    def stop_at_once(self, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(serve_module.Preview, "build", first_build)
    monkeypatch.setattr(serve_module._ListeningServer, "serve", stop_at_once)
    assert serve_module.serve(project.options()) == 0
    assert seen == [[]]  # serve started no thread before its first build
