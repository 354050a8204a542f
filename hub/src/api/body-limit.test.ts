import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newApiToken, tokenHash } from '../auth/index.ts';
import { openTestStore, type TestStore } from '../../test/stores.ts';
import { serveApi, type ServedApi } from '../../test/http.ts';
import { createApi } from './app.ts';

const MiB = 1024 * 1024;
let test: TestStore;
let served: ServedApi;
let adminToken: string;

beforeEach(async () => {
  test = await openTestStore();
  adminToken = newApiToken();
  await test.store.tokens.add({ role: 'admin', tokenHash: tokenHash(adminToken) }, new Date());
  served = await serveApi(createApi({ store: test.store }));
});
afterEach(async () => {
  await served.close();
  await test.dispose();
});

interface Answer {
  status: number;
  body: string;
  /** From the first byte sent to the response's status line. */
  ms: number;
  /** How much of the body the client had written by then. */
  sentBytes: number;
}

/**
 * POSTs `bytes` of JSON whitespace over a raw socket, 1 MiB at a time, and stops sending once
 * the hub answers. Raw, because an HTTP client drops an early answer when the hub then closes
 * the connection under its writes (EPIPE); an attacker's client reads it all the same.
 */
function post(path: string, bytes: number, options: { chunked?: boolean; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${served.port}`, 'content-type': 'application/json', connection: 'close', ...options.headers };
    if (options.chunked) headers['transfer-encoding'] = 'chunked';
    else headers['content-length'] = String(bytes);
    const socket = connect(served.port, '127.0.0.1');
    const chunk = Buffer.alloc(Math.min(MiB, bytes), ' ');
    const frame = (piece: Buffer) => (options.chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece);
    let sent = 0;
    let started = 0;
    let answeredAt: { ms: number; sentBytes: number } | undefined;
    const pump = () => {
      while (!answeredAt && !socket.destroyed && sent < bytes) {
        const piece = bytes - sent >= chunk.length ? chunk : chunk.subarray(0, bytes - sent);
        sent += piece.length;
        if (!socket.write(frame(piece))) return void socket.once('drain', pump);
      }
      if (!answeredAt && options.chunked && sent >= bytes) socket.write('0\r\n\r\n');
    };
    const received: Buffer[] = [];
    socket.on('data', (data) => {
      answeredAt ??= { ms: performance.now() - started, sentBytes: sent };
      received.push(data);
    });
    socket.on('error', () => undefined); // writes after the hub closed: the answer is what counts
    socket.on('close', () => {
      const text = Buffer.concat(received).toString('utf8');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!status || !answeredAt) return reject(new Error(`no answer: ${text.slice(0, 200)}`));
      let body = text.slice(text.indexOf('\r\n\r\n') + 4);
      // a chunked answer: the one chunk's payload
      if (/\r\ntransfer-encoding: chunked/i.test(text)) body = body.split('\r\n')[1];
      resolve({ status: Number(status[1]), body, ...answeredAt });
    });
    socket.on('connect', () => {
      started = performance.now();
      socket.write(`POST ${path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
      pump();
    });
  });
}

describe('body limits, before the body is read', () => {
  it('answers an unauthenticated 300 MiB sign-in with 413 at once, having read almost none of it', async () => {
    const rssBefore = process.memoryUsage().rss;
    for (const chunked of [false, true]) {
      const answer = await post('/api/v1/session', 300 * MiB, { chunked });
      expect(answer.status, `chunked: ${chunked}`).toBe(413);
      expect(JSON.parse(answer.body)).toEqual({ error: 'bad_request', reason: 'the request body is larger than 64 KiB, the limit for this route' });
      expect(answer.ms).toBeLessThan(2000);
      // Loopback socket buffers hold a few MiB; reading the body whole would mean all 300.
      expect(answer.sentBytes).toBeLessThan(64 * MiB);
    }
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * MiB);
  });

  it('lets a body under the limit through to the route, and gives imports a larger limit', async () => {
    const small = await post('/api/v1/session', 60 * 1024);
    expect(small.status).toBe(400); // whitespace is not a sign-in: the route's own answer
    expect(JSON.parse(small.body)).toMatchObject({ reason: 'the request body must be JSON' });

    const auth = { authorization: `Bearer ${adminToken}` };
    const tooBigForJsonRoute = await post('/api/v1/installations', 2 * MiB, { headers: auth });
    expect(tooBigForJsonRoute.status).toBe(413);
    const geojson = await post('/api/v1/imports/districts', 2 * MiB, { headers: auth });
    expect(geojson.status).toBe(400); // read and refused as not JSON, not as too large
    const huge = await post('/api/v1/imports/districts', 40 * MiB, { headers: auth, chunked: true });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body).reason).toBe('the request body is larger than 32 MiB, the limit for an import');
  });
});
