import { CreateUserInput, createUser, listUsers } from '../modules/accounts/index.js';
import { parseForm } from '../platform/http/forms.js';
import type { CliCommand } from './commands.js';
import { CliUsageError } from './errors.js';

export const userCommands: Record<string, CliCommand> = {
  'create-user': {
    summary: 'create-user --email E --name N --roles learner,trainer --password P',
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      roles: { type: 'string' },
      password: { type: 'string' },
    },
    async run({ db }, o) {
      for (const required of ['email', 'name', 'password'] as const) {
        if (!o[required]) throw new CliUsageError(`--${required} is required`);
      }
      const input = parseForm(CreateUserInput, {
        email: o.email,
        name: o.name,
        password: o.password,
        roles: (o.roles ?? 'learner')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      });
      const user = await createUser(db, input);
      return `Created ${user.email} (${user.roles.join(', ')}), id ${user.id}`;
    },
  },
  'list-users': {
    summary: 'list-users [--search S]',
    options: { search: { type: 'string' } },
    async run({ db }, o) {
      const { users, total } = await listUsers(db, { search: o.search, limit: 10_000, offset: 0 });
      const rows = users.map((u) => `${u.email}\t${u.name}\t${u.roles.join(',')}\t${u.status}`);
      return [`email\tname\troles\tstatus`, ...rows, `${total} user(s)`].join('\n');
    },
  },
};
