#!/usr/bin/env bash
# Builds the embed script a customer's website loads (/embed.js) from its readable source
# embed/embed.js: minified with esbuild (an npm devDependency, installed by scripts/setup.sh),
# with embed.js.br and embed.js.gz beside it, which the static file handler serves to browsers
# that accept them. Fails when the brotli file is over the budget of 2 KB.
#
#   bash scripts/build-embed.sh [DIR]
#
# DIR defaults to $LEPTOS_SITE_ROOT, else target/site; a relative DIR is taken from the
# repository root, as the server takes LEPTOS_SITE_ROOT.
# Every `cargo leptos` build, serve, watch and end-to-end empties the site directory and copies
# public/ into it, so a file written into the site lasts only until the next one. The build
# scripts therefore run `bash scripts/build-embed.sh public` (ignored by git) before
# cargo-leptos, which copies the three files into every site it makes (a release build with
# --precompress writes its own .br and .gz over them, also brotli quality 11).
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-${LEPTOS_SITE_ROOT:-target/site}}
esbuild=node_modules/.bin/esbuild
if [ ! -x "$esbuild" ]; then
  echo "[embed] $esbuild is missing: run 'npm ci' (scripts/setup.sh does)" >&2
  exit 1
fi

mkdir -p "$out"
# es2017: a browser that runs the widget's WebAssembly runs ES2017, and the source uses nothing
# newer. No comments kept: the usage notes live in the source, not in every visitor's download.
"$esbuild" embed/embed.js --minify --target=es2017 --legal-comments=none --log-level=warning \
  --outfile="$out/embed.js"
BUDGET_BR=2048 node scripts/precompress.mjs "$out/embed.js" | sed 's/^/[embed] /'
