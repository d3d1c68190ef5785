import { createHash } from 'node:crypto';
import type { Actor, Agent } from './lrs.types.js';

/**
 * The Inverse Functional Identifier of an Agent or identified Group as one comparable string:
 * `mbox:mailto:a@b`, `mbox_sha1sum:<hex>`, `openid:<uri>` or `account:<homePage> <name>`.
 * Returns null for an anonymous Group (no IFI).
 */
export function ifiKey(a: Actor | undefined | null): string | null {
  if (!a) return null;
  if (a.mbox) return `mbox:${a.mbox}`;
  if (a.mbox_sha1sum) return `mbox_sha1sum:${a.mbox_sha1sum}`;
  if (a.openid) return `openid:${a.openid}`;
  if (a.account) return `account:${a.account.homePage} ${a.account.name}`;
  return null;
}

/** Every key under which an actor is found: its own IFI and, for a Group, its members' (for related_agents). */
export function actorKeys(a: Actor | undefined | null): string[] {
  if (!a) return [];
  const own = ifiKey(a);
  const members = a.objectType === 'Group' && 'member' in a && a.member ? a.member.map(ifiKey) : [];
  return [...new Set([own, ...members].filter((k): k is string => k !== null))];
}

/** Two Agents are the same person when their IFIs match. */
export const sameAgent = (a: Agent | undefined, b: Agent | undefined) => {
  const ka = ifiKey(a);
  return ka !== null && ka === ifiKey(b);
};

export const sha1Hex = (s: string) => createHash('sha1').update(s).digest('hex');
