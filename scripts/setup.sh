#!/usr/bin/env bash
# Installs the tools Baton's build and tests need, skipping what is already there.
# Safe to run again and again. See ARCHITECTURE.md "Toolchain" for why each pin exists.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.11
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# The test command lints with clippy and checks formatting with rustfmt.
for component in clippy rustfmt; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 12 minutes)"
  # --locked alone fails: the lock file's dependencies want a newer rustc.
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --ignore-rust-version
fi

# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly.
if [ -f Cargo.lock ]; then
  WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
  if [ -n "$WB_VERSION" ] && ! wasm-bindgen --version 2>/dev/null | grep -q "$WB_VERSION"; then
    say "installing wasm-bindgen-cli $WB_VERSION"
    cargo install wasm-bindgen-cli --version "$WB_VERSION"
  fi
fi

if [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's chromium"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# nginx: the load balancer of scripts/cluster.sh (several nodes on one PostgreSQL database).
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  say "installing Debian's nginx"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi

# npm packages: Playwright (test runner only, never its browser download), binaryen's
# wasm-opt (Debian's binaryen 108 breaks hydration), an OpenAPI 3.1 validator for the
# REST API's document, and axe for the accessibility checks.
if [ ! -x node_modules/.bin/playwright ] || [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/esbuild ] \
  || [ ! -d node_modules/@seriousme/openapi-schema-validator ] || [ ! -d node_modules/@axe-core/playwright ]; then
  say "installing npm packages"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

say "tools ready"
