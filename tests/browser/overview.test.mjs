// Browser tests for the citizen overview (/me) and the pages around it.
// Run with tests/browser/run.sh (see README.md).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startSamlet, launchBrowser, newContext, loginAs, logout, checkA11y, screenshot, text,
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

/** Run `fn(page, context)` in a fresh context; always closes it. */
async function withPage(options, fn) {
  const context = await newContext(browser, server, options);
  try {
    return await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

/** Rows of a table section as arrays of normalised cell texts. */
async function rows(page, testid) {
  const trs = page.locator(`[data-testid="${testid}"] tbody tr`);
  const out = [];
  for (const tr of await trs.all()) {
    const cells = [];
    for (const td of await tr.locator('td').all()) cells.push(await text(td));
    out.push(cells);
  }
  return out;
}

/** Fetch from Node (no browser cookies), following no redirects. */
async function get(url, headers = {}) {
  // The server prints http://localhost:PORT; it listens on 127.0.0.1 only, so
  // avoid Node picking ::1 for "localhost".
  const u = new URL(url);
  if (u.hostname === 'localhost') u.hostname = '127.0.0.1';
  return fetch(u, { redirect: 'manual', headers });
}

test('Kari logs in from the login page by clicking her button and lands on her overview', async () => {
  await withPage({}, async (page) => {
    const kari = server.person('Kari');
    await page.goto('/');
    await screenshot(page, 'landing-nb');
    await page.getByRole('link', { name: 'Logg inn for å se oversikten din' }).click();
    await page.waitForURL('**/login**');
    await screenshot(page, 'login-nb');
    await page.getByRole('button', { name: 'Kari Nordmann' }).click();
    await page.waitForURL((u) => u.pathname === '/me');
    assert.equal(await text(page.locator('h1')), 'Din oversikt');
    // Only the birth date part of the id is shown.
    assert.equal(await text(page.getByTestId('who')), `${kari.pid.slice(0, 6)}*****`);
    assert.ok(!(await page.content()).includes(kari.pid), 'the full national id must not be on the page');
    await screenshot(page, 'overview-nb');
  });
});

test('Kari sees her deadlines sorted by date, the overdue NAV meldekort marked "Fristen er passert"', async () => {
  await withPage({}, async (page) => {
    await loginAs(page, server.person('Kari').pid);
    const deadlines = await rows(page, 'deadlines');
    assert.ok(deadlines.length >= 3, `expected Kari's 3 deadlines, got ${JSON.stringify(deadlines)}`);
    const dates = await page.locator('[data-testid="deadlines"] tbody time').evaluateAll(
      (ts) => ts.map((t) => t.getAttribute('datetime')),
    );
    assert.deepEqual(dates, [...dates].sort(), `deadlines not sorted by date: ${dates}`);

    const overdue = page.locator('[data-testid="deadlines"] tbody tr.samlet-overdue');
    assert.equal(await overdue.count(), 1, 'exactly one overdue deadline');
    const row = await text(overdue);
    assert.match(row, /Fristen er passert/);
    assert.match(row, /Send meldekort/);
    assert.match(row, /NAV/);
    // The overdue one is the earliest, and its date is in the past.
    assert.match(deadlines[0][1], /Send meldekort/);
    const today = new Date().toISOString().slice(0, 10);
    assert.ok(dates[0] < today, `overdue deadline ${dates[0]} should be before ${today}`);
    // The others are not marked.
    for (const r of deadlines.slice(1)) assert.doesNotMatch(r.join(' '), /Fristen er passert/);
    assert.ok(deadlines.some((r) => /Send arbeidsavtale til NAV/.test(r[1]) && r[2] === 'NAV'));
    assert.ok(deadlines.some((r) => /skattemeldingen/.test(r[1]) && r[2] === 'Skatteetaten'));
  });
});

test('Kari sees her open cases with agency and status, and can open a case history', async () => {
  await withPage({}, async (page) => {
    await loginAs(page, server.person('Kari').pid);
    const cases = page.getByTestId('cases');
    assert.equal(await cases.getByRole('heading', { name: 'Åpne saker' }).count(), 1);
    const dp = cases.locator('li.samlet-case', { hasText: 'Søknad om dagpenger' });
    assert.match(await text(dp.locator('p').first()), /NAV · Venter på deg/);
    const bhg = cases.locator('li.samlet-case', { hasText: 'Søknad om barnehageplass' });
    assert.match(await text(bhg.locator('p').first()), /Oslo kommune · Under behandling/);

    // The history is collapsed until asked for.
    const history = dp.locator('details');
    assert.equal(await history.evaluate((d) => d.open), false);
    assert.equal(await dp.getByText('Vi trenger arbeidsavtalen din').isVisible(), false);
    await history.locator('summary').click();
    // Designsystemet animates the opening: wait for it rather than sample once.
    await dp.getByText('Vi trenger arbeidsavtalen din').waitFor({ state: 'visible', timeout: 5_000 });
    assert.equal(await history.evaluate((d) => d.open), true);
    const steps = await history.locator('li').allInnerTexts();
    assert.equal(steps.length, 3, `dagpenger history: ${steps}`);
    await screenshot(page, 'overview-case-history-nb');
  });
});

test('Kari sees her Barnetrygd benefit of 1 766,00 kr with the next payment date', async () => {
  await withPage({}, async (page) => {
    await loginAs(page, server.person('Kari').pid);
    const benefits = await rows(page, 'benefits');
    const bt = benefits.find((r) => r[0] === 'Barnetrygd');
    assert.ok(bt, `no Barnetrygd row in ${JSON.stringify(benefits)}`);
    assert.equal(bt[1], '1 766,00 kr');
    assert.equal(bt[3], 'NAV');
    const next = await page.locator('[data-testid="benefits"] tbody tr', { hasText: 'Barnetrygd' })
      .locator('time').getAttribute('datetime');
    assert.match(next, /^\d{4}-\d{2}-20$/, 'Barnetrygd is paid on the 20th');
  });
});

test('Kari opens an unread message, reads its body, and afterwards it is no longer unread', async () => {
  await withPage({}, async (page) => {
    await loginAs(page, server.person('Kari').pid);
    const msgs = page.getByTestId('messages');
    const unreadRows = msgs.locator('tbody tr.samlet-unread');
    const before = await unreadRows.count();
    assert.ok(before >= 1, 'Kari has unread messages');
    assert.equal(await text(msgs.locator('h2 .ds-tag')), `${before} ${before === 1 ? 'ulest' : 'uleste'}`);
    const row = msgs.locator('tbody tr', { hasText: 'Vi trenger mer informasjon' });
    assert.match(await text(row), /Ulest/);

    // Only a POST marks a message read: opening its address (a GET, as a
    // link preview or prefetch would) shows it and changes nothing.
    const action = await row.locator('form').getAttribute('action');
    assert.match(action, /\/me\/messages\/\d{9}\/M-DP-2\/read$/);
    await page.goto(action.replace(/\/read$/, ''));
    assert.equal(await text(page.locator('h1')), 'Vi trenger mer informasjon');
    assert.equal(await page.getByTestId('mark-read').count(), 1, 'the page offers to mark it read');
    await page.goto('/me');
    assert.equal(await unreadRows.count(), before, 'reading by GET left it unread');

    // From the list it opens through a small form (no JavaScript needed) that marks it read.
    await row.getByRole('button', { name: 'Vi trenger mer informasjon' }).click();
    await page.waitForURL(/\/me\/messages\/\d{9}\/M-DP-2$/);
    assert.equal(await page.getByTestId('mark-read').count(), 0, 'already read');
    assert.equal(await text(page.locator('h1')), 'Vi trenger mer informasjon');
    const body = await page.getByTestId('message-body').innerText();
    assert.match(body, /^Hei Kari,\n\nFor å behandle søknaden din trenger vi arbeidsavtalen/);
    assert.match(await text(page.locator('article')), /NAV/);
    await screenshot(page, 'message-nb');

    await page.getByRole('link', { name: '← Tilbake til oversikten' }).click();
    await page.waitForURL((u) => u.pathname === '/me');
    const after = msgs.locator('tbody tr', { hasText: 'Vi trenger mer informasjon' });
    assert.equal(await after.evaluate((tr) => tr.classList.contains('samlet-unread')), false);
    assert.doesNotMatch(await text(after), /Ulest/);
    assert.equal(await unreadRows.count(), before - 1);
    if (before - 1 > 0) assert.equal(await text(msgs.locator('h2 .ds-tag')), `${before - 1} ${before - 1 === 1 ? 'ulest' : 'uleste'}`);
    else assert.equal(await msgs.locator('h2 .ds-tag').count(), 0);
  });
});

test('Kari switches to English and sees English headings and "NOK 1,766.00"', async () => {
  await withPage({}, async (page) => {
    await loginAs(page, server.person('Kari').pid);
    await page.getByRole('navigation', { name: 'Språk' }).getByRole('link', { name: 'English' }).click();
    await page.waitForURL((u) => u.pathname === '/me');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await text(page.locator('h1')), 'Your overview');
    const h2 = (await page.locator('main h2').allInnerTexts()).map((s) => s.replace(/\s+\d+ unread$/, '').trim());
    for (const h of ['Deadlines', 'Cases', 'Benefits and payments', 'Messages']) {
      assert.ok(h2.includes(h), `missing heading "${h}" in ${JSON.stringify(h2)}`);
    }
    const bt = (await rows(page, 'benefits')).find((r) => r[0] === 'Barnetrygd');
    assert.equal(bt[1], 'NOK 1,766.00');
    assert.match(await text(page.getByTestId('deadlines')), /Overdue/);
    assert.match(await text(page.getByTestId('cases')), /Waiting for you/);
    assert.match(await text(page.locator('form[action="/auth/logout"]')), /Log out/);
    await screenshot(page, 'overview-en');

    // The choice sticks, and switching back works.
    await page.goto('/');
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.getByRole('link', { name: 'Norsk bokmål' }).click();
    await page.waitForLoadState();
    assert.equal(await page.locator('html').getAttribute('lang'), 'nb');
  });
});

test('Kari creates a calendar link that serves text/calendar with VEVENTs; revoking it makes the link 404', async () => {
  await withPage({}, async (page) => {
    await loginAs(page, server.person('Kari').pid);
    await page.getByTestId('calendar').getByRole('button', { name: 'Lag kalenderlenke' }).click();
    await page.waitForURL((u) => u.pathname === '/me/calendar');
    const url = await page.getByTestId('calendar-url').inputValue();
    assert.ok(url.startsWith(`${server.url}/calendar/`), `calendar url ${url} should be under ${server.url}/calendar/`);
    await screenshot(page, 'calendar-nb');

    const res = await get(url);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/calendar/);
    const ics = await res.text();
    assert.match(ics, /^BEGIN:VCALENDAR\r?\n/);
    const events = ics.match(/^BEGIN:VEVENT\r?$/gm) || [];
    assert.ok(events.length >= 3, `expected Kari's deadlines as VEVENTs, got ${events.length}:\n${ics}`);
    assert.match(ics, /Send meldekort/);
    assert.match(ics, /END:VCALENDAR\s*$/);

    await page.goto('/me');
    await page.locator('form[action="/me/calendar/revoke"] button').click();
    await page.waitForURL((u) => u.pathname === '/me');
    assert.match(await text(page.getByRole('status')), /Kalenderlenken er slettet/);
    const gone = await get(url);
    assert.equal(gone.status, 404);
  });
});

test('With JavaScript disabled, Kari can log in with her button, see her overview, make a calendar link and log out', async () => {
  await withPage({ javaScriptEnabled: false }, async (page) => {
    await page.goto('/login');
    await page.getByRole('button', { name: 'Kari Nordmann' }).click();
    await page.waitForURL((u) => u.pathname === '/me');
    assert.equal(await text(page.locator('h1')), 'Din oversikt');
    assert.match(await text(page.getByTestId('deadlines')), /Fristen er passert/);
    assert.match(await text(page.getByTestId('benefits')), /1 766,00 kr/);
    assert.match(await text(page.getByTestId('cases')), /Søknad om dagpenger/);
    // <details> works without script.
    const dp = page.getByTestId('cases').locator('li.samlet-case', { hasText: 'Søknad om dagpenger' });
    await dp.locator('summary').click();
    await dp.getByText('Vi trenger arbeidsavtalen din').waitFor({ state: 'visible', timeout: 5_000 });
    await screenshot(page, 'overview-nojs');

    await page.locator('form[action="/me/calendar"] button').click();
    await page.waitForURL((u) => u.pathname === '/me/calendar');
    assert.match(await page.getByTestId('calendar-url').inputValue(), /\/calendar\//);

    await page.goto('/me');
    await logout(page);
    await page.goto('/me');
    assert.equal(new URL(page.url()).pathname, '/login');
  });
});

test('On a phone (390x844) the pages fit the screen without horizontal scrolling', async () => {
  await withPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }, async (page) => {
    const overflow = () => page.evaluate(() => {
      const de = document.documentElement;
      const W = de.clientWidth;
      const over = (el) => el && el !== document.body && el.getBoundingClientRect().right > W + 0.5;
      // The outermost elements that stick out, and where they are.
      const wide = [...document.querySelectorAll('body *')]
        .filter((el) => over(el) && !over(el.parentElement))
        .map((el) => {
          const r = el.getBoundingClientRect();
          const where = el.closest('[data-testid]')?.getAttribute('data-testid');
          const cls = el.className ? '.' + String(el.className).trim().replace(/\s+/g, '.') : '';
          return `${el.tagName.toLowerCase()}${cls}${where ? ` in [data-testid=${where}]` : ''} (${Math.round(r.width)}px wide, right edge at ${Math.round(r.right)}px)`;
        })
        .slice(0, 8);
      return { scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, wide };
    });
    const problems = [];
    const check = async (name) => {
      const o = await overflow();
      await screenshot(page, `${name}-phone`);
      if (o.scrollWidth > o.clientWidth) {
        problems.push(`${name} (${page.url()}): page is ${o.scrollWidth}px wide on a ${o.clientWidth}px screen; too wide: ${o.wide.join(', ')}`);
      }
    };
    await page.goto('/');
    await check('landing');
    await page.goto('/login');
    await check('login');
    await loginAs(page, server.person('Kari').pid);
    await check('overview');
    await page.locator('[data-testid="messages"] tbody').locator('a, button').first().click();
    await page.waitForURL(/\/me\/messages\//);
    await check('message');
    await page.goto('/lang/en?next=/me');
    await check('overview-en');
    await page.goto('/me');
    await page.locator('form[action="/me/calendar"] button').click();
    await page.waitForURL((u) => u.pathname === '/me/calendar');
    await check('calendar-en');
    assert.ok(problems.length === 0, `horizontal scrolling on a phone:\n${problems.join('\n')}`);
  });
});

test('Logging out with the button in the header ends the session', async () => {
  await withPage({}, async (page, context) => {
    await loginAs(page, server.person('Ola').pid);
    const session = (await context.cookies()).find((c) => c.name === 'samlet_session');
    assert.ok(session, 'samlet_session cookie is set after login');
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');

    await logout(page);
    assert.equal((await context.cookies()).find((c) => c.name === 'samlet_session'), undefined);
    await page.goto('/me');
    assert.equal(new URL(page.url()).pathname, '/login');

    // The old cookie is dead on the server too, not just forgotten by the browser.
    const replay = await get(`${server.url}/me`, { cookie: `samlet_session=${session.value}` });
    assert.equal(replay.status, 303);
    assert.match(replay.headers.get('location'), /^\/login/);
  });
});

test('A visitor who opens /me without a session is sent to log in and then back to /me', async () => {
  await withPage({}, async (page) => {
    await page.goto('/me');
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/me');
    await page.getByRole('button', { name: 'Emma Hansen' }).click();
    await page.waitForURL((u) => u.pathname === '/me');
    assert.match(await text(page.getByTestId('messages')), /Husk å svare på søknaden/);
  });
});

// ---- Accessibility: axe-core, WCAG 2.1 A/AA, no suppressions. ----

const a11yPages = [
  { name: 'landing-nb', login: null, go: (p) => p.goto('/') },
  { name: 'login-nb', login: null, go: (p) => p.goto('/login') },
  { name: 'overview-nb', login: 'Kari', go: (p) => p.goto('/me') },
  { name: 'overview-en', login: 'Kari', go: (p) => p.goto('/lang/en?next=/me') },
  { name: 'landing-en', login: null, go: (p) => p.goto('/lang/en?next=/') },
  { name: 'overview-nn', login: 'Kari', go: (p) => p.goto('/lang/nn?next=/me') },
  { name: 'landing-nn', login: null, go: (p) => p.goto('/lang/nn?next=/') },
  { name: 'overview-da', login: 'Kari', go: (p) => p.goto('/lang/da?next=/me') },
  {
    name: 'message-nb',
    login: 'Ola',
    go: async (p) => {
      await p.goto('/me');
      await p.locator('[data-testid="messages"] tbody').locator('a, button').first().click();
      await p.waitForURL(/\/me\/messages\//);
    },
  },
  {
    name: 'calendar-nb',
    login: 'Amir',
    go: async (p) => {
      await p.goto('/me');
      await p.locator('form[action="/me/calendar"] button').click();
      await p.waitForURL((u) => u.pathname === '/me/calendar');
    },
  },
  {
    name: 'overview-calendar-revoked-nb',
    login: 'Amir',
    go: async (p) => {
      await p.goto('/me');
      await p.locator('form[action="/me/calendar/revoke"] button').click();
      await p.waitForURL((u) => u.pathname === '/me');
    },
  },
  { name: 'not-found-nb', login: null, go: (p) => p.goto('/no-such-page') },
];

for (const a of a11yPages) {
  test(`axe-core finds no WCAG 2.1 A/AA violations: ${a.name}`, async () => {
    await withPage({}, async (page) => {
      if (a.login) await loginAs(page, server.person(a.login).pid);
      await a.go(page);
      await screenshot(page, `a11y-${a.name}`);
      await checkA11y(page, a.name);
    });
  });
}
