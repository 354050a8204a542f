/**
 * `--ca FILE`: the certificates an mqtts:// broker may present besides the system's trusted
 * ones (a municipal CA, or the hub's self-signed certificate). Read once when publishing starts;
 * a missing or non-PEM file stops the start with a message naming it.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { PublisherTls } from './publisher.ts';

export function brokerTls(caFile: string | undefined): PublisherTls | undefined {
  if (caFile === undefined) return undefined;
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (error) {
    throw new Error(`--ca ${caFile}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`--ca ${caFile}: no PEM certificate in it (expected a "-----BEGIN CERTIFICATE-----" block)`);
  // Node's `ca` replaces the system's roots; keep them, so a public broker certificate still passes.
  return { ca: [pem, ...rootCertificates].join('\n') };
}
