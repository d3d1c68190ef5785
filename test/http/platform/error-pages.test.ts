import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser } from '../../factories.js';
import { signIn, startTestApp, type TestApp } from '../../helpers/http.js';

describe('error pages in the visitor’s language (HTTP)', function () {
  this.timeout(60_000); // each app migrates a fresh database; slow on a busy machine
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('answers an oversized form, refused before the language middleware, in the negotiated language', async () => {
    const res = await supertest(t.app)
      .post('/signin')
      .set('Accept-Language', 'de-DE,de;q=0.9,en;q=0.5')
      .type('form')
      .send({ email: 'x'.repeat(2_000_000) });
    assert.equal(res.status, 413);
    assert.match(res.text, /<html lang="de">/);
    assert.match(res.text, /<title>Fehler 413/);
    assert.match(res.text, /Was Sie gesendet haben, ist zu groß\./);
    // No session or CSRF token exists yet: a switcher would only lead to a 403.
    assert.doesNotMatch(res.text, /action="\/language"/);
    assert.doesNotMatch(res.text, /name="_csrf" value=""/);
  });

  it('answers a failing session store in the negotiated language, without a switcher', async () => {
    const own = await startTestApp();
    try {
      const user = await buildUser(own.ctx.db);
      const agent = await signIn(own.app, user.email, user.password);
      await own.ctx.db.schema.renameTable('sessions', 'sessions_away');
      const res = await agent.get('/account').set('Accept-Language', 'fr');
      assert.equal(res.status, 500);
      assert.match(res.text, /<html lang="fr">/);
      assert.match(res.text, /<title>Erreur 500/);
      assert.doesNotMatch(res.text, /action="\/language"/);
    } finally {
      await own.close();
    }
  });

  it('keeps the switcher, with language names and a token, on errors after the language middleware', async () => {
    const res = await supertest(t.app).get('/no-such-page').set('Accept-Language', 'nl');
    assert.equal(res.status, 404);
    assert.match(res.text, /<html lang="nl">/);
    assert.match(res.text, /<option value="nl" lang="nl" selected>Nederlands<\/option>/);
    assert.match(res.text, /<option value="de" lang="de" >Deutsch<\/option>/);
    assert.match(res.text, /action="\/language">\s*<input type="hidden" name="_csrf" value="[^"]+">/);
  });
});
