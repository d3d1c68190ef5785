import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db.js';
import { userCommands } from './users.js';
import { lrsCommands } from './lrs.js';
import { authoringCommands } from './authoring.js';
import { packageCommands } from './packages.js';
import { certificateCommands } from './certificates.js';

export interface CliCommand {
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(
    ctx: { db: Db; config: Config },
    opts: Record<string, string | undefined>,
    positionals: string[],
  ): Promise<string>;
}

/** Later issues add their commands here. */
export const commands: Record<string, CliCommand> = {
  ...userCommands,
  ...lrsCommands,
  ...authoringCommands,
  ...packageCommands,
  ...certificateCommands,
};
