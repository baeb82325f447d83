// Helpers for specs that drive the demo shop page (the host) and the widget it embeds, with
// customer and agent each in a browser context of their own. The host page may be on another
// site than Baton, so the widget's frame must work without cookies: these helpers also read
// what the frame sent to Baton and the session token it keeps in its own localStorage.
import { APIRequestContext, Browser, BrowserContext, FrameLocator, Page, Request } from '@playwright/test';
import * as path from 'path';
import { expect, watchForProblems } from './fixtures';

export const BATON = 'http://127.0.0.1:3000';
export const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');
/** Where the widget keeps its session token (the contract of issue 16). */
const TOKEN_HEADER = 'x-baton-session';

/** One person's browser: a context of its own, its first page, and what went wrong in it. */
export interface Party {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

export async function newParty(browser: Browser): Promise<Party> {
  // Explicit base URL: contexts made in beforeAll do not get the config's `use` options.
  const context = await browser.newContext({ baseURL: BATON });
  const page = await context.newPage();
  const problems: string[] = [];
  watchForProblems(page, problems);
  return { context, page, problems };
}

/** Another tab of the same browser (same cookies, same partitioned storage). */
export async function newTab(party: Party): Promise<Party> {
  const page = await party.context.newPage();
  const problems: string[] = [];
  watchForProblems(page, problems);
  return { context: party.context, page, problems };
}

export function expectNoProblems(...parties: Party[]) {
  for (const party of parties) {
    expect(party.problems, 'no console errors, page errors or hydration warnings').toEqual([]);
  }
}

// ---- The host page and the widget in it ----

/** The embed script's launcher while the chat is closed, whatever unread count it shows. */
export function launcher(page: Page) {
  return page.getByRole('button', { name: /^Open chat/ });
}

export function widgetOf(page: Page): FrameLocator {
  return page.frameLocator('iframe[title="Chat"]');
}

/** Opens the chat from the launcher and waits until the widget can take clicks. */
export async function openChat(page: Page): Promise<FrameLocator> {
  await launcher(page).click();
  const widget = widgetOf(page);
  await expect(widget.locator('body[data-hydrated="true"]')).toHaveCount(1);
  return widget;
}

/** Closes the chat the way a customer does (Escape reaches the widget, which tells the host). */
export async function closeChat(page: Page) {
  await page.keyboard.press('Escape');
  await expect(launcher(page)).toBeVisible();
}


/** The widget shows the customer signed in, with their transcript and no sign-in form. */
export async function expectSignedIn(widget: FrameLocator, name: string) {
  await expect(widget.getByText('Signed in as')).toContainText(name);
  await expect(widget.getByTestId('sign-in-prompt')).toHaveCount(0);
}

export async function expectTranscript(scope: Page | FrameLocator, lines: string[]) {
  const transcript = scope.getByTestId('transcript');
  for (const line of lines) await expect(transcript).toContainText(line);
}

// ---- Writing, on either side ----

function messageBox(scope: Page | FrameLocator) {
  return scope.getByRole('textbox', { name: 'Message' });
}

/** Types as a person does (key by key), so the other side gets typing notices. */
export async function typeSlowly(scope: Page | FrameLocator, text: string) {
  await messageBox(scope).pressSequentially(text, { delay: 30 });
}

export async function pressEnter(scope: Page | FrameLocator) {
  await messageBox(scope).press('Enter');
}

export async function send(scope: Page | FrameLocator, text: string) {
  await messageBox(scope).fill(text);
  await pressEnter(scope);
}

// ---- The agent's dashboard ----

export function offerFor(agent: Page, customer: string) {
  return agent.getByRole('alertdialog', { name: 'Incoming conversation' }).filter({ hasText: customer });
}

/** Accepts the customer's offer; the dashboard opens the conversation. */
export async function acceptOffer(agent: Page, customer: string) {
  const offer = offerFor(agent, customer);
  await expect(offer).toBeVisible();
  await offer.getByRole('button', { name: 'Accept' }).click();
  await expect(offer).toHaveCount(0);
}

/** End conversation → Wrapping up → Resolve → Closed, which frees the agent's slot. */
export async function endAndResolve(agent: Page, customer: string) {
  await agent.getByRole('tab', { name: new RegExp(customer) }).click();
  await agent.getByRole('button', { name: 'End conversation' }).click();
  await expect(agent.getByTestId('conversation-status')).toHaveText('Wrapping up');
  await agent.getByLabel('Resolution').selectOption('Done');
  await agent.getByRole('button', { name: 'Resolve' }).click();
  await expect(agent.getByTestId('conversation-status')).toHaveText('Closed');
}

export async function stepAway(agent: Page) {
  await agent.getByLabel('Availability', { exact: true }).selectOption('Unavailable');
  await expect(agent.getByLabel('Availability', { exact: true })).toHaveValue('Unavailable');
}

// ---- What the widget's frame sent, and the session it keeps ----

/** Records every finished request a frame inside `page` (the widget) made to Baton. */
export function recordWidgetRequests(page: Page): Request[] {
  const requests: Request[] = [];
  page.on('requestfinished', (request) => {
    if (request.url().startsWith(BATON) && fromChildFrame(page, request)) requests.push(request);
  });
  return requests;
}

function fromChildFrame(page: Page, request: Request): boolean {
  try {
    return request.frame() !== page.mainFrame();
  } catch {
    return false; // a service worker's request has no frame
  }
}

/**
 * None of the widget's requests carried a cookie, and its server-function calls carried the
 * session header instead. `allHeaders()`, not `headers()`: the latter never lists cookies.
 */
export async function expectNoCookiesSent(requests: Request[]) {
  const calls = requests.filter((r) => new URL(r.url()).pathname.startsWith('/api/'));
  expect(calls.length, 'the widget called Baton\'s server functions').toBeGreaterThan(0);
  const sent = await Promise.all(requests.map(async (r) => ({ url: r.url(), headers: await r.allHeaders() })));
  const withCookie = sent.filter((s) => 'cookie' in s.headers).map((s) => s.url);
  expect(withCookie, 'requests from the widget frame that carried a Cookie header').toEqual([]);
  const apiHeaders = sent.filter((s) => new URL(s.url).pathname.startsWith('/api/')).map((s) => s.headers);
  expect(apiHeaders.some((h) => TOKEN_HEADER in h), `server-function calls carry ${TOKEN_HEADER}`).toBe(true);
}

/**
 * The widget's session token as the host page keeps it for the frame (embed.js, first-party
 * localStorage "baton:<widget key>"), or null. The frame's own storage is not readable on
 * another site once third-party cookies are blocked, which is why the host page keeps it.
 */
export async function widgetToken(page: Page, key = 'wk_demo_help'): Promise<string | null> {
  const kept = await page.evaluate((slot) => localStorage.getItem(slot), `baton:${key}`);
  const session = kept ? JSON.parse(kept).session : null;
  return session ? String(session) : null;
}

/** Asks Baton who a widget session token belongs to, as the widget's own calls do. */
export async function whoHoldsToken(request: APIRequestContext, token: string) {
  return request.post(`${BATON}/api/me`, {
    headers: { [TOKEN_HEADER]: token, 'content-type': 'application/x-www-form-urlencoded' },
    data: '',
  });
}
