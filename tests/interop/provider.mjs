// A real OpenID Connect provider (the npm package `oidc-provider`, a
// certified implementation) on a loopback port, set up as Samlet's tests
// need it:
//   - one client, `samlet`, with Samlet's redirect URI, client_secret_post
//     and PKCE (S256) required; a second client, `other-client`, exists too;
//   - any login name is an account, and `kari` carries the person id in a
//     `pid` claim of the `profile` scope. With the provider's defaults
//     (conformIdTokenClaims), a claim asked for by scope goes only to
//     UserInfo, never into the id_token: Samlet must read it there;
//   - rotateKeys() signs with a new key from then on (the old one stays in
//     the JWKS, as in a real rotation);
//   - readdressIdTokens(aud) re-signs the id_token of each token response
//     with the provider's own key for another audience: a genuinely signed
//     token that is not for Samlet.
// Every id_token handed out is kept in `issued` for the tests to inspect.
//
// Standalone: node provider.mjs http://127.0.0.1:8080/auth/callback PID
// prints the issuer and serves until interrupted.

import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';

import Provider from 'oidc-provider';
import * as jose from 'jose';

export const CLIENT_ID = 'samlet';
export const CLIENT_SECRET = 'samlet-test-client-secret';
export const OTHER_CLIENT_ID = 'other-client';
export const ACCOUNT = 'kari';

async function signingKey() {
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  const jwk = await jose.exportJWK(privateKey);
  return { ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' };
}

/**
 * Start the provider. `redirectUri` is Samlet's `/auth/callback`; `pid` the
 * person id the `kari` account carries.
 * Returns { issuer, issued, rotateKeys(), readdressIdTokens(aud|null), currentKid(), stop() }.
 */
export async function startProvider({ redirectUri, pid }) {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  let keys = [await signingKey()];
  let readdressTo = null;
  const issued = [];

  const build = () => {
    const provider = new Provider(issuer, {
      clients: [CLIENT_ID, OTHER_CLIENT_ID].map((client_id) => ({
        client_id,
        client_secret: client_id === CLIENT_ID ? CLIENT_SECRET : 'other-secret',
        redirect_uris: [redirectUri],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['authorization_code'],
        response_types: ['code'],
      })),
      pkce: { required: () => true },
      jwks: { keys },
      cookies: { keys: ['samlet-interop-test-cookie-key'] },
      claims: { openid: ['sub'], profile: ['name', 'pid'] },
      findAccount: async (ctx, sub) => ({
        accountId: sub,
        claims: async () => (sub === ACCOUNT
          ? { sub, name: 'Kari Nordmann', pid }
          : { sub, name: sub }),
      }),
    });
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.path !== '/token' || !ctx.body?.id_token) return;
      let token = ctx.body.id_token;
      if (readdressTo) {
        const payload = { ...jose.decodeJwt(token), aud: readdressTo };
        const key = await jose.importJWK(keys[0], 'RS256');
        token = await new jose.SignJWT(payload)
          .setProtectedHeader({ alg: 'RS256', kid: keys[0].kid, typ: 'JWT' })
          .sign(key);
        ctx.body = { ...ctx.body, id_token: token };
      }
      issued.push({ header: jose.decodeProtectedHeader(token), claims: jose.decodeJwt(token) });
    });
    return provider;
  };

  let handler = build().callback();
  server.on('request', (req, res) => handler(req, res));

  return {
    issuer,
    issued,
    currentKid: () => keys[0].kid,
    async rotateKeys() {
      keys = [await signingKey(), keys[0]];
      handler = build().callback();
    },
    readdressIdTokens(aud) {
      readdressTo = aud;
    },
    stop: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [redirectUri = 'http://127.0.0.1:8080/auth/callback', pid = '01010750160'] = process.argv.slice(2);
  const p = await startProvider({ redirectUri, pid });
  console.log(`issuer ${p.issuer}  client ${CLIENT_ID} / ${CLIENT_SECRET}  log in as "${ACCOUNT}"`);
}
