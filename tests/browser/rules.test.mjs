// Rules as code: anyone can try the published child benefit rule and read why.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSamlet, launchBrowser, newContext, checkA11y, screenshot, text } from './lib.mjs';

let server, browser;
before(async () => {
  server = await startSamlet();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('Nora, without logging in or JavaScript, sees what child benefit a family gets and why', async () => {
  const context = await newContext(browser, server, { javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await page.goto('/rules/child-benefit');
    assert.match(await text(page.locator('h1')), /Prøv regelen/);
    await page.getByLabel('Måned (ÅÅÅÅ-MM)').fill('2024-09');
    await page.getByRole('button', { name: 'Forklar' }).click();
    const result = page.getByTestId('rules-result');
    await result.waitFor();
    const t = await text(result);
    assert.match(t, /Barnetrygd/);
    assert.match(t, /barnetrygdloven/);
    await screenshot(page, 'rules-result-nb');
  } finally {
    await context.close();
  }
});

test('the rules page and its result are accessible, in English too', async () => {
  const context = await newContext(browser, server, { locale: 'en-GB', extraHTTPHeaders: { 'Accept-Language': 'en-GB' } });
  const page = await context.newPage();
  try {
    await page.goto('/rules/child-benefit');
    await checkA11y(page, 'rules-form-en');
    await page.getByLabel('Month (YYYY-MM)').fill('2024-09');
    await page.getByRole('button', { name: 'Explain' }).click();
    await page.getByTestId('rules-result').waitFor();
    assert.match(await text(page.getByTestId('rules-result')), /Child benefit/);
    await screenshot(page, 'rules-result-en');
    await checkA11y(page, 'rules-result-en');
  } finally {
    await context.close();
  }
});

test('a broken household gives a readable error, not a crash', async () => {
  const context = await newContext(browser, server);
  const page = await context.newPage();
  try {
    await page.goto('/rules/child-benefit');
    await page.getByLabel('Husstanden (JSON)').fill('{"members": [{"id": "a", "shoe_size": 42}]}');
    await page.getByRole('button', { name: 'Forklar' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await text(alert), /shoe_size/);
    await checkA11y(page, 'rules-error-nb');
  } finally {
    await context.close();
  }
});
