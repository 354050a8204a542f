/**
 * The connection aedes sees: the client's socket with a PacketSizeMeter in front of its reads.
 * Bytes reach the broker only after the meter has seen them, so a packet over the limit ends
 * the connection when its header arrives, with the socket's few kilobytes read so far and no
 * more. Writes, ends and destroys go straight to the socket; backpressure passes through.
 */
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { PacketSizeMeter } from './packet-size.ts';

export class PacketSizeGuard extends Duplex {
  constructor(
    private readonly socket: Socket,
    maxBytes: number,
  ) {
    super({ allowHalfOpen: false });
    const meter = new PacketSizeMeter(maxBytes);
    socket.on('data', (chunk: Buffer) => {
      const refused = meter.feed(chunk);
      // aedes hears it as a connection error: it logs it and forgets the client.
      if (refused) return void this.destroy(new Error(`${refused}; connection closed`));
      if (!this.push(chunk)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (error) => this.destroy(error));
    socket.on('close', () => this.destroy());
  }

  override _read(): void {
    this.socket.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.socket.write(chunk, encoding, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.socket.end(callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.socket.destroy();
    callback(error);
  }
}
