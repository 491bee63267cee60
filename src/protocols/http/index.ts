// The HTTP protocol's public surface: the session adapter, its limits, and the pure parser and writer.
export { handleHttp, defaultHttpLimits } from './session.ts';
export type { HttpContext, HttpLimits } from './session.ts';
export { createRequestParser } from './request-parser.ts';
export type { ParsedLimit, ParsedRequest, RequestLimits, RequestParser } from './request-parser.ts';
export { writeResponse, responseHasBody, responseVersion } from './response-writer.ts';
export { keepsAlive } from './keep-alive.ts';
export { reportInspection } from './report-inspection.ts';
