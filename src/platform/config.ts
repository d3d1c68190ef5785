import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './paths.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = z.url({ protocol: /^https?$/ });

/** Every setting the platform reads, with its default. The README documents this table. */
const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('localhost'),
  PUBLIC_URL: url.optional(),
  CONTENT_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  CONTENT_ORIGIN: url.optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATA_DIR: z.string().min(1).default('data'),
  CONTENT_DIR: z.string().min(1).default('content-packages'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_MAX_AGE_HOURS: z.coerce.number().positive().default(12),
  TRUST_PROXY: bool.default(false),
  OPEN_REGISTRATION: bool.default(false),
  SEED_DEMO: bool.default(true),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default('WorkCoopHub <no-reply@workcoophub.invalid>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIGNIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  SIGNIN_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
  DEFAULT_LANGUAGE: z.enum(['en', 'de', 'fr', 'nl']).default('en'),
  // LRS forwarding: every stored statement (or those of the filters below) is also sent to this
  // external LRS (its xAPI base URL, e.g. https://lrs.example.org/xapi) with HTTP Basic key/secret.
  LRS_FORWARD_ENDPOINT: url.optional(),
  LRS_FORWARD_KEY: z.string().optional(),
  LRS_FORWARD_SECRET: z.string().optional(),
  // Comma-separated verb IRIs: only statements with one of these verbs are forwarded.
  LRS_FORWARD_VERBS: z.string().optional(),
  // Only statements whose object Activity id starts with this prefix are forwarded.
  LRS_FORWARD_ACTIVITY_PREFIX: z.string().optional(),
  // Requests per second per LRS client on /xapi/statements (burst: ten seconds' worth); 0 = no limit.
  LRS_RATE_LIMIT: z.coerce.number().min(0).default(200),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  contentPort: number;
  contentOrigin: string;
  databaseUrl?: string;
  dataDir: string;
  contentDir: string;
  sessionSecret?: string;
  sessionMaxAgeMs: number;
  secureCookies: boolean;
  trustProxy: boolean;
  openRegistration: boolean;
  seedDemo: boolean;
  smtpUrl?: string;
  mailFrom: string;
  logLevel: string;
  signInMaxFailures: number;
  signInWindowMs: number;
  defaultLanguage: 'en' | 'de' | 'fr' | 'nl';
  lrsForward?: LrsForwardConfig;
  lrsRateLimit: number;
}

export interface LrsForwardConfig {
  endpoint: string;
  key: string;
  secret: string;
  verbs: string[] | null;
  activityPrefix: string | null;
}

export class ConfigError extends Error {}

/** Reads the environment once; an invalid setting throws a ConfigError that names it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/$/, '');
  // Content must be another site than the LMS so that no LMS cookie travels with it.
  const contentOrigin = (e.CONTENT_ORIGIN ?? `http://127.0.0.1:${e.CONTENT_PORT}`).replace(/\/$/, '');
  if (new URL(contentOrigin).host === new URL(publicUrl).host) {
    throw new ConfigError(
      'Invalid configuration:\n  CONTENT_ORIGIN: must differ from the LMS origin (PUBLIC_URL)',
    );
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    contentPort: e.CONTENT_PORT,
    contentOrigin,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(projectRoot, e.DATA_DIR),
    contentDir: path.resolve(projectRoot, e.CONTENT_DIR),
    sessionSecret: e.SESSION_SECRET,
    sessionMaxAgeMs: e.SESSION_MAX_AGE_HOURS * 3600_000,
    secureCookies: publicUrl.startsWith('https:'),
    trustProxy: e.TRUST_PROXY,
    openRegistration: e.OPEN_REGISTRATION,
    seedDemo: e.SEED_DEMO,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    signInMaxFailures: e.SIGNIN_MAX_FAILURES,
    signInWindowMs: e.SIGNIN_WINDOW_MINUTES * 60_000,
    defaultLanguage: e.DEFAULT_LANGUAGE,
    lrsForward: e.LRS_FORWARD_ENDPOINT
      ? {
          endpoint: e.LRS_FORWARD_ENDPOINT.replace(/\/$/, ''),
          key: e.LRS_FORWARD_KEY ?? '',
          secret: e.LRS_FORWARD_SECRET ?? '',
          verbs: e.LRS_FORWARD_VERBS ? e.LRS_FORWARD_VERBS.split(',').map((v) => v.trim()).filter(Boolean) : null,
          activityPrefix: e.LRS_FORWARD_ACTIVITY_PREFIX || null,
        }
      : undefined,
    lrsRateLimit: e.LRS_RATE_LIMIT,
  };
}

/** The test database URL, read here so that process.env stays in this file. */
export const testDatabaseUrl = (): string | undefined => process.env.TEST_DATABASE_URL || undefined;
