#!/usr/bin/env bash
# Set up everything the tests need (Python packages; Debian's Chromium, a CJK font, a Java
# runtime, Node.js and nginx; the npm packages axe-core, vnu-jar and lighthouse) and run every test:
# lint, the JS tests and the Python suite (unit, golden, and the browser suite in tests/e2e).
source "$(dirname "$0")/setup.sh" test

# Debian packages, installed with apt-get when missing (as root; otherwise say what to install).
missing=()
command -v chromium >/dev/null || missing+=(chromium)
fc-list 2>/dev/null | grep -i "wenquanyi zen hei" >/dev/null || missing+=(fonts-wqy-zenhei)
java -version >/dev/null 2>&1 || missing+=(default-jre-headless)   # the Nu HTML checker (vnu.jar)
command -v npm >/dev/null || missing+=(nodejs npm)
[ -x /usr/bin/time ] || missing+=(time)   # GNU time: bench/compare.py measures peak memory with it
[ -x /usr/sbin/nginx ] || missing+=(nginx)   # tests/e2e runs against nginx with deploy/nginx.conf
if [ ${#missing[@]} -gt 0 ]; then
  apt_install "${missing[@]}" || [ "$(id -u)" != 0 ]   # not root: it said what to install
fi

# npm packages, reinstalled exactly from package-lock.json whenever it changes. Install scripts are
# skipped: vnu-jar's would download a Java runtime, and Debian's is used instead.
if [ -f package-lock.json ] && command -v npm >/dev/null; then
  npm_stamp="node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)"
  if [ ! -f "$npm_stamp" ]; then
    echo "setup: npm ci"
    npm ci --ignore-scripts --silent --no-audit --no-fund
    touch "$npm_stamp"
  fi
fi

# In this script a missing browser, Java or npm package fails the browser suite instead of
# skipping it (tests/e2e/tools.py).
export TOWNSITE_E2E_STRICT=1
# Bytecode caches (__pycache__/, git-ignored) even where the environment turns them off: the suite
# starts dozens of interpreters that import townsite (each compiled it again, 0.2 s) and two
# workers that collect every test module (3.5 s each without them).
unset PYTHONDONTWRITEBYTECODE

echo "== ruff"
ruff check .
echo "== mypy"
mypy townsite
if [ -d tests/js ] && command -v node >/dev/null; then
  echo "== node --test"
  node --test tests/js/
fi
echo "== pytest"
# On every core, a test file at a time (its module fixtures are made once); the tests of the real
# content together (tests/conftest.py, pytest_xdist_make_scheduler).
python -m pytest -n auto --dist loadfile "$@"
echo "== the real content: every problem and every internal link"
python build.py check --links
