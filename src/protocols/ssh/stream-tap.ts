// A Duplex that stands for the attacker's socket in front of ssh2's Server and sees every raw byte
// both ways (HASSH reader, byte counts, idle timer, the relay's packet capture), with backpressure passed through.
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
      if (socket.destroyed || !socket.writable) return callback();
      socket.write(chunk, () => callback());
    },
    final(callback) {
      if (!socket.destroyed) socket.end();
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
  // Kept for the socket's whole life: an unhandled 'error' on a Duplex would throw.
  socket.on('error', () => undefined);
  socket.on('close', () => wrapper.destroy());
  return wrapper;
}
