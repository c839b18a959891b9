// Browser tests for representation and consent: acting for someone within a mandate's
// scope (seeing, and acting: answering a consent request and opening a message for a child),
// the guardian's searchable list, giving and revoking a mandate without JavaScript, answering a
// consent request in plain language, and the pages in bokmål, English and Danish. Run with tests/browser/run.sh (see README.md).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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

test('Kari acts for Ola within benefits only, and Ola sees her look in his access log', async () => {
  const kari = server.person('Kari');
  const ola = server.person('Ola');
  const context = await newContext(browser, server);
  try {
    const page = await context.newPage();
    await loginAs(page, kari.pid);
    await page.goto('/me');
    await page.getByRole('link', { name: 'Handle på vegne av andre' }).click();
    await page.waitForURL((u) => u.pathname === '/me/acting-for');
    const people = page.locator('[data-testid="person"]');
    const names = await people.allInnerTexts();
    assert.ok(names.some((n) => n.includes('Ola Nordmann')), names.join(' | '));
    assert.ok(names.some((n) => n.includes('Emma Hansen')), 'parental authority over Emma');
    await checkA11y(page, 'acting-for-nb');
    await page.getByRole('link', { name: 'Ola Nordmann' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/me/acting-for/'));
    // The address holds an opaque handle, not Ola's identity number.
    assert.ok(!page.url().includes(ola.pid) && !page.url().includes(ola.pid.slice(0, 6)), page.url());
    const banner = await text(page.getByTestId('acting-banner'));
    assert.match(banner, /Du handler nå på vegne av Ola Nordmann/);
    assert.match(banner, /stønader og ytelser/);
    assert.match(banner, /Du kan se, men ikke handle/, 'Ola\'s mandate only allows reading');
    assert.equal(await page.getByRole('button', { name: /^Åpne/ }).count(), 0);
    const body = await text(page.locator('main'));
    assert.match(body, /Søknad om alderspensjon/);
    assert.match(body, /Alderspensjon/);
    assert.doesNotMatch(body, /førerkortet/, 'Statens vegvesen (transport) is outside the mandate');
    await screenshot(page, 'represented-nb');
    await checkA11y(page, 'represented-nb');
  } finally {
    await context.close();
  }
  const context2 = await newContext(browser, server);
  try {
    const page = await context2.newPage();
    await loginAs(page, ola.pid);
    await page.goto('/me/access-log');
    const row = await text(page.locator('[data-testid="access-entry"]').first());
    assert.match(row, /Kari Nordmann/);
    assert.match(row, /på vegne av Ola Nordmann/);
    assert.ok(!row.includes(kari.pid), 'Kari by name, not by identity number');
    assert.match(row, /Handlet på dine vegne, innenfor: stønader og ytelser/);
  } finally {
    await context2.close();
  }
});

// axe-core runs as page script, so the accessibility checks use a context with JavaScript on.
// Before the next test answers Emma's consent request, so the page shows the request's buttons.
test('the acting-for pages with their buttons are axe-clean in bokmål, English and Danish', async () => {
  const context = await newContext(browser, server);
  try {
    const page = await context.newPage();
    await loginAs(page, server.person('Kari').pid);
    for (const lang of ['nb', 'en', 'da']) {
      await page.goto(`/lang/${lang}?next=/me/acting-for`);
      await checkA11y(page, `acting-for-${lang}`);
      await page.getByRole('link', { name: 'Emma Hansen' }).click();
      await page.waitForURL((u) => u.pathname.startsWith('/me/acting-for/'));
      assert.equal(await page.locator('[data-testid="act-request"]').count(), 1);
      await screenshot(page, `represented-act-${lang}`);
      await checkA11y(page, `represented-act-${lang}`);
    }
    // Still in Danish: the whole page, the banner and the buttons.
    assert.match(await text(page.getByTestId('acting-banner')), /Du handler nu på vegne af Emma Hansen/);
    assert.match(await text(page.locator('main')), /Anmodninger om samtykke, du kan svare på for personen/);
    await page.goto('/me/mandates');
    assert.equal(await text(page.locator('h1')), 'Fuldmagter');
    await checkA11y(page, 'mandates-da');
    await page.goto('/me/consents');
    await checkA11y(page, 'consents-da');
    await page.goto('/me/access-log');
    await checkA11y(page, 'access-log-da');
    await page.goto('/lang/nb?next=/me');
  } finally {
    await context.close();
  }
});

test('Kari acts for Emma without JavaScript: answers a consent request and opens a message; Emma sees both', async () => {
  const kari = server.person('Kari');
  const emma = server.person('Emma');
  const context = await newContext(browser, server, { javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await loginAs(page, kari.pid);
    await page.goto('/me/acting-for');
    await page.getByRole('link', { name: 'Emma Hansen' }).click();
    await page.waitForURL((u) => u.pathname.startsWith('/me/acting-for/'));
    assert.ok(!page.url().includes(emma.pid), page.url());
    const request = page.locator('[data-testid="act-request"]');
    assert.match(await text(request), /Oslo kommune ber om å få saker fra Lånekassen/);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('flash') === 'approved'),
      request.getByRole('button', { name: 'Ja, del opplysningene' }).click(),
    ]);
    assert.match(await text(page.getByTestId('flash')), /Du har svart ja på vegne av personen/);
    assert.equal(await page.locator('[data-testid="act-request"]').count(), 0);
    await Promise.all([
      page.waitForURL((u) => u.pathname.endsWith('/open')),
      page.getByRole('button', { name: /^Åpne\s*: Husk å svare på søknaden$/ }).click(),
    ]);
    assert.match(await text(page.getByTestId('message-body')), /Du har en søknad som venter på deg/);
    assert.match(await text(page.getByTestId('acting-banner')), /Emma Hansen/);
    await screenshot(page, 'represented-message-nb');
  } finally {
    await context.close();
  }
  const context2 = await newContext(browser, server);
  try {
    const page = await context2.newPage();
    await loginAs(page, emma.pid);
    await page.goto('/me/consents');
    assert.equal(await page.locator('[data-testid="consent"]').count(), 1, 'approved for her');
    await page.goto('/me/access-log');
    const rows = await page.locator('[data-testid="access-entry"]').allInnerTexts();
    const all = rows.join('\n');
    assert.match(all, /Godtok en samtykkeforespørsel på dine vegne/);
    assert.match(all, /Åpnet en melding på dine vegne/);
    assert.match(all, /Kari Nordmann/);
    assert.ok(!all.includes(kari.pid), 'no identity numbers on the page');
    await checkA11y(page, 'access-log-acts-nb');
  } finally {
    await context2.close();
  }
});

test('a guardian searches the wards by name', async () => {
  const context = await newContext(browser, server);
  try {
    const page = await context.newPage();
    await loginAs(page, server.person('Amir').pid);
    await page.goto('/lang/en?next=/me/acting-for');
    assert.equal(await page.locator('[data-testid="person"]').count(), 5);
    await page.locator('#f-q').fill('dagny');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('q') === 'dagny'),
      page.getByRole('button', { name: 'Search' }).click(),
    ]);
    const found = await page.locator('[data-testid="person"]').allInnerTexts();
    assert.equal(found.length, 1);
    assert.match(found[0], /Dagny Strand/);
    assert.match(found[0], /Guardianship/);
    await checkA11y(page, 'acting-for-search-en');
  } finally {
    await context.close();
  }
});

test('Ola gives and revokes a mandate without JavaScript', async () => {
  const amir = server.person('Amir');
  const context = await newContext(browser, server, { javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await loginAs(page, server.person('Ola').pid);
    await page.goto('/me/mandates');
    // A number with a surname that is not that person's is refused exactly
    // like an unknown person, so the form cannot be used to look names up.
    await page.locator('#f-to').fill(amir.pid);
    await page.locator('#f-surname').fill('Nordmann');
    await page.locator('#s-health').check();
    await page.getByRole('button', { name: 'Gi fullmakt' }).click();
    const wrongName = await text(page.getByTestId('error'));
    assert.match(wrongName, /Vi finner ingen person med dette fødselsnummeret og etternavnet/);
    await page.locator('#f-to').fill('01010750160');
    await page.locator('#f-surname').fill('Haddad');
    await page.locator('#s-health').check();
    await page.getByRole('button', { name: 'Gi fullmakt' }).click();
    assert.equal(await text(page.getByTestId('error')), wrongName, 'an unknown number reads the same');
    // The register has "Amir Haddad": the surname in any case is enough.
    await page.locator('#f-to').fill(amir.pid);
    await page.locator('#f-surname').fill('HADDAD');
    await page.locator('#s-health').check();
    await page.locator('#f-valid-to').fill('2099-12-31');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('flash') === 'given'),
      page.getByRole('button', { name: 'Gi fullmakt' }).click(),
    ]);
    assert.match(await text(page.getByTestId('flash')), /Fullmakten er gitt/);
    // Ola already gave Kari a mandate for benefits (demo data); the new one is for health.
    const given = page.locator('[data-testid="given"] [data-testid="mandate"][data-state="active"]')
      .filter({ hasText: 'helse' });
    assert.equal(await given.count(), 1, 'the new mandate is listed');
    await screenshot(page, 'mandates-given-nb');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('flash') === 'revoked'),
      given.first().getByRole('button', { name: 'Trekk tilbake' }).click(),
    ]);
    assert.equal(await page.locator('[data-testid="given"] [data-testid="mandate"][data-state="revoked"]')
      .filter({ hasText: 'helse' }).count(), 1);
    // A refusal is shown next to the form, in words.
    await page.locator('#f-to').fill(server.person('Ola').pid);
    await page.locator('#f-surname').fill('Nordmann');
    await page.locator('#s-all').check();
    await page.getByRole('button', { name: 'Gi fullmakt' }).click();
    assert.match(await text(page.getByTestId('error')), /til deg selv/);
  } finally {
    await context.close();
  }
});

test('Amir reads Oslo kommune\'s consent request in plain language, approves and revokes it', async () => {
  const context = await newContext(browser, server, { javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await loginAs(page, server.person('Amir').pid);
    await page.goto('/me/consents');
    const req = page.locator('[data-testid="request"]');
    assert.equal(await req.count(), 1);
    const words = await text(req.first());
    assert.match(words, /Oslo kommune ber om å få saker, ytelser fra NAV/);
    assert.match(words, /Én samlet plan/);
    assert.match(words, /Gjelder til og med/);
    await screenshot(page, 'consent-request-nb');
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('flash') === 'approved'),
      req.first().getByRole('button', { name: 'Ja, del opplysningene' }).click(),
    ]);
    assert.equal(await page.locator('[data-testid="consent"]').count(), 1);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('flash') === 'consent-revoked'),
      page.getByRole('button', { name: 'Trekk tilbake samtykket' }).click(),
    ]);
    assert.equal(await page.locator('[data-testid="consent"]').count(), 0);
    assert.match(await text(page.getByTestId('history')), /Trukket tilbake/);
  } finally {
    await context.close();
  }
});

// axe-core runs as page script, so the accessibility checks use a context with JavaScript on.
test('the mandate and consent pages are axe-clean in bokmål and English, also with a refusal shown', async () => {
  const context = await newContext(browser, server);
  try {
    const page = await context.newPage();
    await loginAs(page, server.person('Kari').pid);
    await page.goto('/me/mandates');
    await checkA11y(page, 'mandates-nb');
    await page.locator('#f-to').fill(server.person('Kari').pid);
    await page.locator('#f-surname').fill('Nordmann');
    await page.locator('#s-tax').check();
    await page.getByRole('button', { name: 'Gi fullmakt' }).click();
    await page.getByTestId('error').waitFor();
    await checkA11y(page, 'mandates-error-nb');
    await page.goto('/me/consents');
    await checkA11y(page, 'consents-nb');
    await page.goto('/lang/en?next=/me/mandates');
    assert.equal(await text(page.locator('h1')), 'Powers of attorney');
    await checkA11y(page, 'mandates-en');
    await page.goto('/me/consents');
    await checkA11y(page, 'consents-en');
  } finally {
    await context.close();
  }
});
