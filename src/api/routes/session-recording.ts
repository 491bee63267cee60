// GET /api/v1/sessions/:id/recording: the session's asciicast recording as text inside JSON (never
// served raw, so a browser cannot take attacker output for markup), capped in size.
import type { ApiRoute } from '../route.ts';
import { notFound } from '../route.ts';
import { onlyParams } from '../params.ts';
import { sessionIdParam } from './session-detail.ts';

/** Largest part of a recording returned; longer ones are cut at a line end and marked truncated. */
export const MAX_RECORDING_BYTES = 8 * 1024 * 1024;

export const sessionRecordingRoute: ApiRoute = {
  method: 'GET',
  path: '/api/v1/sessions/:id/recording',
  async handle({ params, query }, store) {
    const id = sessionIdParam(params.id);
    onlyParams(query, []);
    const recording = await store.readRecording(id, MAX_RECORDING_BYTES);
    if (!recording) return notFound(`no recording for session ${id}`);
    return { status: 200, body: { session: id, ...recording } };
  },
};
