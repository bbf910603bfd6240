"""The publishing files (docs/deploy.md): the GitHub workflow passes actionlint, the GitLab file
parses with its `pages` job, both build with the README's build command (`--links`) and publish
site/, and Debian's nginx accepts deploy/nginx.conf. tests/e2e/test_nginx.py serves the site with it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml
from conftest import REPO, Project
from e2e.nginx import NGINX, Nginx, configuration, free_port
from test_readme_commands import SETUP, shown_commands, words

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
GITLAB = REPO / ".gitlab-ci.yml"


def actionlint() -> str:
    """The actionlint the test extra installs (beside this Python), else one on PATH."""
    beside = Path(sys.executable).parent / "actionlint"
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    assert found, "actionlint is missing: pip install -e '.[test]' (scripts/test.sh does it)"
    return found


def lint(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [actionlint(), "-no-color", *map(str, files)], cwd=REPO, capture_output=True, text=True, timeout=60
    )


def test_the_readme_build_command_is_what_publishing_runs() -> None:
    assert words(shown_commands()[0].text) == SETUP  # scripts/build.sh runs `build.py build --links`
    assert "build --links" in (REPO / "scripts" / "build.sh").read_text()


def test_workflows_pass_actionlint() -> None:
    assert [w.name for w in WORKFLOWS] == ["publish.yml"]
    done = lint(*WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_finds_a_mistake(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    text = WORKFLOWS[0].read_text().replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    timeout: 5", 1)
    broken.write_text(text.replace("steps.pages.outputs.base_url", "steps.nothing.outputs.base_url"))
    done = lint(broken)
    assert done.returncode == 1 and "timeout" in done.stdout and "nothing" in done.stdout, done.stdout


def test_github_workflow_builds_with_links_and_publishes_site() -> None:
    workflow = yaml.safe_load(WORKFLOWS[0].read_text())
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["build"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert any(r.startswith(SETUP + " --base-url ") for r in runs), runs
    uploads = [s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert uploads and uploads[0]["with"]["path"] == "site"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_gitlab_pages_job_builds_with_links_and_publishes_site() -> None:
    config = yaml.safe_load(GITLAB.read_text())
    job = config["pages"]
    assert job["script"][0] == f'{SETUP} --base-url "$CI_PAGES_URL"'
    assert job["script"][-1].split("#")[0].strip() == "mv site public"  # GitLab Pages serves public/
    assert job["artifacts"]["paths"] == ["public"]
    assert job["image"].startswith("python:3.1")


def test_nginx_accepts_the_sample_configuration(tmp_path: Path) -> None:
    if not NGINX.is_file():
        pytest.skip("Debian's nginx is missing: apt-get install nginx (scripts/test.sh does it)")
    site = tmp_path / "site"
    site.mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(configuration(site, tmp_path, free_port()))
    done = subprocess.run(
        [str(NGINX), "-e", str(tmp_path / "error.log"), "-p", str(tmp_path), "-c", str(conf), "-t"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def status_and_type(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_nginx_serves_a_site_at_the_root_as_documented(project: Project, tmp_path: Path) -> None:
    """The sample with the edits docs/deploy.md gives for a site at the root (no subpath)."""
    if not NGINX.is_file():
        pytest.skip("Debian's nginx is missing: apt-get install nginx (scripts/test.sh does it)")
    port = free_port()
    project.build(base_url=f"http://127.0.0.1:{port}/")
    site = project.site
    (tmp_path / "nginx").mkdir()
    with Nginx(site, tmp_path / "nginx", port, at_root=True) as server:
        assert server.url("/") == f"http://127.0.0.1:{port}/"
        status, kind, body = status_and_type(server.url("/"))
        assert status == 200 and kind == "text/html; charset=utf-8" and body == (site / "index.html").read_bytes()
        status, kind, _ = status_and_type(server.url("/events.ics"))
        assert status == 200 and kind == "text/calendar; charset=utf-8"
        status, _, body = status_and_type(server.url("/no/such/page/"))
        assert status == 404 and body == (site / "404.html").read_bytes()
