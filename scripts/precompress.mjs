// Writes FILE.br (brotli, quality 11) and FILE.gz (gzip -9) beside each FILE given, the siblings
// Baton's static file handlers send as they are to browsers that accept them (so the strongest
// settings cost nothing per request), and prints the three sizes. With BUDGET_BR=N it fails
// when a brotli file is larger than N bytes (the embed script's budget, checked on every build).
// Node's zlib, because Debian has no brotli CLI by default.
//
//   node scripts/precompress.mjs FILE...
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node scripts/precompress.mjs FILE...');
  process.exit(2);
}
const budget = Number(process.env.BUDGET_BR || 0);
let over = false;
for (const file of files) {
  const raw = readFileSync(file);
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  // Node's gzip header carries no file name or time, so the output is the same on every build.
  const gz = gzipSync(raw, { level: 9 });
  writeFileSync(file + '.br', br);
  writeFileSync(file + '.gz', gz);
  console.log(`${file}: ${raw.length} B raw, ${gz.length} B gzip -9, ${br.length} B brotli q11`);
  if (budget && br.length > budget) {
    console.error(`${file}: ${br.length} B brotli is over the budget of ${budget} B`);
    over = true;
  }
}
process.exit(over ? 1 : 0);
