// Measures a file as Baton serves it, outside the browser: the browser's own figures hide the
// bytes on the wire behind its decoding and its cache. Node's http module hands over the body
// exactly as it came, so the size of a br answer is the size a customer downloads.
import * as http from 'http';
import * as https from 'https';
import * as zlib from 'zlib';
import type { Measured } from './budget-table';

const TIMEOUT_MS = 15_000;

interface Answer {
  status: number;
  encoding: string;
  body: Buffer;
}

/** One GET with the given Accept-Encoding; the body is not decoded. */
function get(url: string, acceptEncoding: string): Promise<Answer> {
  const client = new URL(url).protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, {
      agent: false,
      timeout: TIMEOUT_MS,
      headers: { 'accept-encoding': acceptEncoding, accept: '*/*' },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({
        status: response.statusCode ?? 0,
        encoding: String(response.headers['content-encoding'] ?? 'identity'),
        body: Buffer.concat(chunks),
      }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${url} in ${TIMEOUT_MS} ms`)));
    request.on('error', reject);
  });
}

/** The body without its content encoding, in case the server compresses even for identity. */
function decoded(answer: Answer): Buffer {
  switch (answer.encoding) {
    case 'br': return zlib.brotliDecompressSync(answer.body);
    case 'gzip': return zlib.gunzipSync(answer.body);
    case 'deflate': return zlib.inflateSync(answer.body);
    default: return answer.body;
  }
}

export function brotliQ11(body: Buffer): number {
  return zlib.brotliCompressSync(body, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  }).length;
}

/** Fetches the file twice: as served to a br client, and plain to compress it ourselves. */
export async function measure(url: string): Promise<Measured> {
  const served = await get(url, 'br');
  const plain = decoded(await get(url, 'identity'));
  return {
    status: served.status,
    raw: plain.length,
    q11: brotliQ11(plain),
    served: served.body.length,
    encoding: served.encoding,
  };
}
