// Self-tests for lib.mjs: the checks must be able to fail, or a green run
// means nothing.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, checkA11y, parseDemoPersons } from './lib.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('checkA11y fails with a readable list when a page has WCAG violations', async () => {
  const page = await browser.newPage();
  try {
    await page.setContent(`<!doctype html><html><head><title>bad</title></head><body>
      <main><h1>Bad page</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="no-alt">
      <input id="no-label" type="text"></main></body></html>`);
    await assert.rejects(checkA11y(page, 'bad-page'), (e) => {
      assert.match(e.message, /"bad-page"/);
      assert.match(e.message, /\[critical\] image-alt: Images must have alternative text/);
      assert.match(e.message, /#no-alt/);
      assert.match(e.message, /label/);
      assert.match(e.message, /html lang|html-has-lang/);
      return true;
    });
  } finally {
    await page.close();
  }
});

test('checkA11y passes an accessible page', async () => {
  const page = await browser.newPage();
  try {
    await page.setContent(`<!doctype html><html lang="en"><head><title>good</title></head><body>
      <main><h1>Good page</h1><label for="x">Name</label><input id="x" type="text"></main></body></html>`);
    const r = await checkA11y(page, 'good-page');
    assert.ok(r.passes.length > 0);
  } finally {
    await page.close();
  }
});

test('parseDemoPersons reads the persons block printed by samlet demo', () => {
  const out = `
Samlet demo is running. Open http://localhost:1234/ in your browser.

Log in as one of these synthetic persons (dev login):
  Kari Nordmann   12848810000
  Ola Nordmann    30895910070

Agency API dev tokens are in /tmp/x/dev-tokens.json :
{
  "889640782 NAV": "samlet_dev_abc"
}`;
  assert.deepEqual(parseDemoPersons(out), [
    { name: 'Kari Nordmann', pid: '12848810000' },
    { name: 'Ola Nordmann', pid: '30895910070' },
  ]);
});
