import fs from 'node:fs/promises';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { generate } from 'selfsigned';
import type { AppContext } from '../../platform/context.js';
import type { SamlGroupMap } from '../../platform/config.js';
import type { Db } from '../../platform/db.js';
import { parseIdpMetadata, type IdpMetadata } from './saml.metadata.js';
import * as repo from './saml.repo.js';
import { SamlRefused } from './saml.xml.js';

type Ctx = Pick<AppContext, 'config' | 'db' | 'logger'>;

export interface SpSetup {
  entityId: string;
  metadataUrl: string;
  acsUrl: string;
  sloUrl: string;
  privateKey: string;
  certificate: string;
}

export interface SamlSetup {
  idp: IdpMetadata;
  /** "Sign in with <idpName>". */
  idpName: string;
  sp: SpSetup;
  groupMap: SamlGroupMap;
}

/** What the admin page shows: the setup in force, or why there is none. */
export interface SamlState {
  setup: SamlSetup | null;
  idpSource: 'file' | 'database' | null;
  groupMapSource: 'environment' | 'file' | 'database' | null;
  problem: string | null;
  settings: repo.SamlSettingsRow | undefined;
}

const cache = new WeakMap<Db, { key: string; state: Promise<SamlState> }>();

/** The SAML setup in force: SAML is on when an IdP metadata file is configured or an admin pasted metadata. */
export async function samlState(ctx: Ctx): Promise<SamlState> {
  const file = ctx.config.saml.idpMetadataFile;
  const mtime = file
    ? await fs.stat(file).then(
        (s) => s.mtimeMs,
        () => -1,
      )
    : 0;
  const key = `${mtime}|${await repo.settingsVersion(ctx.db)}`;
  const hit = cache.get(ctx.db);
  if (hit?.key === key) return hit.state;
  const state = resolve(ctx);
  cache.set(ctx.db, { key, state });
  state.catch(() => cache.delete(ctx.db));
  return state;
}

export const currentSamlSetup = async (ctx: Ctx): Promise<SamlSetup | null> => (await samlState(ctx)).setup;

/** Forget the cached setup (after an admin's change in this process; others see the new version). */
export const forgetSamlSetup = (db: Db) => cache.delete(db);

async function resolve(ctx: Ctx): Promise<SamlState> {
  const { saml } = ctx.config;
  const settings = await repo.findSettings(ctx.db);
  const groupMapSource = saml.groupMap
    ? saml.groupMapSource
    : settings?.group_map
      ? ('database' as const)
      : null;
  const groupMap = saml.groupMap ?? settings?.group_map ?? {};
  let xml: string | null = null;
  let idpSource: SamlState['idpSource'] = null;
  if (saml.idpMetadataFile) {
    idpSource = 'file';
    try {
      xml = await fs.readFile(saml.idpMetadataFile, 'utf8');
    } catch {
      return fail(`cannot read SAML_IDP_METADATA_FILE (${saml.idpMetadataFile})`);
    }
  } else if (settings?.idp_metadata) {
    idpSource = 'database';
    xml = settings.idp_metadata;
  }
  if (!xml) return { setup: null, idpSource, groupMapSource, problem: null, settings };
  let idp: IdpMetadata;
  try {
    idp = parseIdpMetadata(xml);
  } catch (err) {
    if (err instanceof SamlRefused) return fail(err.reason);
    throw err;
  }
  const sp = await spSetup(ctx);
  const idpName = saml.idpName ?? settings?.idp_name ?? idp.displayName ?? new URL(idp.ssoUrl).host;
  return { setup: { idp, idpName, sp, groupMap }, idpSource, groupMapSource, problem: null, settings };

  function fail(problem: string): SamlState {
    ctx.logger.error({ problem }, 'SAML is configured but cannot be used');
    return { setup: null, idpSource, groupMapSource, problem, settings };
  }
}

/** Our own side: endpoints from PUBLIC_URL, and a key pair from files or made once and kept in the database. */
export async function spSetup(ctx: Ctx): Promise<SpSetup> {
  const base = ctx.config.publicUrl;
  const metadataUrl = `${base}/auth/saml/metadata`;
  return {
    entityId: ctx.config.saml.spEntityId ?? metadataUrl,
    metadataUrl,
    acsUrl: `${base}/auth/saml/acs`,
    sloUrl: `${base}/auth/saml/slo`,
    ...(await spCredentials(ctx)),
  };
}

async function spCredentials(ctx: Ctx): Promise<{ privateKey: string; certificate: string }> {
  const { spKeyFile, spCertFile } = ctx.config.saml;
  if (spKeyFile && spCertFile) {
    const privateKey = await fs.readFile(spKeyFile, 'utf8');
    const certificate = await fs.readFile(spCertFile, 'utf8');
    createPrivateKey(privateKey); // throws early with a clear message when the file is not a key
    new X509Certificate(certificate);
    return { privateKey, certificate };
  }
  const row = await repo.findSettings(ctx.db);
  if (row?.sp_private_key && row.sp_certificate)
    return { privateKey: row.sp_private_key, certificate: row.sp_certificate };
  const made = await generate([{ name: 'commonName', value: new URL(ctx.config.publicUrl).host }], {
    keySize: 3072,
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 10 * 365 * 24 * 3600_000),
  });
  return repo.keepSpCredentials(ctx.db, { privateKey: made.private, certificate: made.cert });
}

/** What the sign-in page needs to offer "Sign in with <IdP>", or null when SAML is off. */
export async function samlSignInOption(ctx: Ctx): Promise<{ idpName: string } | null> {
  const setup = await currentSamlSetup(ctx);
  return setup ? { idpName: setup.idpName } : null;
}
