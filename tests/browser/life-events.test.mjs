// Life events: Kari had a baby three weeks ago (the demo's Folkeregisteret reported the birth).
// She finds the new-parent checklist and a child benefit offer in her overview, and ticks off a task.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startSamlet, launchBrowser, newContext, loginAs, checkA11y, screenshot, text,
} from './lib.mjs';

let server, browser;
before(async () => {
  server = await startSamlet();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('Kari sees the new-parent journey and the child benefit offer with the reason', async () => {
  const context = await newContext(browser, server);
  const page = await context.newPage();
  try {
    await loginAs(page, server.person('Kari').pid);
    const journeys = page.getByTestId('journeys');
    assert.match(await text(journeys), /Nybakt forelder/);
    const offers = page.getByTestId('offers');
    assert.match(await text(offers), /Du kan ha rett til barnetrygd/);
    await offers.getByText('Hvorfor?').click();
    // The explanation opens (a <details>, no JavaScript of ours): wait until it is shown.
    const why = offers.getByText(/barnetrygdloven/).first();
    await why.waitFor({ state: 'visible' });
    assert.match(await text(offers), /barnetrygdloven/);
    await screenshot(page, 'life-events-overview-nb');
    await checkA11y(page, 'life-events-overview-nb');
  } finally {
    await context.close();
  }
});

test('Kari marks "Meld barnets navn" done without JavaScript', async () => {
  const context = await newContext(browser, server, { javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await loginAs(page, server.person('Kari').pid);
    await page.getByTestId('journeys').getByRole('link', { name: 'Nybakt forelder' }).click();
    const task = page.getByTestId('task-name');
    assert.match(await text(task), /Meld barnets navn/);
    assert.match(await text(task), /Ikke gjort/);
    const before = await text(page.getByTestId('progress'));
    await task.getByRole('button', { name: /Merk som gjort/ }).click();
    await page.getByRole('status').waitFor();
    assert.match(await text(page.getByTestId('task-name')), /Gjort/);
    assert.notEqual(await text(page.getByTestId('progress')), before);
    // NAV's own task has no button for Kari.
    assert.equal(await page.getByTestId('task-child-benefit').getByRole('button').count(), 0);
    await screenshot(page, 'life-events-checklist-nb');
  } finally {
    await context.close();
  }
});

test('the checklist is accessible, in English and on a phone', async () => {
  const context = await newContext(browser, server, {
    locale: 'en-GB',
    extraHTTPHeaders: { 'Accept-Language': 'en-GB' },
    viewport: { width: 390, height: 844 },
    isMobile: true,
  });
  const page = await context.newPage();
  try {
    await loginAs(page, server.person('Kari').pid);
    await page.getByTestId('journeys').getByRole('link', { name: 'New parent' }).click();
    assert.match(await text(page.locator('h1')), /New parent/);
    assert.match(await text(page.getByTestId('checklist')), /Apply for parental benefit/);
    await screenshot(page, 'life-events-checklist-en-phone');
    await checkA11y(page, 'life-events-checklist-en-phone');
  } finally {
    await context.close();
  }
});

test('Amir answers the restaurant questions without JavaScript; the answers show as self-declared', async () => {
  const context = await newContext(browser, server, { javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await loginAs(page, server.person('Amir').pid);
    await page.getByTestId('journeys').getByRole('link', { name: 'Starte restaurant' }).click();
    const questions = page.getByTestId('questions');
    assert.match(await text(questions), /Spørsmål bare du kan svare på/);
    // Before: the licence to serve alcohol "may apply".
    assert.match(await text(page.getByTestId('task-alcohol-licence')), /Kan gjelde deg/);
    const alcohol = page.getByTestId('question-serves_alcohol');
    await alcohol.getByLabel('Ja').check();
    await page.getByTestId('question-has_employees').getByLabel('Nei').check();
    await questions.getByRole('button', { name: 'Lagre svarene' }).click();
    await page.getByRole('status').waitFor();
    const licence = page.getByTestId('task-alcohol-licence');
    assert.doesNotMatch(await text(licence), /Kan gjelde deg/);
    assert.match(await text(page.getByTestId('self-declared-alcohol-licence')), /Skal servere alkohol: Ja.*Egenerklært/s);
    assert.equal(await page.getByTestId('task-hms-card').count(), 0);
    await screenshot(page, 'life-events-questions-answered-nb');
  } finally {
    await context.close();
  }
});

test('the questions and self-declared answers are accessible', async () => {
  // axe needs JavaScript; the previous test answered without it.
  const context = await newContext(browser, server);
  const page = await context.newPage();
  try {
    await loginAs(page, server.person('Amir').pid);
    await page.getByTestId('journeys').getByRole('link', { name: 'Starte restaurant' }).click();
    await page.getByTestId('questions').waitFor();
    await checkA11y(page, 'life-events-questions-nb');
  } finally {
    await context.close();
  }
});

test('Ola sees the funeral grant offer; the pages read in Danish too', async () => {
  const context = await newContext(browser, server, {
    locale: 'da-DK',
    extraHTTPHeaders: { 'Accept-Language': 'da-DK' },
  });
  const page = await context.newPage();
  try {
    await loginAs(page, server.person('Ola').pid);
    const offers = page.getByTestId('offers');
    assert.match(await text(offers), /Du kan have ret til begravelseshjælp: op til 16/);
    assert.match(await text(page.getByTestId('journeys')), /Livsbegivenheder/);
    await checkA11y(page, 'life-events-offer-da');
    await page.getByTestId('journeys').getByRole('link', { name: /Dødsfald i den nærmeste familie/ }).click();
    assert.match(await text(page.getByTestId('checklist')), /Ikke udført|Udført/);
    await screenshot(page, 'life-events-checklist-da');
    await checkA11y(page, 'life-events-checklist-da');
  } finally {
    await context.close();
  }
});
