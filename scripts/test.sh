#!/usr/bin/env bash
# Runs every test: Rust unit and integration tests (the store suites on SQLite and on
# PostgreSQL), then the Playwright browser tests against a freshly built, freshly seeded server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

# PostgreSQL: the machine's server; each test makes and drops its own scratch database.
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "[test] starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

# A clean checkout builds once: incremental caches would only take disk.
if [ "${CI:-}" = true ]; then export CARGO_INCREMENTAL=0; fi

echo "[test] formatting and lints"
cargo fmt --all --check
# Same cfg as the builds below, so clippy's dependency checks are shared with them.
RUSTFLAGS="--cfg erase_components" cargo clippy --workspace --exclude hydrate --exclude widget --all-targets -- -D warnings
# The two WASM entries (the website's `hydrate`, the customer widget): lint them for their target.
RUSTFLAGS="--cfg erase_components" cargo clippy -p hydrate --target wasm32-unknown-unknown -- -D warnings
RUSTFLAGS="--cfg erase_components" cargo clippy -p widget --target wasm32-unknown-unknown -- -D warnings

echo "[test] building the app (server + wasm) and the customer widget"
# The embed script (fails above its 2 KB budget) goes into public/, which cargo-leptos copies
# into the site it builds; the widget's own WASM, as it ships, is built into that site after it
# (cargo-leptos empties the site when it builds). The browser tests drive both, and the size
# budget (end2end/tests/budget.spec.ts) weighs them.
bash scripts/build-embed.sh public
cargo leptos build --split
bash scripts/build-widget.sh --release
# `cargo test` relinks target/debug/server without what cargo-leptos gives it at compile time:
# the browser tests and the cluster run this copy of the build made for the site.
cp target/debug/server target/e2e-server

echo "[test] Rust unit and integration tests"
# Same cfg as cargo-leptos's debug build, so the build above is reused (see ARCHITECTURE.md).
RUSTFLAGS="--cfg erase_components" cargo test --workspace --exclude hydrate --exclude widget

echo "[test] browser tests (Playwright in Chromium)"
rm -rf target/e2e-data end2end/screenshots
# A short offer timeout lets the browser tests watch an offer run out (SPEC R-TIME-5); exported,
# so the cluster's nodes below get the same timers.
export BATON_DEMO=true BATON_LOG_LEVEL=warn BATON_OFFER_TIMEOUT=10s \
  BATON_INACTIVITY_WARNING=30s BATON_INACTIVITY_GRACE=15s
# The AI agent's model calls are logged at info, so the check after the run below reads them.
BATON_LOG_LEVEL=warn,backend::ai=info \
BATON_DATA_DIR=target/e2e-data LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_ADDR=127.0.0.1:3000 \
  target/e2e-server > target/e2e-server.log 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -sf http://127.0.0.1:3000/readyz > /dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { echo "[test] the server did not start" >&2; exit 1; }
  sleep 1
done
(cd end2end && npx playwright test) || { tail -50 target/e2e-server.log; exit 1; }
kill "$server_pid"
wait "$server_pid" || true
trap - EXIT
# The API key the browser test gave the AI agent (end2end/tests/ai-model.spec.ts) is in no log
# line, while the model's calls are (with their latency and tokens).
if grep -q 'sk-e2e-never-shown' target/e2e-server.log; then
  echo "[test] the server logged a model API key" >&2
  exit 1
fi
grep -q 'model answered' target/e2e-server.log || {
  echo "[test] the server logged no model call" >&2
  exit 1
}

echo "[test] browser tests through nginx against a three-node cluster (the routing spec)"
# The same debug build and site, as three PostgreSQL-backed nodes behind nginx on a fresh
# database (scripts/cluster.sh), so the widget and the dashboard land on different nodes.
export BATON_CLUSTER_DB=baton_cluster_e2e BATON_CLUSTER_PORT=8080 BATON_CLUSTER_DIR=target/cluster-e2e
export BATON_SERVER_BIN=target/e2e-server LEPTOS_SITE_ROOT=target/site
trap 'bash scripts/cluster.sh stop' EXIT
bash scripts/cluster.sh 3 --detach --fresh
(cd end2end && BATON_BASE_URL=http://127.0.0.1:8080 npx playwright test routing.spec.ts)
bash scripts/cluster.sh stop
trap - EXIT
echo "[test] all tests passed"
