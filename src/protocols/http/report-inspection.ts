// What an inspection of one request becomes as events — the same for an emulated device web server
// and for a real device behind the HTTP relay: exploit.detected per matched signature (affected when
// the device's class is one the vulnerability hits), http.scanner, and exploit.candidate.
import type { HttpInspector, HttpRequest, ExploitMatch } from '../../core/http.ts';
import type { SessionEmitter } from '../../core/ports.ts';

/** Inspects the request and emits what was found; returns the matches (for follow-through). Never throws. */
export function reportInspection(events: SessionEmitter, inspector: HttpInspector, request: HttpRequest, deviceClass: string | null): readonly ExploitMatch[] {
  let found: ReturnType<HttpInspector['inspect']>;
  try {
    found = inspector.inspect(request);
  } catch {
    return []; // an inspector must never throw; if one does, the request is still answered
  }
  for (const match of found.exploits) {
    const { signature, name, cves, vendor, product, technique, classes, payload, evidence } = match;
    const affected = deviceClass !== null && classes.includes(deviceClass);
    events.emit('exploit.detected', { seq: request.seq, signature, name, cves, vendor, product, technique, classes, affected, payload, evidence });
  }
  if (found.scanner) events.emit('http.scanner', { seq: request.seq, ...found.scanner });
  if (found.candidate) events.emit('exploit.candidate', { seq: request.seq, shape: found.candidate.shape, reasons: found.candidate.reasons });
  return found.exploits;
}
