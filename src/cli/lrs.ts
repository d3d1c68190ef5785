import { createLrsClient, lrsClientForm } from '../modules/lrs/index.js';
import { parseForm } from '../platform/http/forms.js';
import type { CliCommand } from './commands.js';
import { CliUsageError } from './errors.js';

export const lrsCommands: Record<string, CliCommand> = {
  'create-lrs-client': {
    summary: 'create-lrs-client --name N --scopes statements/write,statements/read/mine',
    options: { name: { type: 'string' }, scopes: { type: 'string' } },
    async run({ db, config }, o) {
      if (!o.name) throw new CliUsageError('--name is required');
      if (!o.scopes)
        throw new CliUsageError('--scopes is required (comma-separated, e.g. statements/write,state)');
      const form = parseForm(lrsClientForm, {
        name: o.name,
        scopes: o.scopes
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      });
      const { client, key, secret } = await createLrsClient(db, form, { publicUrl: config.publicUrl });
      return [
        `Created LRS client "${client.name}" (${client.scopes.join(', ')})`,
        `endpoint: ${config.publicUrl}/xapi`,
        `key:      ${key}`,
        `secret:   ${secret}`,
        'The secret is shown only now; it is stored as a hash.',
      ].join('\n');
    },
  },
};
