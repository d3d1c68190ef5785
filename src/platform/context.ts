import type { i18n } from 'i18next';
import type { Config } from './config.js';
import type { Db } from './db.js';
import type { Logger } from './logger.js';
import type { Mailer } from './mail.js';

/** What services need from the platform; built once in app.ts. */
export interface AppContext {
  config: Config;
  db: Db;
  logger: Logger;
  mailer: Mailer;
  i18n: i18n;
}
