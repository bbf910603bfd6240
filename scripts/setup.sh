# Sourced by build.sh and test.sh: a project-local virtualenv with townsite installed.
# Usage: source scripts/setup.sh [extras]   (extras: "test" adds the test tools)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
spec="."
[ -n "${1:-}" ] && spec=".[$1]"
# Reinstall only when the declared dependencies changed, to keep repeated runs fast.
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${1:-base}"
if [ ! -f "$stamp" ]; then
  echo "setup: installing townsite and its dependencies ($spec)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec"
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
