import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/platform/config.js';

/** A configuration for tests; every setting can be overridden as the environment would. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    PUBLIC_URL: 'http://localhost:3000',
    CONTENT_ORIGIN: 'http://127.0.0.1:3001',
    DATA_DIR: path.join(os.tmpdir(), 'wch-test-' + randomBytes(4).toString('hex')),
    CONTENT_DIR: path.join(os.tmpdir(), 'wch-content-' + randomBytes(4).toString('hex')),
    SESSION_SECRET: randomBytes(32).toString('hex'),
    ...env,
  });
}
