// Shared helpers for Samlet's browser tests.
//
// A test module typically does:
//
//   import { test, before, after } from 'node:test';
//   import { startSamlet, launchBrowser, loginAs, checkA11y, screenshot } from './lib.mjs';
//   let server, browser;
//   before(async () => { server = await startSamlet(); browser = await launchBrowser(); });
//   after(async () => { await browser?.close(); await server?.stop(); });
//
// See README.md in this directory.

import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

/** tests/browser/ */
export const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository root (two levels up from tests/browser/). */
export const REPO_ROOT = path.resolve(HERE, '..', '..');
export const SCREENSHOT_DIR = path.join(HERE, 'screenshots');

/** Path of the `samlet` binary: $SAMLET_BIN (relative paths resolve from the repo root) or target/debug/samlet. */
export function samletBin() {
  const p = process.env.SAMLET_BIN || path.join('target', 'debug', 'samlet');
  return path.resolve(REPO_ROOT, p);
}

/** Path of the Chromium binary: $CHROMIUM_BIN or /usr/bin/chromium. */
export function chromiumBin() {
  return process.env.CHROMIUM_BIN || '/usr/bin/chromium';
}

/** WCAG 2.1 A/AA, the level public-sector sites in Norway must meet. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Parse the demo persons from `samlet demo` stdout. The block looks like
 *
 *   Log in as one of these synthetic persons (dev login):
 *     Kari Nordmann   12848810000
 *
 * Returns [{ name, pid }] in printed order.
 */
export function parseDemoPersons(stdout) {
  const persons = [];
  for (const line of stdout.split('\n')) {
    const m = /^\s+(\S.*?\S)\s{2,}(\d{11})\s*$/.exec(line);
    if (m) persons.push({ name: m[1], pid: m[2] });
  }
  return persons;
}

/**
 * Start `samlet demo` on a free loopback port with a fresh temporary data
 * directory and wait until /health answers.
 *
 * Returns {
 *   url        base URL as printed by the server, e.g. "http://localhost:PORT" (no trailing slash),
 *   port, dataDir, proc,
 *   persons    [{ name, pid }],
 *   person(first name or full name) -> { name, pid },
 *   output()   everything the server printed so far (stdout + stderr), for diagnostics,
 *   stop()     terminate the server and delete the data directory,
 * }
 */
export async function startSamlet({ extraArgs = [], env = {}, timeoutMs = 30_000 } = {}) {
  const bin = samletBin();
  let lastError;
  for (let attempt = 1; attempt <= 2; attempt++) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'samlet-browser-'));
    try {
      return await startOnce(bin, dataDir, extraArgs, env, timeoutMs);
    } catch (e) {
      lastError = e;
      await rm(dataDir, { recursive: true, force: true });
      // A slow start on a loaded machine: try once more.
    }
  }
  throw lastError;
}

async function startOnce(bin, dataDir, extraArgs, env, timeoutMs) {
  // Port 0: the server binds once and prints the port it got (no probe-and-drop race).
  const proc = spawn(
    bin,
    ['demo', '--listen', '127.0.0.1:0', '--data-dir', dataDir, ...extraArgs],
    { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
  proc.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    proc.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); });
    proc.on('error', (err) => { exited = { err }; resolve(exited); });
  });
  const output = () => `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;

  const stop = async () => {
    if (!exited) {
      proc.kill('SIGTERM');
      const t = setTimeout(() => { if (!exited) proc.kill('SIGKILL'); }, 5_000);
      await exitPromise;
      clearTimeout(t);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  let port = null;
  let healthUrl = '(port not printed yet)';
  for (;;) {
    if (exited) {
      await rm(dataDir, { recursive: true, force: true });
      throw new Error(
        `samlet demo exited before it was healthy (${JSON.stringify(exited)}); binary ${bin}\n${output()}`,
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`samlet demo did not answer ${healthUrl} within ${timeoutMs} ms\n${output()}`);
    }
    if (port === null) {
      const m = /Open https?:\/\/[^\s/:]+:(\d+)\//.exec(stdout);
      if (!m) { await sleep(100); continue; }
      port = Number(m[1]);
      healthUrl = `http://127.0.0.1:${port}/health`;
    }
    try {
      const r = await fetch(healthUrl, { signal: AbortSignal.timeout(1_000) });
      // The persons are printed before the server starts listening; still,
      // wait until they are visible so tests can rely on them.
      if (r.ok && parseDemoPersons(stdout).length > 0) break;
    } catch {
      // not up yet
    }
    await sleep(100);
  }

  const printed = /(https?:\/\/[^\s/]+)\/?\s/.exec(stdout);
  const url = printed ? printed[1] : `http://127.0.0.1:${port}`;
  const persons = parseDemoPersons(stdout);
  const person = (name) => {
    const p = persons.find((x) => x.name === name || x.name.split(' ')[0] === name);
    if (!p) throw new Error(`no demo person "${name}"; have ${persons.map((x) => x.name).join(', ')}`);
    return p;
  };
  return { url, port, dataDir, proc, persons, person, output, stop };
}

/** Chromium flags: headless, and quiet on a closed network. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch the system Chromium through playwright-core. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumBin(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * A fresh browser context (own cookies) with Norwegian locale and a fixed
 * viewport, so output does not depend on the machine. Extra Playwright
 * context options (e.g. { javaScriptEnabled: false, viewport }) override.
 */
export async function newContext(browser, server, options = {}) {
  return browser.newContext({
    baseURL: server.url,
    locale: 'nb-NO',
    timezoneId: 'Europe/Oslo',
    viewport: { width: 1280, height: 900 },
    ...options,
  });
}

/**
 * Log in with the dev login by posting the pid as the login form would.
 * Works with JavaScript disabled (it fills and submits the real form).
 * Ends on /me (or on `next`).
 */
export async function loginAs(page, pid, { next } = {}) {
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  await page.locator('#pid').fill(pid);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.locator('#pid').locator('xpath=ancestor::form').locator('button[type=submit]').click(),
  ]);
}

/** Log out with the form in the header. Ends on /. */
export async function logout(page) {
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/'),
    page.locator('form[action="/auth/logout"] button[type=submit]').click(),
  ]);
}

let axeSource;
async function axeScript() {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/** Format axe violations as a readable list. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => {
          const target = n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(', ');
          const why = (n.failureSummary || '').split('\n').map((l) => `        ${l}`).join('\n');
          return `    - ${target}\n      html: ${n.html}\n${why}`;
        })
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Run axe-core (WCAG 2.1 A/AA) on the current page and throw a readable
 * error listing every violation (rule id, impact, help, target selectors).
 * Returns the full axe results when there are none.
 *
 * axe is evaluated through the DevTools protocol, so the page's strict
 * Content-Security-Policy (script-src 'self') needs no bypass. axe needs
 * JavaScript: call it on pages in a context with JavaScript enabled.
 */
export async function checkA11y(page, name, { tags = WCAG_TAGS } = {}) {
  const src = await axeScript();
  await page.evaluate(src);
  const results = await page.evaluate(
    (runTags) => window.axe.run(document, {
      runOnly: { type: 'tag', values: runTags },
      resultTypes: ['violations'],
    }),
    tags,
  );
  if (!results.testEngine || (results.passes.length === 0 && results.violations.length === 0)) {
    throw new Error(`axe did not run any rule on "${name}" (${page.url()})`);
  }
  if (results.violations.length > 0) {
    const count = results.violations.reduce((n, v) => n + v.nodes.length, 0);
    throw new Error(
      `axe: ${results.violations.length} WCAG 2.1 A/AA rule(s) violated on "${name}" (${page.url()}), ${count} element(s):\n${formatViolations(results.violations)}`,
    );
  }
  return results;
}

/** Save a full-page screenshot to tests/browser/screenshots/NAME.png. */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Visible text of a locator with whitespace collapsed (and NBSP -> space). */
export async function text(locator) {
  return (await locator.innerText()).replace(/[\s\u00a0\u202f]+/g, ' ').trim();
}
