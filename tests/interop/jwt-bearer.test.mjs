// NAV's system signs its JWT-bearer assertions with `jose`, a JOSE library
// independent of the one Samlet verifies with, using RS256 and ES256 keys
// that `jose` made; NAV registered their public JWKs with `samlet agency add`.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { agencyKey, assertion, grant, startSamlet, KARI_PID } from './lib.mjs';

let server;
let rsa;
let ec;

before(async () => {
  rsa = await agencyKey('RS256');
  ec = await agencyKey('ES256');
  server = await startSamlet({ keys: [rsa.jwk, ec.jwk] });
});

after(async () => {
  await server?.stop();
});

for (const alg of ['RS256', 'ES256']) {
  test(`an ${alg} assertion signed by jose gets a token that pushes a case`, async () => {
    const key = alg === 'RS256' ? rsa : ec;
    const { status, body } = await grant(server, await assertion(key, server.url));
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.token_type, 'Bearer');
    assert.match(body.scope, /samlet:write/);
    const r = await fetch(`${server.url}/api/v1/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${body.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ pid: KARI_PID, case_id: `jose-${alg}`, title: 'Sykepenger', status: 'received' }),
    });
    assert.equal(r.status, 200, await r.text());
  });
}

test('an assertion for another audience is refused', async () => {
  const jwt = await assertion(ec, 'https://samlet.elsewhere.example');
  const { status, body } = await grant(server, jwt);
  assert.equal(status, 400);
  assert.equal(body.error, 'invalid_grant');
});

test('an expired assertion is refused', async () => {
  const now = Math.floor(Date.now() / 1000);
  const jwt = await assertion(rsa, server.url, { iat: now - 300, exp: now - 240 });
  const { status, body } = await grant(server, jwt);
  assert.equal(status, 400);
  assert.equal(body.error, 'invalid_grant');
});

test('an assertion living longer than two minutes is refused', async () => {
  const now = Math.floor(Date.now() / 1000);
  const jwt = await assertion(rsa, server.url, { iat: now, exp: now + 3600 });
  const { status, body } = await grant(server, jwt);
  assert.equal(status, 400);
  assert.equal(body.error, 'invalid_grant');
});

test('a replayed jti is refused, also in a freshly signed assertion', async () => {
  const jwt = await assertion(ec, server.url);
  assert.equal((await grant(server, jwt)).status, 200);
  const again = await grant(server, jwt);
  assert.equal(again.status, 400);
  assert.equal(again.body.error, 'invalid_grant');
  assert.match(again.body.error_description, /already used/);
  // The same jti under a new signature (and another key) is the same assertion.
  const { jti } = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'));
  const resigned = await grant(server, await assertion(rsa, server.url, { jti }));
  assert.equal(resigned.status, 400);
  assert.match(resigned.body.error_description, /already used/);
});

test('an assertion signed by a key NAV never registered is refused', async () => {
  const stranger = await agencyKey('ES256');
  stranger.kid = ec.kid; // claims to be NAV's key
  const { status, body } = await grant(server, await assertion(stranger, server.url));
  assert.equal(status, 400);
  assert.equal(body.error, 'invalid_grant');
});
