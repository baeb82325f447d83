#!/usr/bin/env bash
# Runs Baton on http://127.0.0.1:3000 with a demo site: installs missing tools, builds the
# release, creates/migrates the SQLite database under ./data, seeds it once, serves.
# Extra arguments go to the server (see `target/release/server --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

echo "[run] building the release (first time: several minutes)"
bash scripts/build-embed.sh public
cargo leptos build --release --split --precompress
bash scripts/build-widget.sh --release

export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=baton
export BATON_DEMO="${BATON_DEMO:-true}"
exec target/release/server "$@"
