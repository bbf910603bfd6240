"""Debian's nginx serving a built site with the sample configuration deploy/nginx.conf, under its
subpath, on 127.0.0.1: the configuration is the sample's with only the listen address and the root
folder replaced, wrapped in the few top-level lines a private nginx needs (pid, logs, temp folders
in a temp folder). Started in the foreground in its own process group; stop() ends the group."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

from .tools import REPO

NGINX = Path("/usr/sbin/nginx")
SAMPLE = REPO / "deploy" / "nginx.conf"
SUBPATH = "/showcase/"  # the subpath the sample serves the site under
# What the test replaces in the sample: each must occur exactly once.
LISTEN = ("listen 80;", "listen [::]:80;")
ROOT = "root /srv/townsite;"

WRAPPER = """{user}worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp}/access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
{sample}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def configuration(site: Path, tmp: Path, port: int, at_root: bool = False) -> str:
    """The sample, serving `site` at http://127.0.0.1:<port>/showcase/, or with `at_root` at
    http://127.0.0.1:<port>/ after the edits its header comment and docs/deploy.md prescribe."""
    sample = SAMPLE.read_text(encoding="utf-8")
    for fixed in (*LISTEN, ROOT):
        assert sample.count(fixed) == 1, f"deploy/nginx.conf should have `{fixed}` once"
    if at_root:
        sample, www = for_the_root(sample), site
    else:  # the folder named as the subpath, as docs/deploy.md has operators copy site/ into
        www = tmp / "www"
        www.mkdir()
        (www / SUBPATH.strip("/")).symlink_to(site, target_is_directory=True)
    sample = sample.replace(LISTEN[0], f"listen 127.0.0.1:{port};").replace(LISTEN[1], "")
    sample = sample.replace(ROOT, f"root {www};")
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the test's private temp folder
    return WRAPPER.format(user=user, tmp=tmp, sample=sample)


def for_the_root(sample: str) -> str:
    """The documented edits for a site at the root: /showcase/ → / in `location` and `error_page`,
    and no `location = /` redirect."""
    edits = {
        f"location {SUBPATH} {{": "location / {",
        f"error_page 404 {SUBPATH}404.html;": "error_page 404 /404.html;",
    }
    for old, new in edits.items():
        assert sample.count(old) == 1, f"deploy/nginx.conf should have `{old}` once"
        sample = sample.replace(old, new)
    redirect = re.search(r"\n *location = / \{[^}]*\}\n", sample)
    assert redirect, "deploy/nginx.conf should redirect `/` to the subpath in a `location = /` block"
    return sample.replace(redirect.group(0), "\n")


class Nginx:
    """`with Nginx(site, tmp, port) as server: server.url("/towns/")` → http://127.0.0.1:port/showcase/towns/
    (with `at_root`: http://127.0.0.1:port/towns/)."""

    def __init__(self, site: Path, tmp: Path, port: int, at_root: bool = False):
        self.tmp, self.port, self.prefix = tmp, port, "" if at_root else SUBPATH.rstrip("/")
        self.conf = tmp / "nginx.conf"
        self.conf.write_text(configuration(site, tmp, port, at_root), encoding="utf-8")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.prefix}"

    def url(self, path: str = "/") -> str:
        return self.base + "/" + path.lstrip("/")

    def command(self, *extra: str) -> list[str]:
        return [str(NGINX), "-e", str(self.tmp / "error.log"), "-p", str(self.tmp), "-c", str(self.conf), *extra]

    def start(self) -> Nginx:
        checked = subprocess.run(self.command("-t", "-q"), capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, f"nginx -t rejects the configuration:\n{checked.stderr}"
        self.process = subprocess.Popen(
            self.command("-g", "daemon off;"), stdin=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"nginx exited: {(self.tmp / 'error.log').read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise AssertionError("nginx did not start listening within 15 s")

    def stop(self) -> None:
        """Fast shutdown of the master, which ends its workers; whatever is left of the group is killed."""
        if self.process is None:
            return
        group = self.process.pid
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(group, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            os.killpg(group, signal.SIGKILL)
        self.process = None

    def __enter__(self) -> Nginx:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()
