// Foresight: a gathering where participants rate trends from their phones
// while the strategy team watches the presenter screen, then reads the report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  startSamlet, launchBrowser, newContext, checkA11y, screenshot, text, samletBin,
} from './lib.mjs';

let server, browser, session;
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const TRENDS = ['1.1', '1.2', '2.3', '3.4'];

before(async () => {
  server = await startSamlet();
  browser = await launchBrowser();
  // The team creates the session with the CLI while the server runs on the same data dir.
  const file = path.join(server.dataDir, 'session.json');
  await writeFile(file, JSON.stringify({
    title: 'Fremtidens helse og omsorg 2030',
    trends: TRENDS.map((code) => ({ code })),
  }));
  const out = spawnSync(samletBin(), [
    'foresight', 'session', 'create', '--data-dir', server.dataDir, '--file', file,
    '--public-url', server.url, '--json',
  ], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stderr);
  session = JSON.parse(out.stdout);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function rateAll(page, imp, prep) {
  for (let i = 0; i < TRENDS.length; i++) {
    await page.locator(`#imp_${i}-${imp}`).check();
    await page.locator(`#prep_${i}-${prep}`).check();
  }
}

test('Kari joins on her phone by typing the code, gets told what is missing, and votes', async () => {
  const context = await newContext(browser, server, PHONE);
  const page = await context.newPage();
  try {
    await page.goto('/f');
    await checkA11y(page, 'foresight-code-phone');
    await page.getByLabel('Koden på skjermen').fill(session.join_code.toLowerCase());
    await page.getByRole('button', { name: 'Bli med' }).click();
    assert.match(await text(page.locator('h1')), /Fremtidens helse og omsorg 2030/);
    await screenshot(page, 'foresight-join-phone');
    await checkA11y(page, 'foresight-join-phone');
    await page.getByRole('button', { name: 'Bli med' }).click();
    assert.match(await text(page.locator('h1')), /Vurder trendene/);
    assert.ok(await page.getByText('Svært viktig').first().isVisible(), 'the study labels');
    await checkA11y(page, 'foresight-ballot-phone');
    await screenshot(page, 'foresight-ballot-phone');
    // Submitting half a ballot shows errors next to the missing answers and keeps the given ones.
    await page.locator('#imp_0-6').check();
    await page.getByRole('button', { name: 'Send svarene' }).click();
    assert.match(await text(page.locator('#errors')), /velg en verdi fra 1 til 6/);
    assert.ok(await page.locator('#imp_0-6').isChecked());
    await checkA11y(page, 'foresight-ballot-errors-phone');
    await screenshot(page, 'foresight-ballot-errors-phone');
    await page.getByLabel('Kliniker (lege, sykepleier)').check();
    await page.getByLabel('Antall års erfaring').fill('12');
    await rateAll(page, 6, 2);
    await page.getByRole('button', { name: 'Send svarene' }).click();
    assert.match(await text(page.getByRole('status')), /Svarene er lagret/);
    await screenshot(page, 'foresight-saved-phone');
  } finally {
    await context.close();
  }
});

test('Ola votes in English without JavaScript and then changes his mind', async () => {
  const context = await newContext(browser, server, { ...PHONE, javaScriptEnabled: false, locale: 'en-GB' });
  await context.setExtraHTTPHeaders({ 'Accept-Language': 'en-GB,en;q=0.9' });
  const page = await context.newPage();
  try {
    await page.goto(`/f/${session.join_code}`);
    await page.getByRole('button', { name: 'Join' }).click();
    assert.ok(await page.getByText('Very important').first().isVisible());
    await rateAll(page, 5, 3);
    await page.getByRole('button', { name: 'Submit answers' }).click();
    assert.match(await text(page.getByRole('status')), /Your answers are saved/);
    await rateAll(page, 4, 4);
    await page.getByRole('button', { name: 'Submit answers' }).click();
    assert.ok(await page.locator('#imp_0-4').isChecked(), 'the changed ballot is shown');
  } finally {
    await context.close();
  }
});

// A participant voting through the JSON API, as a phone app would.
async function apiVote(imp, prep) {
  const joined = await fetch(`${server.url}/api/v1/foresight/join`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ join_code: session.join_code }),
  });
  assert.equal(joined.status, 200);
  const { participant_token: token } = await joined.json();
  const r = await fetch(`${server.url}/api/v1/foresight/ballots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ ratings: TRENDS.map((trend) => ({ trend, importance: imp, preparedness: prep })) }),
  });
  assert.equal(r.status, 200);
}

test('The team sees only counts while open, reveals the results from five ballots, closes, and reads the blind spot and the report', async () => {
  const context = await newContext(browser, server);
  const page = await context.newPage();
  try {
    await page.goto(session.presenter_url);
    assert.ok(!page.url().includes('key='), 'the key does not stay in the address bar');
    assert.ok(await page.getByText(session.join_code, { exact: true }).isVisible());
    assert.ok(await page.getByRole('img', { name: /QR/ }).isVisible());
    assert.equal(await text(page.locator('#fs-voted')), '2');
    await screenshot(page, 'foresight-presenter-open');
    await checkA11y(page, 'foresight-presenter-open');
    // Two ballots: no results, and the reveal button waits for five.
    assert.equal(await page.getByRole('heading', { name: 'Strategisk blindsone' }).count(), 0);
    assert.ok(await page.getByRole('button', { name: 'Vis resultatene nå' }).isDisabled());
    for (let i = 0; i < 3; i++) { await apiVote(6, 1); }
    await page.reload();
    assert.equal(await text(page.locator('#fs-voted')), '5');
    await page.getByRole('button', { name: 'Vis resultatene nå' }).click();
    assert.ok(await page.getByText(/Resultatene ble vist mens evalueringen var åpen/).isVisible());
    assert.ok(await page.getByRole('heading', { name: 'Strategisk blindsone' }).isVisible());
    await screenshot(page, 'foresight-presenter-revealed');
    await checkA11y(page, 'foresight-presenter-revealed');
    await page.getByRole('button', { name: 'Avslutt evalueringen' }).click();
    assert.ok(await page.getByRole('heading', { name: 'Strategisk blindsone' }).isVisible());
    assert.ok(await page.locator('svg[role="img"]').first().isVisible(), 'blind-spot matrix');
    await screenshot(page, 'foresight-presenter-closed');
    await checkA11y(page, 'foresight-presenter-closed');
    await page.getByRole('link', { name: 'Rapport' }).click();
    assert.match(await text(page.locator('h1')), /Evaluering av trendene/);
    assert.ok(await page.getByRole('heading', { name: 'Metode' }).isVisible());
    await screenshot(page, 'foresight-report');
    await checkA11y(page, 'foresight-report');
  } finally {
    await context.close();
  }
});

test('Anyone can browse the library of driving forces and trends', async () => {
  const context = await newContext(browser, server);
  const page = await context.newPage();
  try {
    await page.goto('/foresight/library');
    assert.ok(await page.getByRole('heading', { name: /Politisk polarisering/ }).isVisible());
    await checkA11y(page, 'foresight-library');
    await screenshot(page, 'foresight-library');
  } finally {
    await context.close();
  }
});

test('The strategy team signs in, adds a trend in both languages, retires one, and creates a session from chosen trends', async () => {
  const tokens = JSON.parse(await readFile(path.join(server.dataDir, 'dev-tokens.json'), 'utf8'));
  const token = Object.values(tokens)[0];
  const context = await newContext(browser, server);
  const page = await context.newPage();
  try {
    await page.goto('/foresight/team');
    await checkA11y(page, 'foresight-team-sign-in');
    await page.getByLabel('Tilgangstoken').fill(token);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    assert.ok(await page.getByRole('heading', { name: 'Ny evaluering' }).isVisible());
    await checkA11y(page, 'foresight-team');
    await screenshot(page, 'foresight-team');
    await page.getByRole('link', { name: 'Ny trend' }).click();
    await page.getByLabel('Kode').fill('2.5');
    await page.getByLabel('Tema').selectOption('2');
    await page.getByLabel('Tittel (bokmål)').fill('Flere eldre bor hjemme');
    await page.getByLabel('Tittel (engelsk)').fill('More older people live at home');
    await page.getByLabel('Beskrivelse (bokmål)').fill('Kommunene planlegger for at flere bor hjemme lenger.');
    // Forgetting the English description gives an error next to the field.
    await page.getByLabel('Kilder').fill('Kommunens planstrategi 2025');
    await page.getByRole('button', { name: 'Lagre' }).click();
    assert.match(await text(page.locator('#errors')), /must not be blank/);
    await checkA11y(page, 'foresight-team-item-errors');
    await screenshot(page, 'foresight-team-item-errors');
    await page.getByLabel('Beskrivelse (engelsk)').fill('Municipalities plan for more people living at home for longer.');
    await page.getByRole('button', { name: 'Lagre' }).click();
    assert.ok(await page.locator('#item-2\\.5').getByText('Lagt til av teamet').isVisible());
    await page.getByRole('button', { name: 'Pensjoner 1.2' }).click();
    assert.ok(await page.locator('#item-1\\.2').getByText('Pensjonert').isVisible());
    await page.getByLabel('Tittel på evalueringen').fill('Valgt av teamet');
    await page.getByLabel('1.1 Økt etterspørsel').uncheck();
    assert.equal(await page.getByLabel('1.2 Produktivitet blir viktigere').count(), 0, 'retired trends are not offered');
    await page.getByRole('button', { name: 'Opprett evalueringen' }).click();
    assert.ok(await page.getByRole('heading', { name: 'Evalueringen er opprettet' }).isVisible());
    await checkA11y(page, 'foresight-team-created');
    const presenter = await page.getByRole('link', { name: /present\?key=/ }).getAttribute('href');
    await page.goto(presenter);
    assert.match(await text(page.locator('h1')), /Valgt av teamet/);
  } finally {
    await context.close();
  }
});
