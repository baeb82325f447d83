// A stand-in for a language model's server, speaking the OpenAI chat-completions API on a
// loopback port, for the browser tests: streamed answers arrive in pieces a quarter second
// apart, so a person (and the test) can watch them being written. Every request's
// Authorization header is kept.
import * as http from 'http';
import { AddressInfo } from 'net';

export const MODEL = 'double-1';
export const PIECES = ['Refunds are paid back ', 'within five days', ' [1]', ' of receiving your parcel.'];

export interface ModelDouble {
  baseUrl: string;
  authorizations: string[];
  close(): Promise<void>;
}

export async function startModelDouble(): Promise<ModelDouble> {
  const authorizations: string[] = [];
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', async () => {
      if (request.headers.authorization) authorizations.push(request.headers.authorization);
      const body = JSON.parse(text || '{}');
      if (!body.stream) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ model: MODEL, choices: [{ index: 0, message: { role: 'assistant', content: 'OK' } }] }));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const piece of PIECES) {
        await new Promise((done) => setTimeout(done, 250));
        response.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: piece } }] })}\n\n`);
      }
      response.write(`data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 100, completion_tokens: 12 } })}\n\n`);
      response.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    authorizations,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}
