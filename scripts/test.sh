#!/usr/bin/env bash
# Set up everything the tests need (Python packages, Debian's Chromium and a CJK font, npm
# packages) and run every test: lint, the Python suite (unit, golden, browser) and the JS tests.
source "$(dirname "$0")/setup.sh" test

if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "wenquanyi zen hei"; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing chromium and fonts-wqy-zenhei with apt-get"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
  else
    echo "setup: chromium or fonts-wqy-zenhei missing; install them: sudo apt-get install chromium fonts-wqy-zenhei" >&2
  fi
fi
if [ -f package.json ] && [ ! -d node_modules ] && command -v npm >/dev/null; then
  echo "setup: npm ci"
  npm ci --silent --no-audit --no-fund
fi

echo "== ruff"
ruff check .
if [ -d tests/js ] && command -v node >/dev/null; then
  echo "== node --test"
  node --test tests/js/
fi
echo "== pytest"
python -m pytest "$@"
