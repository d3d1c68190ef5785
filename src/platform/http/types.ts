import type { Language, TFunction } from '../i18n.js';

export type Role = 'learner' | 'trainer' | 'coordinator' | 'admin';
export const ROLES: readonly Role[] = ['learner', 'trainer', 'coordinator', 'admin'];

/** The signed-in user as every request sees it. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  language: Language | null;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
    interface Request {
      lang: Language;
      t: TFunction;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    flash?: { kind: 'success' | 'error'; key: string; params?: Record<string, unknown> }[];
    csrfBound?: true;
  }
}
