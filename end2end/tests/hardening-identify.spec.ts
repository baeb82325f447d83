// Issue 15, item 9 (login CSRF): the widget used to take a `baton:identify` message from any
// window, so a page on another site could open the widget (or reach the frame inside a shop's
// page) and sign the visitor in as a customer of its choosing. Now the widget takes a token only
// from the page that frames it, on one of the experience's allowed domains. A foreign window's
// message is ignored (no identify request, the token is not used up), while the real host
// page's Baton.identify still signs the customer in.
import { test, expect, waitForHydration, watchForProblems } from './fixtures';
import { identitySecret, signIdentity } from './identity';
import { BrowserContext, Frame, Page } from '@playwright/test';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');
const HOST = 'http://127.0.0.1:3002/';
// Not an allowed domain of the demo experience; served by the test itself (route.fulfill).
const ATTACKER = 'http://attacker.test/';

/** A page on a foreign origin with a button that opens `url` in a new window it keeps. */
async function attackerPage(context: BrowserContext, name: string, url: string): Promise<Page> {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not the shop</title>
    <link rel="icon" href="data:,"></head><body>
    <button type="button" onclick='window.target = window.open(${JSON.stringify(url)})'>Open</button>
    </body></html>`;
  await context.route(`${ATTACKER}${name}`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: html }),
  );
  const attacker = await context.newPage();
  await attacker.goto(`${ATTACKER}${name}`);
  return attacker;
}

/** Opens `url` from the attacker's page, so the attacker holds a reference to the new window. */
async function openFrom(attacker: Page): Promise<Page> {
  const [opened] = await Promise.all([
    attacker.waitForEvent('popup'),
    attacker.getByRole('button', { name: 'Open' }).click(),
  ]);
  await opened.waitForLoadState();
  return opened;
}

/**
 * Before a foreign `baton:identify` is posted to `target` (the widget's window or frame): a
 * promise in that window that settles once the message has been dispatched to every listener
 * (the widget's included) and one task later, so whatever the widget queued for it has run.
 */
async function watchForIdentifyMessage(target: Page | Frame) {
  await target.evaluate(() => {
    (window as any).identifyHandled = new Promise<void>((resolve) => {
      window.addEventListener('message', (event) => {
        if (event.data?.type === 'baton:identify') setTimeout(resolve, 0);
      });
    });
  });
}

/**
 * The positive signal before checking that a foreign message did nothing: the window has
 * handled the message, and a request it makes after that has reached the test. An identify
 * request the message had caused would have been sent, and seen, before that one.
 */
async function identifyMessageHandled(target: Page | Frame, requests: string[], marker: string) {
  await target.evaluate(() => (window as any).identifyHandled);
  await target.evaluate((url) => fetch(url).then(() => undefined), `/healthz?after=${marker}`);
  await expect.poll(() => requests.some((url) => url.includes(`after=${marker}`))).toBe(true);
}

test('a foreign window cannot sign the widget in with baton:identify; the host page still can', async ({ page, problems, browser, baseURL }) => {
  test.setTimeout(60_000);
  const secret = await identitySecret(page);
  const stamp = Date.now();
  const token = signIdentity(secret, {
    sub: `csrf-target-${stamp}`,
    exp: Math.floor(stamp / 1000) + 3600,
    jti: `jti-csrf-${stamp}`,
    name: 'Ivy Identified',
  });
  const widgetUrl = new URL('/w/wk_demo_help', baseURL ?? 'http://127.0.0.1:3000').toString();

  const context = await browser.newContext();
  const identifyCalls: string[] = [];
  const requests: string[] = [];
  context.on('request', (request) => {
    requests.push(request.url());
    if (request.url().includes('/api/widget/identify')) identifyCalls.push(request.url());
  });
  const seen: string[] = [];

  // 1. A foreign page opens the widget in a window of its own and posts a token to it. The
  //    widget is not framed by an embedding page, so the message is ignored.
  const attacker = await attackerPage(context, 'opens-the-widget', widgetUrl);
  const lone = await openFrom(attacker);
  watchForProblems(lone, seen);
  await waitForHydration(lone);
  await expect(lone.getByTestId('sign-in-prompt')).toBeVisible();
  // The attacker really holds the window (nothing severed it), so the message is delivered.
  expect(await attacker.evaluate(() => !(window as any).target.closed)).toBe(true);
  await watchForIdentifyMessage(lone);
  await attacker.evaluate((t) => {
    (window as any).target.postMessage({ type: 'baton:identify', token: t }, '*');
  }, token);
  await identifyMessageHandled(lone, requests, 'foreign-window');
  expect(identifyCalls, 'no identify request for a foreign window').toEqual([]);
  await expect(lone.getByText('Signed in as')).toHaveCount(0);
  await expect(lone.getByTestId('sign-in-prompt')).toBeVisible();
  await lone.screenshot({ path: path.join(SCREENSHOTS, 'hardening identify - foreign window ignored.png'), fullPage: true });
  await lone.close();

  // 2. A foreign page opens the real shop page and posts to the widget's frame inside it. The
  //    frame's parent is the shop, not the sender, so the message is ignored there too.
  await attacker.close();
  const opener = await attackerPage(context, 'opens-the-shop', HOST);
  const shop = await openFrom(opener);
  watchForProblems(shop, seen);
  await shop.getByRole('button', { name: 'Open chat' }).click();
  const widget = shop.frameLocator('iframe[title="Chat"]');
  await expect(widget.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(widget.getByTestId('sign-in-prompt')).toBeVisible();
  expect(await opener.evaluate(() => (window as any).target.frames.length)).toBe(1);
  const widgetFrame = shop.frames().find((frame) => frame.url().includes('/w/wk_demo_help'));
  expect(widgetFrame, 'the shop frames the widget').toBeDefined();
  await watchForIdentifyMessage(widgetFrame!);
  await opener.evaluate((t) => {
    (window as any).target.frames[0].postMessage({ type: 'baton:identify', token: t }, '*');
  }, token);
  await identifyMessageHandled(widgetFrame!, requests, 'foreign-frame');
  expect(identifyCalls, 'no identify request for a window beside the shop').toEqual([]);
  await expect(widget.getByText('Signed in as')).toHaveCount(0);

  // 3. The shop's own Baton.identify with the same token signs the customer in: the foreign
  //    attempts neither signed anyone in nor used the token up.
  await shop.evaluate((t) => (window as any).Baton.identify(t), token);
  await expect(widget.getByText('Signed in as')).toContainText('Ivy Identified');
  await expect(widget.getByTestId('sign-in-prompt')).toHaveCount(0);
  await expect(widget.getByRole('alert').filter({ hasText: 'already used' })).toHaveCount(0);
  expect(identifyCalls).toHaveLength(1);
  await shop.screenshot({ path: path.join(SCREENSHOTS, 'hardening identify - host page signs in.png'), fullPage: true });

  // The anonymous widget may log refused requests (4xx); it must not throw or mis-hydrate.
  expect(seen.filter((p) => p.startsWith('page error') || /hydration|mismatch/i.test(p))).toEqual([]);
  await context.close();
  expect(problems).toEqual([]);
});
