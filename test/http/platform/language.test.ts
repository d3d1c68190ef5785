import assert from 'node:assert/strict';
import supertest from 'supertest';
import { buildUser } from '../../factories.js';
import { csrfFrom, signIn, startHttpsTestApp, startTestApp, type TestApp } from '../../helpers/http.js';

const htmlLang = (html: string) => /<html lang="([a-z]+)">/.exec(html)?.[1];
const switcherBack = (html: string) =>
  /action="\/language">[\s\S]*?name="back" value="([^"]*)"/.exec(html)?.[1];

describe('the page language and its switcher (HTTP)', function () {
  this.timeout(60_000); // the app migrates a fresh database; slow on a busy machine
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  describe('which language a page is in', () => {
    it('follows Accept-Language when nothing else is known', async () => {
      const res = await supertest(t.app).get('/signin').set('Accept-Language', 'fr-FR,fr;q=0.9');
      assert.equal(htmlLang(res.text), 'fr');
    });

    it('prefers the language cookie to Accept-Language', async () => {
      const res = await supertest(t.app)
        .get('/signin')
        .set('Accept-Language', 'fr')
        .set('Cookie', 'wch.lang=nl');
      assert.equal(htmlLang(res.text), 'nl');
      assert.match(res.text, /<h1>Inloggen<\/h1>/);
    });

    it('ignores a cookie that names no language of ours', async () => {
      const res = await supertest(t.app)
        .get('/signin')
        .set('Accept-Language', 'fr')
        .set('Cookie', 'wch.lang=xx');
      assert.equal(htmlLang(res.text), 'fr');
    });

    it('reads only the __Host- cookie behind HTTPS', async () => {
      const https = await startHttpsTestApp();
      try {
        const get = (cookie: string) =>
          supertest(https.app)
            .get('/signin')
            .set('X-Forwarded-Proto', 'https')
            .set('Accept-Language', 'fr')
            .set('Cookie', cookie);
        assert.equal(htmlLang((await get('__Host-wch.lang=nl')).text), 'nl');
        // Any site on the network path could set this one over plain HTTP.
        assert.equal(htmlLang((await get('wch.lang=nl')).text), 'fr');
      } finally {
        await https.close();
      }
    });

    it('prefers the user’s own setting to the cookie and Accept-Language', async () => {
      const user = await buildUser(t.ctx.db, { language: 'de' });
      const agent = await signIn(t.app, user.email, user.password);
      const res = await agent.get('/account').set('Accept-Language', 'fr').set('Cookie', 'wch.lang=nl');
      assert.equal(htmlLang(res.text), 'de');
      assert.match(res.text, /<h1>Mein Konto<\/h1>/);
    });
  });

  describe('POST /language', () => {
    it('saves the signed-in user’s language, sets the cookie and goes back', async () => {
      const user = await buildUser(t.ctx.db, { language: 'en' });
      const agent = await signIn(t.app, user.email, user.password);
      const _csrf = await csrfFrom(agent, '/account');
      const res = await agent.post('/language').type('form').send({ _csrf, lang: 'fr', back: '/account' });
      assert.equal(res.status, 303);
      assert.equal(res.headers.location, '/account');
      const row = await t.ctx.db('users').where({ id: user.id }).first('language');
      assert.equal(row.language, 'fr');
      const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
      assert.ok(
        cookies.some((c) => c.startsWith('wch.lang=fr;')),
        String(cookies),
      );
      const page = await agent.get('/account').set('Accept-Language', 'de');
      assert.equal(htmlLang(page.text), 'fr');
    });

    it('sets the __Host- Secure language cookie behind HTTPS', async () => {
      const https = await startHttpsTestApp();
      try {
        const agent = supertest.agent(https.app);
        const page = await agent.get('/signin').set('X-Forwarded-Proto', 'https');
        const _csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
        const cookies = ([] as string[])
          .concat(page.headers['set-cookie'] ?? [])
          .map((c) => c.split(';')[0])
          .join('; ');
        const res = await supertest(https.app)
          .post('/language')
          .set('X-Forwarded-Proto', 'https')
          .set('Cookie', cookies)
          .type('form')
          .send({ _csrf, lang: 'nl', back: '/signin' });
        assert.equal(res.status, 303);
        const lang = ([] as string[])
          .concat(res.headers['set-cookie'] ?? [])
          .find((c) => c.startsWith('__Host-wch.lang=nl;'));
        assert.ok(lang);
        assert.match(lang, /; Path=\//);
        assert.match(lang, /Secure/);
        assert.doesNotMatch(lang, /Domain=/);
      } finally {
        await https.close();
      }
    });

    it('refuses a change without a CSRF token (403) and keeps the setting', async () => {
      const user = await buildUser(t.ctx.db, { language: 'en' });
      const agent = await signIn(t.app, user.email, user.password);
      const res = await agent.post('/language').type('form').send({ lang: 'de', back: '/account' });
      assert.equal(res.status, 403);
      const row = await t.ctx.db('users').where({ id: user.id }).first('language');
      assert.equal(row.language, 'en');
    });

    it('sends an unknown language, or a `back` off this site, to the home page', async () => {
      const agent = supertest.agent(t.app);
      const _csrf = await csrfFrom(agent, '/signin');
      const cases = [
        { lang: 'xx', back: '/signin' },
        { lang: 'de', back: 'https://elsewhere.example/' },
        { lang: 'de', back: '//elsewhere.example/' },
        { lang: 'de', back: '/\\elsewhere.example/' },
      ];
      for (const fields of cases) {
        const res = await agent
          .post('/language')
          .type('form')
          .send({ _csrf, ...fields });
        assert.equal(res.status, 303, JSON.stringify(fields));
        assert.equal(res.headers.location, '/', JSON.stringify(fields));
      }
    });
  });

  describe('where the switcher leads back to', () => {
    it('is the page itself on a GET', async () => {
      const res = await supertest(t.app).get('/courses?page=1');
      assert.equal(switcherBack(res.text), '/courses?page=1');
    });

    it('is the form’s page, from a same-origin Referer, on a form shown again after a failed POST', async () => {
      const user = await buildUser(t.ctx.db);
      const agent = await signIn(t.app, user.email, user.password);
      const _csrf = await csrfFrom(agent, '/account');
      const post = (referer?: string) => {
        const req = agent.post('/account/password').set('Host', 'localhost:3000');
        if (referer) void req.set('Referer', referer);
        return req.type('form').send({ _csrf, current: user.password, password: 'short' });
      };
      const same = await post('http://localhost:3000/account');
      assert.equal(same.status, 422);
      assert.equal(switcherBack(same.text), '/account');
      // No Referer, or another site's: the home page, never the POST-only URL.
      for (const referer of [undefined, 'http://elsewhere.example/account', 'http://localhost:4000/x']) {
        const res = await post(referer);
        assert.equal(res.status, 422);
        assert.equal(switcherBack(res.text), '/', String(referer));
      }
    });
  });
});
