import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './paths.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const url = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' });
const port = z.coerce
  .number({ error: 'must be a port number' })
  .int({ error: 'must be a port number' })
  .min(0, { error: 'must be a port number from 0 to 65535' })
  .max(65535, { error: 'must be a port number from 0 to 65535' });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of: ${values.join(', ')}` });
const positive = z.coerce.number({ error: 'must be a number' }).positive({ error: 'must be more than 0' });
const count = z.coerce
  .number({ error: 'must be a whole number' })
  .int({ error: 'must be a whole number' })
  .positive({ error: 'must be more than 0' });

/** Every setting the platform reads, with its default. The README documents this table. */
const Env = z.object({
  NODE_ENV: oneOf(['development', 'production', 'test']).default('development'),
  PORT: port.default(3000),
  HOST: z.string().min(1).default('localhost'),
  PUBLIC_URL: url.optional(),
  CONTENT_PORT: port.default(3001),
  CONTENT_ORIGIN: url.optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// address' }).optional(),
  DATA_DIR: z.string().min(1).default('data'),
  CONTENT_DIR: z.string().min(1).default('content-packages'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SESSION_MAX_AGE_HOURS: positive.default(12),
  TRUST_PROXY: bool.default(false),
  OPEN_REGISTRATION: bool.default(false),
  SEED_DEMO: bool.default(true),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// address' }).optional(),
  MAIL_FROM: z.string().min(3).default('WorkCoopHub <no-reply@workcoophub.invalid>'),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SIGNIN_MAX_FAILURES: count.default(5),
  SIGNIN_WINDOW_MINUTES: count.default(15),
  DEFAULT_LANGUAGE: oneOf(['en', 'de', 'fr', 'nl']).default('en'),
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
  LRS_RATE_LIMIT: z.coerce
    .number({ error: 'must be a number' })
    .min(0, { error: 'must be 0 or more' })
    .default(200),
  // Comma-separated host names of PeerTube instances whose videos authored courses may embed.
  AUTHORING_PEERTUBE_HOSTS: z.string().optional(),
  // SAML single sign-on (see README): on when SAML_IDP_METADATA_FILE is set or an admin pasted IdP metadata.
  SAML_IDP_METADATA_FILE: z.string().min(1).optional(),
  SAML_IDP_NAME: z.string().trim().min(1).max(80).optional(),
  SAML_SP_ENTITY_ID: z.string().min(1).max(1024).optional(),
  SAML_SP_KEY_FILE: z.string().min(1).optional(),
  SAML_SP_CERT_FILE: z.string().min(1).optional(),
  SAML_NAMEID_FORMAT: z.string().min(1).default('urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'),
  SAML_ATTR_EMAIL: z.string().min(1).default('email'),
  SAML_ATTR_NAME: z.string().min(1).default('displayName'),
  SAML_ATTR_LANGUAGE: z.string().min(1).default('preferredLanguage'),
  SAML_ATTR_GROUPS: z.string().min(1).default('groups'),
  SAML_GROUP_MAP: z.string().min(2).optional(),
  SAML_GROUP_MAP_FILE: z.string().min(1).optional(),
  SAML_CLOCK_SKEW_SECONDS: z.coerce
    .number({ error: 'must be a whole number of seconds' })
    .int({ error: 'must be a whole number of seconds' })
    .min(0, { error: 'must be from 0 to 300' })
    .max(300, { error: 'must be from 0 to 300' })
    .default(60),
  // Local (password) sign-in; when false only break-glass admins may use it.
  LOCAL_SIGNIN: bool.default(true),
  BREAK_GLASS_EMAILS: z.string().optional(),
  // Uploaded packages (SCORM, cmi5, H5P): the zip's size, and limits checked before and while unzipping.
  MAX_PACKAGE_BYTES: count.default(1024 ** 3),
  MAX_PACKAGE_ENTRIES: count.default(20_000),
  MAX_PACKAGE_UNPACKED_BYTES: count.default(4 * 1024 ** 3),
  MAX_PACKAGE_RATIO: positive.default(200),
  CONTENT_TOKEN_TTL_MINUTES: positive.default(240),
});

/** The names of every setting, for the check that the README documents each one. */
export const settingNames = (): string[] => Object.keys(Env.shape);

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
  /** PeerTube hosts (lower case) that authored courses may embed videos from. */
  authoringPeertubeHosts: string[];
  saml: SamlConfig;
  /** False: the password form is for break-glass admins only (see `mayUseLocalSignIn`). */
  localSignIn: boolean;
  /** Lower-case emails of the admins who may still sign in with a password; empty = every admin. */
  breakGlassEmails: string[];
  packages: PackageLimits;
  /** How long a signed package URL stays valid unless its caller asks for less. */
  contentTokenTtlSeconds: number;
}

export interface PackageLimits {
  maxBytes: number;
  maxEntries: number;
  maxUnpackedBytes: number;
  /** Uncompressed : compressed, per large entry and for the whole zip. */
  maxRatio: number;
}

export interface LrsForwardConfig {
  endpoint: string;
  key: string;
  secret: string;
  verbs: string[] | null;
  activityPrefix: string | null;
}

/** IdP group → platform roles and platform groups (by name), from SAML_GROUP_MAP(_FILE) or the admin page. */
export const SamlGroupMap = z.record(
  z.string().min(1).max(256),
  z.strictObject({
    roles: z.array(z.enum(['learner', 'trainer', 'coordinator', 'admin'])).optional(),
    groups: z.array(z.string().trim().min(1).max(120)).optional(),
  }),
);
export type SamlGroupMap = z.infer<typeof SamlGroupMap>;

export interface SamlConfig {
  idpMetadataFile?: string;
  idpName?: string;
  spEntityId?: string;
  spKeyFile?: string;
  spCertFile?: string;
  /** NameIDPolicy Format asked of the IdP; `unspecified` lets it choose. */
  nameIdFormat: string;
  attributes: { email: string; name: string; language: string; groups: string };
  groupMap: SamlGroupMap | null;
  groupMapSource: 'environment' | 'file' | null;
  clockSkewMs: number;
}

export class ConfigError extends Error {}

/** Reads the environment once; an invalid setting throws a ConfigError that names it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${describeIssue(i, present)}`);
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
  const samlGroupMap = readSamlGroupMap(e.SAML_GROUP_MAP, e.SAML_GROUP_MAP_FILE);
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
          verbs: e.LRS_FORWARD_VERBS
            ? e.LRS_FORWARD_VERBS.split(',')
                .map((v) => v.trim())
                .filter(Boolean)
            : null,
          activityPrefix: e.LRS_FORWARD_ACTIVITY_PREFIX || null,
        }
      : undefined,
    lrsRateLimit: e.LRS_RATE_LIMIT,
    authoringPeertubeHosts: (e.AUTHORING_PEERTUBE_HOSTS ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    saml: {
      idpMetadataFile: e.SAML_IDP_METADATA_FILE
        ? path.resolve(projectRoot, e.SAML_IDP_METADATA_FILE)
        : undefined,
      idpName: e.SAML_IDP_NAME,
      spEntityId: e.SAML_SP_ENTITY_ID,
      spKeyFile: e.SAML_SP_KEY_FILE ? path.resolve(projectRoot, e.SAML_SP_KEY_FILE) : undefined,
      spCertFile: e.SAML_SP_CERT_FILE ? path.resolve(projectRoot, e.SAML_SP_CERT_FILE) : undefined,
      nameIdFormat: e.SAML_NAMEID_FORMAT,
      attributes: {
        email: e.SAML_ATTR_EMAIL,
        name: e.SAML_ATTR_NAME,
        language: e.SAML_ATTR_LANGUAGE,
        groups: e.SAML_ATTR_GROUPS,
      },
      groupMap: samlGroupMap,
      groupMapSource: e.SAML_GROUP_MAP ? 'environment' : e.SAML_GROUP_MAP_FILE ? 'file' : null,
      clockSkewMs: e.SAML_CLOCK_SKEW_SECONDS * 1000,
    },
    localSignIn: e.LOCAL_SIGNIN,
    breakGlassEmails: (e.BREAK_GLASS_EMAILS ?? '')
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter(Boolean),
    packages: {
      maxBytes: e.MAX_PACKAGE_BYTES,
      maxEntries: e.MAX_PACKAGE_ENTRIES,
      maxUnpackedBytes: e.MAX_PACKAGE_UNPACKED_BYTES,
      maxRatio: e.MAX_PACKAGE_RATIO,
    },
    contentTokenTtlSeconds: Math.round(e.CONTENT_TOKEN_TTL_MINUTES * 60),
  };
}

/** "NAME: what is wrong (got "value")"; the values of secrets and addresses with passwords stay out. */
function describeIssue(issue: z.core.$ZodIssue, given: Record<string, string | undefined>): string {
  const name = String(issue.path[0]);
  const value = given[name];
  const secret = /SECRET|KEY|^DATABASE_URL$|^SMTP_URL$/.test(name);
  return `${name}: ${issue.message}` + (value === undefined || secret ? '' : ` (got "${value}")`);
}

function readSamlGroupMap(json: string | undefined, file: string | undefined): SamlGroupMap | null {
  const name = json ? 'SAML_GROUP_MAP' : 'SAML_GROUP_MAP_FILE';
  let text = json;
  if (!text && file) {
    try {
      text = fs.readFileSync(path.resolve(projectRoot, file), 'utf8');
    } catch {
      throw new ConfigError(`Invalid configuration:\n  SAML_GROUP_MAP_FILE: cannot read ${file}`);
    }
  }
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError(`Invalid configuration:\n  ${name}: not JSON`);
  }
  const parsed = SamlGroupMap.safeParse(value);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration:\n  ${name}: ${where}`);
  }
  return parsed.data;
}

/** The test database URL, read here so that process.env stays in this file. */
export const testDatabaseUrl = (): string | undefined => process.env.TEST_DATABASE_URL || undefined;
