// Kari logs in to Samlet through a real OpenID Connect provider process (the
// npm package `oidc-provider`, set up in provider.mjs): authorization code
// with PKCE and nonce, through the provider's own login and consent pages,
// to a session that shows what NAV has going on with her. The provider keeps
// her `pid` out of the id_token (its default), so Samlet reads it from
// UserInfo. Then the provider rotates its signing keys, and then hands out
// an id_token for another client.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import {
  agencyKey, assertion, Browser, freePort, grant, startSamlet, KARI_PID,
} from './lib.mjs';
import {
  startProvider, ACCOUNT, CLIENT_ID, CLIENT_SECRET, OTHER_CLIENT_ID,
} from './provider.mjs';

let provider;
let server;

before(async () => {
  const port = await freePort();
  provider = await startProvider({ redirectUri: `http://127.0.0.1:${port}/auth/callback`, pid: KARI_PID });
  const nav = await agencyKey('ES256');
  server = await startSamlet({
    port,
    keys: [nav.jwk],
    oidc: { issuer: provider.issuer, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
  });
  // NAV has a case for Kari.
  const { status, body } = await grant(server, await assertion(nav, server.url));
  assert.equal(status, 200, JSON.stringify(body));
  const r = await fetch(`${server.url}/api/v1/cases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${body.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ pid: KARI_PID, case_id: 'sykepenger-1', title: 'Søknad om sykepenger', status: 'received' }),
  });
  assert.equal(r.status, 200, await r.text());
});

after(async () => {
  await server?.stop();
  await provider?.stop();
});

/** Kari logs in from a fresh browser; returns Samlet's callback response and the browser. */
async function kariLogsIn() {
  const browser = new Browser();
  const start = await browser.request(`${server.url}/auth/login?next=/me`);
  assert.equal(start.status, 303);
  const toProvider = new URL(start.headers.get('location'));
  assert.equal(toProvider.origin, provider.issuer);
  assert.equal(toProvider.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(toProvider.searchParams.get('nonce'), 'a nonce');
  const callback = await browser.browse(toProvider.href, {
    stopAt: `${server.url}/auth/callback`,
    fields: { login: ACCOUNT, password: 'any' },
  });
  return { callback, browser };
}

async function overviewOf(browser) {
  const r = await browser.request(`${server.url}/api/v1/me/overview`);
  assert.equal(r.status, 200);
  return r.json();
}

test('Kari logs in with code, PKCE and nonce and sees her NAV case', async () => {
  const { callback, browser } = await kariLogsIn();
  assert.equal(callback.status, 303, `${await callback.text()}\n${server.output()}`);
  assert.equal(callback.headers.get('location'), '/me');
  assert.ok(browser.cookie(server.url, 'samlet_session'), 'a session');
  const overview = await overviewOf(browser);
  assert.deepEqual(overview.cases.map((c) => c.title), ['Søknad om sykepenger']);
  // The provider's id_token did not carry the pid: UserInfo did.
  const last = provider.issued.at(-1);
  assert.equal(last.claims.aud, CLIENT_ID);
  assert.equal(last.claims.pid, undefined);
  assert.ok(last.claims.nonce);
});

test('Kari logs in after the provider rotated its signing keys', async () => {
  const before = provider.currentKid();
  await provider.rotateKeys();
  assert.notEqual(provider.currentKid(), before);
  const { callback, browser } = await kariLogsIn();
  assert.equal(callback.status, 303, `${await callback.text()}\n${server.output()}`);
  assert.equal(provider.issued.at(-1).header.kid, provider.currentKid());
  const overview = await overviewOf(browser);
  assert.equal(overview.cases.length, 1);
});

test('an id_token for another client is refused', async () => {
  provider.readdressIdTokens(OTHER_CLIENT_ID);
  try {
    const { callback, browser } = await kariLogsIn();
    assert.equal(callback.status, 400);
    const problem = await callback.json();
    assert.match(problem.detail, /id_token was refused/);
    assert.equal(provider.issued.at(-1).claims.aud, OTHER_CLIENT_ID);
    assert.equal(browser.cookie(server.url, 'samlet_session'), undefined);
    assert.equal((await browser.request(`${server.url}/api/v1/me/overview`)).status, 401);
  } finally {
    provider.readdressIdTokens(null);
  }
});
