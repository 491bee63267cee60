// A Duplex that stands for the attacker's socket in front of the SSH server library and sees every
// raw byte both ways (for the HASSH reader, byte counts and the packet capture) with backpressure.
import { Duplex } from 'node:stream';

export interface StreamTap {
  fromClient(bytes: Buffer): void;
  toClient(bytes: Buffer): void;
}

export function tapStream(socket: Duplex, tap: StreamTap): Duplex {
  const wrapper: Duplex = new Duplex({
    allowHalfOpen: false,
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      tap.toClient(chunk);
      if (socket.destroyed) return callback();
      socket.write(chunk, () => callback());
    },
    final(callback) {
      socket.end();
      callback();
    },
    destroy(error, callback) {
      socket.destroy();
      callback(error);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    tap.fromClient(chunk);
    if (!wrapper.push(chunk)) socket.pause();
  });
  socket.on('end', () => wrapper.push(null));
  socket.on('error', () => undefined);
  socket.on('close', () => wrapper.destroy());
  return wrapper;
}
