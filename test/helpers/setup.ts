import { dropTestDatabases } from './db.js';

// Mocha root hooks: leave no test database behind on the server.
export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(300_000); // hundreds of databases on a loaded 2-core machine
    await dropTestDatabases();
  },
};
