import type { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { onCompletion } from '../progress/index.js';
import { certificatesRoutes } from './certificates.routes.js';
import { issueOnCompletion } from './issue.service.js';
import { verifyRoutes } from './verify.routes.js';

export { verifyCode, verifyCredential, type Verdict } from './verify.service.js';
export { groupedCode } from './code.js';

let publicUrl = 'http://localhost:3000';
const handler = issueOnCompletion(() => publicUrl);

/** Certificates issued when a course's completion rule is met; /verify, /certificates. */
export function certificatesModule(ctx: AppContext): Router[] {
  publicUrl = ctx.config.publicUrl;
  onCompletion(handler);
  return [verifyRoutes(ctx), certificatesRoutes(ctx)];
}
