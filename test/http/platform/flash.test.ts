import assert from 'node:assert/strict';
import { buildUser } from '../../factories.js';
import { postForm, signIn, startTestApp, type TestApp } from '../../helpers/http.js';

describe('messages shown once on the next page (HTTP)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('keeps the message for the page when a script’s request comes in between', async () => {
    const user = await buildUser(t.ctx.db);
    const agent = await signIn(t.app, user.email, user.password);
    const changed = await postForm(agent, '/account', '/account/password', {
      current: user.password,
      password: 'a brand new passphrase',
    });
    assert.equal(changed.status, 303);
    // e.g. an editor's autosave racing the redirect: answered without a page
    const script = await agent.get('/api/nothing-here').set('Accept', 'application/json');
    assert.equal(script.status, 404);
    assert.match(String(script.headers['content-type']), /json/);

    const page = await agent.get('/account');
    assert.match(page.text, /Your password was changed/);
    assert.doesNotMatch((await agent.get('/account')).text, /Your password was changed/, 'shown once');
  });
});
