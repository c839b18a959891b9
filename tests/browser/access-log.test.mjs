// Browser tests for "Who has looked at my data" (/me/access-log).
// Run with tests/browser/run.sh (see README.md).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  startSamlet, launchBrowser, newContext, loginAs, checkA11y, screenshot, text,
} from './lib.mjs';

let server;
let browser;

before(async () => {
  server = await startSamlet();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A demo agency's dev token (the demo writes them to dev-tokens.json). */
async function devToken() {
  const tokens = JSON.parse(await readFile(path.join(server.dataDir, 'dev-tokens.json'), 'utf8'));
  const [token] = Object.values(tokens);
  assert.ok(token, 'the demo wrote no dev tokens');
  return token;
}

/** An agency reads a person's overview through the API, as Node (no browser). */
async function agencyReads(token, pid, headers) {
  const u = new URL(`${server.url}/api/v1/persons/${pid}/overview`);
  if (u.hostname === 'localhost') u.hostname = '127.0.0.1';
  return fetch(u, { headers: { authorization: `Bearer ${token}`, ...headers } });
}

test('NAV reads Kari\'s data with a purpose; Kari sees it verified on her access-log page', async () => {
  const kari = server.person('Kari');
  const token = await devToken();
  const refused = await agencyReads(token, kari.pid, {});
  assert.equal(refused.status, 400, 'a read without purpose is refused');
  const ok = await agencyReads(token, kari.pid, {
    'Samlet-Purpose': 'Behandle søknad om dagpenger',
    'Samlet-Legal-Basis': 'Folketrygdloven kapittel 4',
  });
  assert.equal(ok.status, 200);

  const context = await newContext(browser, server);
  try {
    const page = await context.newPage();
    await loginAs(page, kari.pid);
    await page.getByTestId('access-log-link').click();
    await page.waitForURL((u) => u.pathname === '/me/access-log');
    assert.equal(await text(page.locator('h1')), 'Hvem har sett på dataene mine');
    const rows = page.locator('[data-testid="access-entry"]');
    assert.equal(await rows.count(), 1);
    const row = await text(rows.first());
    assert.match(row, /Behandle søknad om dagpenger/);
    assert.match(row, /Folketrygdloven kapittel 4/);
    assert.match(row, /Bekreftet i den offentlige loggen/);
    assert.ok(!(await page.content()).includes(kari.pid), 'the full national id must not be on the page');
    await screenshot(page, 'access-log-nb');
    await checkA11y(page, 'access-log-nb');

    // English, and a filter that matches nothing.
    await page.goto('/lang/en?next=/me/access-log');
    assert.equal(await text(page.locator('h1')), 'Who has looked at my data');
    await page.locator('#f-from').fill('2999-01-01');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('from') === '2999-01-01'),
      page.getByRole('button', { name: 'Show' }).click(),
    ]);
    assert.equal(await rows.count(), 0);
    await screenshot(page, 'access-log-en-empty');
    await checkA11y(page, 'access-log-en-empty');
  } finally {
    await context.close();
  }
});

test('the access-log page works without JavaScript', async () => {
  const context = await newContext(browser, server, { javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await loginAs(page, server.person('Kari').pid);
    await page.goto('/me/access-log');
    assert.equal(await page.locator('[data-testid="access-log"]').count(), 1);
  } finally {
    await context.close();
  }
});
