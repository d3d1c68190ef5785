import type { Db } from './db.js';

export type AuditEvent =
  | 'signin.success'
  | 'signin.failure'
  | 'signin.locked'
  | 'signout'
  | 'password.changed'
  | 'password.reset'
  | 'user.created'
  | 'user.invited'
  | 'user.registered'
  | 'user.roles_changed'
  | 'user.disabled'
  | 'user.enabled'
  | 'user.activated'
  | (string & {});

export interface AuditEntry {
  event: AuditEvent;
  actorId?: string | null;
  subjectUserId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** Security events, kept for admins to read. */
export async function audit(db: Db, e: AuditEntry): Promise<void> {
  await db('audit_events').insert({
    event: e.event,
    actor_id: e.actorId ?? null,
    subject_user_id: e.subjectUserId ?? null,
    ip: e.ip ?? null,
    details: JSON.stringify(e.details ?? {}),
  });
}

export interface AuditRow {
  id: number;
  event: string;
  actor_id: string | null;
  actor_email: string | null;
  subject_user_id: string | null;
  subject_email: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  created_at: Date;
}

export function listAuditEvents(db: Db, opts: { limit: number; event?: string }): Promise<AuditRow[]> {
  const q = db('audit_events as a')
    .leftJoin('users as actor', 'actor.id', 'a.actor_id')
    .leftJoin('users as subject', 'subject.id', 'a.subject_user_id')
    .select('a.*', 'actor.email as actor_email', 'subject.email as subject_email')
    .orderBy('a.id', 'desc')
    .limit(opts.limit);
  if (opts.event) q.where('a.event', opts.event);
  return q;
}
