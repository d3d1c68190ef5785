import { groupedCode, verifyCode } from '../modules/certificates/index.js';
import type { CliCommand } from './commands.js';
import { CliUsageError } from './errors.js';

export const certificateCommands: Record<string, CliCommand> = {
  'verify-certificate': {
    summary: 'verify-certificate <code>   prints valid, revoked or unknown',
    options: {},
    async run({ db }, _o, positionals) {
      const [code] = positionals;
      if (!code)
        throw new CliUsageError('Give the certificate code: npm run cli -- verify-certificate <code>');
      const v = await verifyCode(db, code);
      if (v.state === 'unknown') return 'unknown';
      const c = v.certificate;
      const when = c.revoked_at ? ` (revoked ${c.revoked_at.toISOString().slice(0, 10)})` : '';
      return `${v.state}\n${groupedCode(c.code)} · ${c.learner_name} · ${c.course_title} · issued ${c.issued_at.toISOString().slice(0, 10)}${when}`;
    },
  },
};
