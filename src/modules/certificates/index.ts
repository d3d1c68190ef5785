import type { Router } from 'express';
import type { AppContext } from '../../platform/context.js';
import { onCompletion } from '../progress/index.js';
import { certificatesRoutes } from './certificates.routes.js';
import { issueOnCompletion, type IssueEnv } from './issue.service.js';
import { verifyRoutes } from './verify.routes.js';

export { verifyCode, verifyCredential, type Verdict } from './verify.service.js';
export { groupedCode } from './code.js';

// The completion hook is registered once per process; the app built last says where links point and how to word them.
let env: IssueEnv | undefined;
const handler = issueOnCompletion(() => env!);

/** Certificates issued when a course's completion rule is met; /verify, /certificates. */
export function certificatesModule(ctx: AppContext): Router[] {
  env = { publicUrl: ctx.config.publicUrl, i18n: ctx.i18n };
  onCompletion(handler);
  return [verifyRoutes(ctx), certificatesRoutes(ctx)];
}
