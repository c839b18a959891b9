// Shared set-up for the interoperability tests: the real `samlet` binary as
// production runs it (no --dev), agencies registered with the CLI, keys from
// `jose`, and a small cookie-keeping HTTP client that follows redirects and
// submits forms the way a browser without JavaScript does.

import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as jose from 'jose';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..');

/** A real-format person id (the server runs without --dev, so no synthetic ids). */
export const KARI_PID = '01010750160';
/** NAV's organisation number and the client id it signs assertions as. */
export const NAV_ORG = '889640782';
export const NAV_CLIENT_ID = 'nav-samlet';
export const GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export function samletBin() {
  const target = process.env.CARGO_TARGET_DIR || path.join(REPO_ROOT, 'target');
  return path.resolve(REPO_ROOT, process.env.SAMLET_BIN || path.join(target, 'debug', 'samlet'));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Run the samlet CLI to completion; throws with its output on failure. */
export function samletCli(args) {
  const out = spawnSync(samletBin(), args, { encoding: 'utf8' });
  if (out.status !== 0) {
    throw new Error(`samlet ${args.join(' ')} failed (${out.status}):\n${out.stdout}\n${out.stderr}`);
  }
  return out.stdout;
}

/**
 * A key pair made by `jose` (not by Samlet's own JOSE library): the private
 * key signs assertions, the public JWK is what the agency registers.
 */
export async function agencyKey(alg) {
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
  const kid = `${alg.toLowerCase()}-${randomUUID()}`;
  const jwk = { ...(await jose.exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, jwk };
}

/** A JWT-bearer assertion signed with `key`; `claims` override the defaults. */
export async function assertion(key, audience, { iat, exp, jti, ...claims } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new jose.SignJWT({ scope: 'samlet:write', ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(NAV_CLIENT_ID)
    .setAudience(audience)
    .setIssuedAt(iat ?? now)
    .setExpirationTime(exp ?? now + 60)
    .setJti(jti ?? randomUUID())
    .sign(key.privateKey);
}

/** `POST /oauth/token` with an assertion; returns { status, body }. */
export async function grant(server, jwt) {
  const r = await fetch(`${server.url}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: GRANT, assertion: jwt }),
  });
  return { status: r.status, body: await r.json() };
}

/**
 * Start `samlet serve` (production settings) on `port` with a fresh data
 * directory. `keys` (JWKs) are registered for NAV before it starts; `oidc`
 * is { issuer, clientId, clientSecret } or absent.
 * Returns { url, dataDir, output(), stop() }.
 */
export async function startSamlet({ port, keys = [], oidc } = {}) {
  port ??= await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'samlet-interop-'));
  const url = `http://127.0.0.1:${port}`;
  if (keys.length > 0) {
    const file = path.join(dataDir, 'nav-jwks.json');
    await writeFile(file, JSON.stringify({ keys }));
    samletCli(['agency', 'add', '--org', NAV_ORG, '--name', 'NAV', '--data-dir', dataDir,
      '--jwks', file, '--client-id', NAV_CLIENT_ID]);
  }
  const args = ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir,
    '--public-url', url, '--log-format', 'pretty'];
  if (oidc) {
    args.push('--oidc-issuer', oidc.issuer, '--oidc-client-id', oidc.clientId);
  }
  const proc = spawn(samletBin(), args, {
    cwd: REPO_ROOT,
    // The client secret through the environment, as production passes it.
    env: { ...process.env, SAMLET_OIDC_CLIENT_SECRET: oidc?.clientSecret ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
  proc.stderr.setEncoding('utf8').on('data', (d) => { out += d; });
  let exited = null;
  const exit = new Promise((resolve) => proc.on('exit', (code, signal) => {
    exited = { code, signal };
    resolve();
  }));
  const stop = async () => {
    if (!exited) {
      proc.kill('SIGTERM');
      await exit;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`samlet serve exited (${JSON.stringify(exited)}):\n${out}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`samlet serve did not become healthy:\n${out}`);
    }
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok) break;
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  return { url, dataDir, output: () => out, stop };
}

/**
 * A browser without JavaScript: cookies per origin, redirects followed by
 * hand (so each hop can be seen), forms read from the HTML and submitted.
 */
export class Browser {
  #jar = new Map(); // origin -> Map(name -> value)

  #cookies(url) {
    const jar = this.#jar.get(new URL(url).origin);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }

  #keep(url, res) {
    const origin = new URL(url).origin;
    if (!this.#jar.has(origin)) this.#jar.set(origin, new Map());
    const jar = this.#jar.get(origin);
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone = attrs.some((a) => {
        const [k, v = ''] = a.trim().split('=');
        return (k.toLowerCase() === 'max-age' && Number(v) <= 0)
          || (k.toLowerCase() === 'expires' && Date.parse(v) < Date.now());
      });
      if (gone || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  }

  cookie(url, name) {
    return this.#jar.get(new URL(url).origin)?.get(name);
  }

  /** One request, no redirect followed. */
  async request(url, { method = 'GET', form, headers = {} } = {}) {
    const res = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { cookie: this.#cookies(url), ...headers },
      body: form ? new URLSearchParams(form) : undefined,
    });
    this.#keep(url, res);
    return res;
  }

  /**
   * Follow redirects and submit the forms of the pages on the way (filling
   * `fields` into inputs of those names) until a response comes from
   * `stopAt` (a URL prefix). Returns that response, not followed.
   */
  async browse(url, { stopAt, fields = {}, maxSteps = 20 }) {
    let res = await this.request(url);
    for (let step = 0; step < maxSteps; step++) {
      if (url.startsWith(stopAt)) return res;
      if (res.status >= 300 && res.status < 400) {
        url = new URL(res.headers.get('location'), url).href;
        res = await this.request(url);
        continue;
      }
      const html = await res.text();
      const form = /<form[^>]*action="([^"]*)"[^>]*method="post"/i.exec(html);
      if (res.status !== 200 || !form) {
        throw new Error(`stuck at ${url} (${res.status}):\n${html.slice(0, 2000)}`);
      }
      const values = {};
      for (const input of html.matchAll(/<input[^>]*>/gi)) {
        const name = /name="([^"]*)"/.exec(input[0])?.[1];
        if (!name) continue;
        values[name] = fields[name] ?? /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
      }
      url = new URL(form[1].replaceAll('&amp;', '&'), url).href;
      res = await this.request(url, { method: 'POST', form: values });
    }
    throw new Error(`no response from ${stopAt} within ${maxSteps} steps`);
  }
}
