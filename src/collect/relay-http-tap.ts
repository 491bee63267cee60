// Turns a relayed HTTP session into the same events an emulated one gives: http.request for each
// request (malformed ones with their raw bytes and why they did not parse) and http.response for
// the device's answer to it. Exploit detection plugs in through `inspect`, called once per request.
import type { Clock, SessionEmitter } from '../core/ports.ts';
import { createHttpObserver, type HttpObservation, type HttpObserverOptions, type HttpRequestObservation } from '../relay/http-observer.ts';
import type { RelayTap } from '../relay/tcp-relay.ts';

export interface RelayHttpTapOptions {
  readonly limits: HttpObserverOptions;
  readonly clock: Clock;
  /** Sees each request after its http.request event: exploit detection and its follow-through. */
  readonly inspect?: (request: HttpRequestObservation, events: SessionEmitter) => void;
  /** Awaited by done(): the follow-through of the session's exploits finishing. */
  readonly onEnd?: () => Promise<void>;
}

export function createRelayHttpTap(events: SessionEmitter, options: RelayHttpTapOptions): RelayTap & { readonly done: () => Promise<void> } {
  const observer = createHttpObserver(options.limits);
  const handle = (observations: readonly HttpObservation[]): void => {
    for (const o of observations) {
      if (o.kind === 'request') {
        const { kind: _kind, ...request } = o;
        events.emit('http.request', request);
        options.inspect?.(o, events);
      } else {
        const { kind: _kind, ...response } = o;
        events.emit('http.response', response);
      }
    }
  };
  return {
    client: (bytes) => handle(observer.fromClient(bytes, options.clock.now())),
    server: (bytes) => handle(observer.fromDevice(bytes, options.clock.now())),
    end: () => handle(observer.end(options.clock.now())),
    done: () => options.onEnd?.() ?? Promise.resolve(),
  };
}
