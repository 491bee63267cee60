// The configuration schema: one YAML file, every key optional (embedded defaults), strict keys so
// typos are errors. Each module receives only its typed section.
import { z } from 'zod';

// 0 asks the system for a free port (tests use it).
const port = z.number().int().min(0).max(65535);
const host = z.string().min(1);

export const serviceSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  protocol: z.literal('telnet'),
  host: host.default('0.0.0.0'),
  port,
  persona: z.string().min(1),
  /** Overrides the persona's delay after a failed login (0 for benchmarks). */
  loginFailureDelayMs: z.number().int().min(0).max(60_000).optional(),
  /** Accept any credentials after this many failures from one source (persona default otherwise). */
  acceptAfterFailures: z.number().int().min(0).max(1000).nullable().optional(),
});

export const sessionLimitsSchema = z.strictObject({
  idleTimeoutMs: z.number().int().min(100).default(180_000),
  maxSessionMs: z.number().int().min(1000).default(3_600_000),
  maxLineBytes: z.number().int().min(64).default(64 * 1024),
  maxInputBytes: z.number().int().min(1024).default(16 * 1024 * 1024),
  maxOutputBytesPerCommand: z.number().int().min(1024).default(4 * 1024 * 1024),
  maxFileBytes: z.number().int().min(1024).default(32 * 1024 * 1024),
  maxSessionWriteBytes: z.number().int().min(1024).default(64 * 1024 * 1024),
  maxSessionFiles: z.number().int().min(1).default(10_000),
  maxLoopIterations: z.number().int().min(1).default(100_000),
  maxRecursion: z.number().int().min(1).max(200).default(32),
});

export const connectionLimitsSchema = z.strictObject({
  perSource: z.number().int().min(1).default(64),
  total: z.number().int().min(1).default(20_000),
  /** SO_REUSEPORT listening sockets per service: how fast new connections are let in under load. */
  acceptors: z.number().int().min(1).max(64).default(4),
});

export const configSchema = z.strictObject({
  sensor: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash, underscore (max 64)').optional(),
  dataDir: z.string().min(1).default('data'),
  personaDir: z.string().min(1).optional(),
  services: z.array(serviceSchema).optional(),
  sessions: sessionLimitsSchema.prefault({}),
  connections: connectionLimitsSchema.prefault({}),
  sinks: z
    .strictObject({
      sqlite: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
      jsonl: z
        .strictObject({
          enabled: z.boolean().default(true),
          maxFileBytes: z.number().int().min(1024).default(256 * 1024 * 1024),
          maxTotalBytes: z.number().int().min(1024).default(4 * 1024 * 1024 * 1024),
        })
        .prefault({}),
    })
    .prefault({}),
  artifacts: z.strictObject({ maxTotalBytes: z.number().int().min(1024).default(2 * 1024 * 1024 * 1024) }).prefault({}),
  recordings: z
    .strictObject({
      enabled: z.boolean().default(true),
      maxBytesPerSession: z.number().int().min(1024).default(4 * 1024 * 1024),
      // Sessions that never log in are their auth.attempt events; recording them too costs a file each.
      withoutLogin: z.boolean().default(false),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ServiceConfig = z.infer<typeof serviceSchema>;
export type SessionLimits = z.infer<typeof sessionLimitsSchema>;
export type ConnectionLimits = z.infer<typeof connectionLimitsSchema>;
