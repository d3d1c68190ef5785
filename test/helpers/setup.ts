import { dropTestDatabases } from './db.js';

// Mocha root hooks: leave no test database behind on the server.
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await dropTestDatabases();
  },
};
