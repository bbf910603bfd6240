"""`serve` in a subprocess on a free port: a saved edit shows over HTTP, an error shows in the
browser's page, and the next good save recovers; drafts are shown, marked."""

from __future__ import annotations

import os
import subprocess
import sys
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


@pytest.fixture
def server(project):
    port = free_port("127.0.0.1")
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--root", str(project.root), "--port", str(port),
         "--today", "2026-01-01"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: fetch(base + "/")[0] == 200)
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
