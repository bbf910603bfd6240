#!/usr/bin/env bash
# Set up (first run only) and build content/ into site/. Extra arguments go to `build.py build`.
source "$(dirname "$0")/setup.sh"
exec python build.py build "$@"
