// Writes FILE.br (brotli, quality 11) and FILE.gz (gzip -9) beside FILE, the siblings Baton's
// static file handler serves to browsers that accept them, and prints the three sizes.
// With BUDGET_BR=N it fails when the brotli file is larger than N bytes (the embed script's
// budget, checked on every build). Node's zlib, because Debian has no brotli CLI by default.
//
//   node scripts/precompress.mjs FILE
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const file = process.argv[2];
if (!file) {
  console.error('usage: node scripts/precompress.mjs FILE');
  process.exit(2);
}
const raw = readFileSync(file);
const br = brotliCompressSync(raw, {
  params: {
    [constants.BROTLI_PARAM_QUALITY]: 11,
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
  },
});
// Node's gzip header carries no file name or time, so the output is the same on every build.
const gz = gzipSync(raw, { level: 9 });
writeFileSync(file + '.br', br);
writeFileSync(file + '.gz', gz);
console.log(`${file}: ${raw.length} B raw, ${gz.length} B gzip -9, ${br.length} B brotli q11`);

const budget = Number(process.env.BUDGET_BR || 0);
if (budget && br.length > budget) {
  console.error(`${file}: ${br.length} B brotli is over the budget of ${budget} B`);
  process.exit(1);
}
