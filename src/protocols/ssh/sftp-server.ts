// Serves the `sftp` subsystem of an emulated SSH session: ssh2's server-mode SFTP stream bound to
// the SFTP handler over the session's persona filesystem. Uploads are captured on CLOSE.
import type { Attributes, FileEntry, SFTPWrapper } from 'ssh2';
import { guardSftpFraming } from './sftp-framing-guard.ts';
import { createSftpHandler, FX, status, type SetAttrs, type SftpReply, type SftpRequest } from './sftp-handler.ts';
import type { TransferOptions } from './transfer-fs.ts';

/**
 * Answers SFTP requests on `sftp` (what `accept()` of the session's 'sftp' event returns) until the
 * client's EOF, then closes the channel; resolves after files left open have been committed and
 * captured. Never rejects.
 */
export function serveSftp(sftp: SFTPWrapper, options: TransferOptions): Promise<void> {
  guardSftpFraming(sftp);
  const handler = createSftpHandler(options);
  const send = (id: number, reply: SftpReply): void => {
    switch (reply.kind) {
      case 'status':
        sftp.status(id, reply.code, reply.message);
        return;
      case 'handle':
        sftp.handle(id, reply.handle);
        return;
      case 'data':
        sftp.data(id, Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.length));
        return;
      case 'attrs':
        sftp.attrs(id, reply.attrs);
        return;
      case 'name':
        // A name without attributes (REALPATH, READLINK) goes out with empty flags, as sftp-server sends it.
        sftp.name(id, reply.names.map((n) => (n.attrs ? { filename: n.filename, longname: n.longname, attrs: n.attrs } : ({ filename: n.filename, longname: n.longname } as unknown as FileEntry))));
        return;
    }
  };
  const on = (id: number, request: SftpRequest): void => {
    let reply: SftpReply;
    try {
      reply = handler.handle(request);
    } catch {
      // A filesystem bug must not end the session or show itself: the request just fails.
      reply = status(FX.FAILURE);
    }
    send(id, reply);
  };

  sftp.on('OPEN', (id, path, flags, attrs) => on(id, { op: 'open', path, flags, attrs: setAttrs(attrs) }));
  sftp.on('CLOSE', (id, handle) => on(id, { op: 'close', handle }));
  sftp.on('READ', (id, handle, offset, length) => on(id, { op: 'read', handle, offset, length }));
  sftp.on('WRITE', (id, handle, offset, data) => on(id, { op: 'write', handle, offset, data }));
  sftp.on('FSTAT', (id, handle) => on(id, { op: 'fstat', handle }));
  sftp.on('FSETSTAT', (id, handle, attrs) => on(id, { op: 'fsetstat', handle, attrs: setAttrs(attrs) }));
  sftp.on('SETSTAT', (id, path, attrs) => on(id, { op: 'setstat', path, attrs: setAttrs(attrs) }));
  sftp.on('MKDIR', (id, path, attrs) => on(id, { op: 'mkdir', path, attrs: setAttrs(attrs) }));
  sftp.on('OPENDIR', (id, path) => on(id, { op: 'opendir', path }));
  sftp.on('READDIR', (id, handle) => on(id, { op: 'readdir', handle }));
  sftp.on('STAT', (id, path) => on(id, { op: 'stat', path }));
  sftp.on('LSTAT', (id, path) => on(id, { op: 'lstat', path }));
  sftp.on('REMOVE', (id, path) => on(id, { op: 'remove', path }));
  sftp.on('RMDIR', (id, path) => on(id, { op: 'rmdir', path }));
  sftp.on('REALPATH', (id, path) => on(id, { op: 'realpath', path }));
  sftp.on('READLINK', (id, path) => on(id, { op: 'readlink', path }));
  sftp.on('RENAME', (id, from, to) => on(id, { op: 'rename', from, to }));
  sftp.on('SYMLINK', (id, from, to) => on(id, { op: 'symlink', from, to }));

  return new Promise((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      handler.close();
      // sftp-server exits at the client's EOF and sshd then closes the channel; ssh2 leaves it open.
      sendExitStatus(sftp);
      sftp.end();
      resolve();
    };
    // ssh2 reports malformed packets as 'error' and closes the channel; unhandled, it would throw.
    sftp.on('error', finish);
    sftp.on('end', finish);
    sftp.on('close', finish);
  });
}

/**
 * sshd follows a finished sftp-server with exit-status 0 and EOF before the close. ssh2's SFTP stream
 * has no public way to send them, and OpenSSH's scp (SFTP mode) fails without the status: reach the
 * protocol object, checking each part exists, and skip when this ssh2 version lacks it.
 */
function sendExitStatus(sftp: SFTPWrapper): void {
  const inner = sftp as unknown as { _protocol?: { exitStatus?: unknown; channelEOF?: unknown }; outgoing?: { id?: unknown; state?: unknown } };
  const protocol = inner._protocol;
  const id = inner.outgoing?.id;
  if (!protocol || typeof id !== 'number' || inner.outgoing?.state !== 'open') return;
  if (typeof protocol.exitStatus === 'function') protocol.exitStatus.call(protocol, id, 0);
  if (typeof protocol.channelEOF === 'function') {
    protocol.channelEOF.call(protocol, id);
    if (inner.outgoing) inner.outgoing.state = 'eof';
  }
}

/** ssh2 fills only the attributes the packet had; the rest are undefined whatever its types say. */
function setAttrs(attrs: Attributes): SetAttrs {
  const given = attrs as Partial<Attributes>;
  const out: { mode?: number; uid?: number; gid?: number; size?: number; mtime?: number } = {};
  if (typeof given.mode === 'number') out.mode = given.mode;
  if (typeof given.uid === 'number') out.uid = given.uid;
  if (typeof given.gid === 'number') out.gid = given.gid;
  if (typeof given.size === 'number') out.size = given.size;
  if (typeof given.mtime === 'number') out.mtime = given.mtime;
  return out;
}
