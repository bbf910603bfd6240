# Sourced by build.sh and test.sh: a project-local virtualenv with townsite installed.
# Usage: source scripts/setup.sh [extras]   (extras: "test" adds the test tools)
# On a bare Debian machine with only python3 it installs python3-venv with apt-get (as root).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}

# apt_install PACKAGE...: Debian packages without recommends, apt's progress shown, `apt-get update`
# at most once per run; not root: say the command and fail.
apt_install() {
  if ! command -v apt-get >/dev/null; then
    echo "setup: missing $* (Debian's names); install the equivalent packages, then run this again" >&2
    return 1
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing $*; install them, then run this again:" >&2
    echo "  sudo apt-get install --no-install-recommends $*" >&2
    return 1
  fi
  if [ -z "${TOWNSITE_APT_UPDATED:-}" ]; then
    echo "setup: apt-get update"
    apt-get update
    TOWNSITE_APT_UPDATED=1
  fi
  echo "setup: apt-get install --no-install-recommends $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

# A .venv counts as made once a package install into it finished (it leaves a stamp, below) and its
# python still runs. Anything else is what an interrupted or failed setup left: made again.
venv_complete() {
  compgen -G ".venv/.installed-*" >/dev/null && .venv/bin/python -c "" 2>/dev/null
}

if ! venv_complete; then
  if [ -e .venv ]; then
    echo "setup: .venv is incomplete (an earlier setup stopped half-way); making it again"
    rm -rf .venv
  fi
  # Debian's python3 has no ensurepip without python3-venv, and `venv` then stops half-way.
  if ! "$PYTHON" -c "import ensurepip" 2>/dev/null; then
    echo "setup: $PYTHON cannot make a virtualenv with pip (ensurepip is missing)"
    apt_install python3-venv
  fi
  echo "setup: creating .venv with $($PYTHON --version)"
  if ! "$PYTHON" -m venv .venv; then
    rm -rf .venv
    echo "setup: \`$PYTHON -m venv .venv\` failed; on Debian install python3-venv" >&2
    exit 1
  fi
fi
spec="."
[ -n "${1:-}" ] && spec=".[$1]"
# Reinstall only when the declared dependencies changed, to keep repeated runs fast.
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)-${1:-base}"
if [ ! -f "$stamp" ] && [ -z "${1:-}" ] && compgen -G "${stamp%-base}-*" >/dev/null; then
  stamp=$(compgen -G "${stamp%-base}-*" | head -1)   # an install with extras has the base too
fi
if [ ! -f "$stamp" ]; then
  echo "setup: installing townsite and its dependencies ($spec)"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec"
  touch "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
