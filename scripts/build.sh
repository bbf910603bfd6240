#!/usr/bin/env bash
# Set up (first run only) and build content/ into site/, failing on any broken internal link.
# Extra arguments go to `build.py build`.
args=("$@")
set --   # a sourced script sees the caller's arguments: setup.sh's own (the extras) are none here
source "$(dirname "$0")/setup.sh"
exec python build.py build --links "${args[@]}"
