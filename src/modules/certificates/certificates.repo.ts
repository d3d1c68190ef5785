import type { Db } from '../../platform/db.js';

export interface CertificateRow {
  id: string;
  code: string;
  enrolment_id: string;
  course_id: string;
  user_id: string;
  generation: number;
  learner_name: string;
  course_title: string;
  course_language: string;
  trainer_name: string | null;
  language: string;
  hours: number | null;
  score: number | null;
  rule: string;
  issued_at: Date;
  credential: string;
  revoked_at: Date | null;
  revoked_by: string | null;
  revoked_reason: string | null;
  issued_by: string | null;
}

export type NewCertificate = Omit<
  CertificateRow,
  'id' | 'issued_at' | 'revoked_at' | 'revoked_by' | 'revoked_reason'
> & {
  issued_at: Date;
};

/** Inserts unless this enrolment already has this generation; returns the row when it was inserted. */
export async function insertCertificate(db: Db, c: NewCertificate): Promise<CertificateRow | undefined> {
  const [row] = (await db('certificates')
    .insert(c)
    .onConflict(['enrolment_id', 'generation'])
    .ignore()
    .returning('*')) as CertificateRow[];
  return row;
}

export const findByCode = (db: Db, code: string): Promise<CertificateRow | undefined> =>
  db<CertificateRow>('certificates').where({ code }).first();

export const findById = (db: Db, id: string): Promise<CertificateRow | undefined> =>
  db<CertificateRow>('certificates').where({ id }).first();

export const listOfUser = (db: Db, userId: string): Promise<CertificateRow[]> =>
  db<CertificateRow>('certificates').where({ user_id: userId }).orderBy('issued_at', 'desc');

export interface ManagedRow extends CertificateRow {
  learner_email: string;
}

export async function listAll(db: Db, f: { q?: string; limit: number; offset: number }) {
  const q = db('certificates as c').join('users as u', 'u.id', 'c.user_id');
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, (m) => '\\' + m)}%`;
    q.where((w) =>
      w
        .whereRaw('lower(c.learner_name) like ?', [like])
        .orWhereRaw('lower(u.email) like ?', [like])
        .orWhereRaw('lower(c.course_title) like ?', [like])
        .orWhere('c.code', f.q!.toUpperCase().replace(/[\s-]/g, '')),
    );
  }
  const [{ n }] = (await q.clone().count({ n: '*' })) as unknown as [{ n: string | number }];
  const rows = (await q
    .select('c.*', 'u.email as learner_email')
    .orderBy('c.issued_at', 'desc')
    .limit(f.limit)
    .offset(f.offset)) as ManagedRow[];
  return { rows, total: Number(n) };
}

export async function nextGeneration(db: Db, enrolmentId: string): Promise<number> {
  const row = (await db('certificates')
    .where({ enrolment_id: enrolmentId })
    .max({ g: 'generation' })
    .first()) as { g: number | null } | undefined;
  return Number(row?.g ?? 0) + 1;
}

export const revoke = (db: Db, id: string, by: string, reason: string) =>
  db('certificates')
    .where({ id })
    .whereNull('revoked_at')
    .update({ revoked_at: db.fn.now(), revoked_by: by, revoked_reason: reason });
