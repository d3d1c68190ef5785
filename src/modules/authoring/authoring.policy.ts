import type { SessionUser } from '../../platform/http/types.js';

// Any member may author courses of their own; only their owner edits, publishes and exports them.
type Viewer = SessionUser | null | undefined;

export const mayAuthor = (u: Viewer) => !!u;
export const mayEditAuthored = (u: Viewer, c: { owner_id: string }) => !!u && c.owner_id === u.id;
