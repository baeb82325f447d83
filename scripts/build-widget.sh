#!/usr/bin/env bash
# Builds the customer widget (the `widget` crate, rendered on the client) into
# $LEPTOS_SITE_ROOT/chat/ (target/site/chat/): widget.js + widget_bg.wasm, each also brotli- and
# gzip-compressed for the server to send as they are, and `version`.
# Run it after `cargo leptos build`: cargo-leptos empties the site directory when it builds.
#
#   bash scripts/build-widget.sh            debug build (fast; for `cargo leptos watch`)
#   bash scripts/build-widget.sh --release  size-optimised build (what run.sh and CI serve)
#
# cargo-leptos builds one WASM per project (the website's); the widget is a second one, built
# here with the same tools it uses: cargo, wasm-bindgen, wasm-opt (see ARCHITECTURE.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

profile=dev
out_profile=debug
if [ "${1:-}" = "--release" ]; then
  profile=wasm-release
  out_profile=wasm-release
fi
dest="${LEPTOS_SITE_ROOT:-target/site}/chat"

# The same cfg as the website's WASM, so the two builds share their compiled dependencies.
RUSTFLAGS="--cfg erase_components" \
  cargo build -p widget --lib --target wasm32-unknown-unknown --profile "$profile"

rm -rf "$dest"
mkdir -p "$dest"
wasm-bindgen --target web --no-typescript --out-dir "$dest" --out-name widget \
  "target/wasm32-unknown-unknown/$out_profile/widget.wasm"
if [ "$profile" = wasm-release ]; then
  # Size first; binaryen from npm (Debian's breaks Leptos WASM, see TOOLCHAIN notes).
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types \
    -o "$dest/widget_bg.wasm" "$dest/widget_bg.wasm"
fi
node scripts/precompress.mjs "$dest/widget.js" "$dest/widget_bg.wasm"
# The build's version, from its contents: the widget's page names both files with it (`?v=`),
# so browsers keep them for a year and fetch a new build at once.
version=$(cat "$dest/widget.js" "$dest/widget_bg.wasm" | sha256sum | cut -c1-16)
echo "$version" > "$dest/version"
