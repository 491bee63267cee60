// Every route the dashboard API serves, in one list: the server, the OpenAPI check and the docs
// all read this, so a route cannot exist without being documented.
import type { ApiRoute } from './route.ts';
import { devicesRoute } from './routes/devices.ts';
import { exploitsRoute } from './routes/exploits.ts';
import { overviewRoute } from './routes/overview.ts';
import { sampleDetailRoute } from './routes/sample-detail.ts';
import { samplesRoute } from './routes/samples.ts';
import { sessionDetailRoute } from './routes/session-detail.ts';
import { sessionRecordingRoute } from './routes/session-recording.ts';
import { sessionsRoute } from './routes/sessions.ts';
import { sourcesRoute } from './routes/sources.ts';

export const apiRoutes: readonly ApiRoute[] = [
  overviewRoute,
  sessionsRoute,
  sessionDetailRoute,
  sessionRecordingRoute,
  samplesRoute,
  sampleDetailRoute,
  exploitsRoute,
  devicesRoute,
  sourcesRoute,
];
