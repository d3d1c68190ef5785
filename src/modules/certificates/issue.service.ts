import type { i18n } from 'i18next';
import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { Conflict, NotFound } from '../../platform/errors.js';
import { isLanguage } from '../../platform/i18n.js';
import type { SessionUser } from '../../platform/http/types.js';
import { findUserById } from '../accounts/index.js';
import { findCourseById } from '../courses/index.js';
import { storeStatements, type LrsAuth } from '../lrs/index.js';
import { findRule, type CompletionMet } from '../progress/index.js';
import * as repo from './certificates.repo.js';
import { newCode } from './code.js';
import { achievementId, signCredential, verifyUrl } from './credential.js';
import { mayManageCertificates } from './certificates.policy.js';

const EARNED = 'https://w3id.org/xapi/adl/verbs/earned';

const platformAuth = (publicUrl: string): LrsAuth => ({
  clientId: 'certificates',
  authority: {
    objectType: 'Agent',
    name: 'WorkCoopHub',
    account: { homePage: publicUrl, name: 'certificates' },
  },
  scopes: new Set(['all']),
});

/** What issuing needs of the platform: links start with the public URL; texts are in the course's language. */
export interface IssueEnv {
  publicUrl: string;
  i18n: i18n;
}

const criteriaText = (env: IssueEnv, language: string, rule: string, minScore: number | null) => {
  const t = env.i18n.getFixedT(isLanguage(language) ? language : 'en');
  if (rule === 'passed') return t('certificates:criteria.passed');
  if (rule === 'min_score')
    return t('certificates:criteria.minScore', { percent: Math.round((minScore ?? 0) * 100) });
  return t('certificates:criteria.completed');
};

interface IssueInput {
  enrolmentId: string;
  courseId: string;
  userId: string;
  registration: string;
  score: number | null;
  timeMs: number;
  generation: number;
  issuedBy: string | null;
}

/** Issues one certificate (generation n of the enrolment) with its credential and `earned` statement. */
async function issue(db: Db, env: IssueEnv, i: IssueInput): Promise<repo.CertificateRow | undefined> {
  const { publicUrl } = env;
  // One after the other: `db` is often a transaction, whose one connection runs one query at a time.
  const user = await findUserById(db, i.userId);
  const course = await findCourseById(db, i.courseId);
  const rule = await findRule(db, i.courseId);
  if (!user || !course) return undefined;
  const owner = await findUserById(db, course.owner_id);
  const code = newCode();
  const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  const hours =
    rule.hours ?? (i.timeMs > 0 ? Math.max(0.5, Math.round((i.timeMs / 3_600_000) * 2) / 2) : null);
  const credential = await signCredential(db, publicUrl, {
    code,
    issuedAt,
    email: user.email,
    courseId: course.id,
    courseTitle: course.title,
    courseDescription: course.description,
    criteria: criteriaText(env, course.language, rule.rule, rule.minScore),
  });
  const row = await repo.insertCertificate(db, {
    code,
    enrolment_id: i.enrolmentId,
    course_id: course.id,
    user_id: user.id,
    generation: i.generation,
    learner_name: user.name,
    course_title: course.title,
    course_language: course.language,
    trainer_name: owner?.name ?? null,
    language: user.language && isLanguage(user.language) ? user.language : course.language,
    hours,
    score: i.score,
    rule: rule.rule,
    issued_at: issuedAt,
    credential,
    issued_by: i.issuedBy,
  });
  if (!row) return undefined;
  await storeStatements(
    db,
    [
      {
        id: randomUUID(),
        actor: { objectType: 'Agent', name: user.name, account: { homePage: publicUrl, name: user.id } },
        verb: { id: EARNED, display: { en: 'earned' } },
        object: {
          objectType: 'Activity',
          id: achievementId(publicUrl, course.id),
          definition: {
            type: 'https://w3id.org/xapi/adl/activity-types/badge',
            name: { [course.language]: course.title },
          },
        },
        ...(i.score !== null ? { result: { score: { scaled: Math.round(i.score * 10_000) / 10_000 } } } : {}),
        context: {
          registration: i.registration,
          platform: 'WorkCoopHub',
          extensions: { [`${publicUrl}/xapi/extensions/certificate`]: verifyUrl(publicUrl, code) },
        },
        timestamp: issuedAt.toISOString(),
      },
    ],
    platformAuth(publicUrl),
  );
  return row;
}

/** The completion handler: the first certificate of each enrolment that has just met its rule. */
export function issueOnCompletion(env: () => IssueEnv) {
  return async (db: Db, met: CompletionMet[]) => {
    for (const m of met) await issue(db, env(), { ...m, generation: 1, issuedBy: null });
  };
}

export async function revokeCertificate(
  db: Db,
  actor: SessionUser,
  id: string,
  reason: string,
  ip: string | null,
): Promise<repo.CertificateRow> {
  if (!mayManageCertificates(actor)) throw new NotFound('certificate');
  return db.transaction(async (trx) => {
    const cert = await repo.findById(trx, id);
    if (!cert) throw new NotFound('certificate');
    if (cert.revoked_at) throw new Conflict('certificates:manage.alreadyRevoked');
    await repo.revoke(trx, id, actor.id, reason);
    await audit(trx, {
      event: 'certificate.revoked',
      actorId: actor.id,
      subjectUserId: cert.user_id,
      ip,
      details: { certificateId: cert.id, code: cert.code, course: cert.course_title, reason },
    });
    return cert;
  });
}

/** A new certificate (new code, names as they are now) for the enrolment of a revoked one. */
export async function reissueCertificate(
  db: Db,
  env: IssueEnv,
  actor: SessionUser,
  id: string,
  ip: string | null,
): Promise<repo.CertificateRow> {
  if (!mayManageCertificates(actor)) throw new NotFound('certificate');
  return db.transaction(async (trx) => {
    const old = await repo.findById(trx, id);
    if (!old) throw new NotFound('certificate');
    if (!old.revoked_at) throw new Conflict('certificates:manage.revokeFirst');
    const enrolment = (await trx('enrolments').where({ id: old.enrolment_id }).first('registration')) as
      { registration: string } | undefined;
    if (!enrolment) throw new NotFound('certificate');
    const row = await issue(trx, env, {
      enrolmentId: old.enrolment_id,
      courseId: old.course_id,
      userId: old.user_id,
      registration: enrolment.registration,
      score: old.score === null ? null : Number(old.score),
      timeMs: 0,
      generation: await repo.nextGeneration(trx, old.enrolment_id),
      issuedBy: actor.id,
    });
    if (!row) throw new Conflict('certificates:manage.revokeFirst');
    await trx('certificates').where({ id: row.id }).update({ hours: old.hours });
    await audit(trx, {
      event: 'certificate.reissued',
      actorId: actor.id,
      subjectUserId: old.user_id,
      ip,
      details: { certificateId: row.id, code: row.code, replaces: old.code, course: row.course_title },
    });
    return { ...row, hours: old.hours };
  });
}
