// Writes FILE.br (brotli, quality 11) and FILE.gz (gzip -9) beside each FILE given, and prints
// the three sizes. The server sends these as they are to browsers that accept them, so the
// strongest settings cost nothing per request.
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

for (const file of process.argv.slice(2)) {
  const raw = readFileSync(file);
  const br = brotliCompressSync(raw, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_LGWIN]: 24,
      [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
    },
  });
  const gz = gzipSync(raw, { level: 9 });
  writeFileSync(`${file}.br`, br);
  writeFileSync(`${file}.gz`, gz);
  console.log(`${file}: ${raw.length} B raw, ${gz.length} B gzip, ${br.length} B brotli`);
}
