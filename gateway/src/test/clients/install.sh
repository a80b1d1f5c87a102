#!/usr/bin/env bash
# Installs the pinned official OpenAI SDKs (versions.env) for the client conformance tier, each
# once per version, outside the repository:
#   ${CROSSWIND_CACHE_DIR:-$HOME/.cache/crosswind}/clients/python-openai-<version>/  (a venv)
#   ${CROSSWIND_CACHE_DIR:-$HOME/.cache/crosswind}/clients/node-openai-<version>/    (node_modules)
# Prints the two directories, one per line. A second run is a no-op.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
source "$HERE/versions.env"
CACHE=${CROSSWIND_CACHE_DIR:-$HOME/.cache/crosswind}/clients
mkdir -p "$CACHE"

PY="$CACHE/python-openai-$OPENAI_PYTHON_VERSION"
if [[ ! -f "$PY/.installed" ]]; then
  rm -rf "$PY"
  python3 -m venv "$PY"
  "$PY/bin/pip" install --quiet --disable-pip-version-check "openai==$OPENAI_PYTHON_VERSION" >&2
  touch "$PY/.installed"
fi

NODE="$CACHE/node-openai-$OPENAI_NODE_VERSION"
if [[ ! -f "$NODE/.installed" ]]; then
  rm -rf "$NODE"
  mkdir -p "$NODE"
  (cd "$NODE" && npm install --silent --no-package-lock --no-audit --no-fund \
    "openai@$OPENAI_NODE_VERSION" >&2)
  touch "$NODE/.installed"
fi
echo "$PY"
echo "$NODE"
