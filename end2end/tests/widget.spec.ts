// The embedded widget on the demo host page, a plain page on another origin that adds Baton
// with one script tag (SPEC R-CUST-1…5, R-ROUTE-6, R-TIME-3). Customer and agent each have a
// browser context of their own.
import { test, expect, signInAvailableAgent, signUpAsCustomer, watchForProblems, waitForHydration } from './fixtures';
import { Browser, Page, FrameLocator } from '@playwright/test';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');
const HOST = 'http://127.0.0.1:3002/';
const BATON = 'http://127.0.0.1:3000';

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `widget - ${name}.png`), fullPage: true });
}

/** A visitor on the host page, with every request to Baton recorded. */
async function visitor(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  watchForProblems(page, problems);
  const requests: string[] = [];
  page.on('request', (r) => { if (r.url().startsWith(BATON)) requests.push(new URL(r.url()).pathname); });
  await page.goto(HOST);
  return { context, page, problems, requests };
}

async function openWidget(page: Page): Promise<FrameLocator> {
  await page.getByRole('button', { name: 'Open chat' }).click();
  const widget = page.frameLocator('iframe[title="Chat"]');
  await expect(widget.locator('body[data-hydrated="true"]')).toHaveCount(1);
  return widget;
}

test('the host page loads only the embed script until the chat is opened', async ({ page, problems, browser }) => {
  const v = await visitor(browser);
  await expect(v.page.getByRole('button', { name: 'Open chat' })).toBeVisible();
  await v.page.waitForLoadState('networkidle');
  expect(v.requests).toEqual(['/embed.js']);
  await shot(v.page, 'host page before opening');
  await openWidget(v.page);
  expect(v.requests).toContain('/w/wk_demo_help');
  expect(v.requests).toContain('/chat/widget_bg.wasm');
  // The widget is a WASM build of its own: opening it never loads the website's build, which
  // carries the router, the agent dashboard and the settings pages.
  expect(v.requests.filter((p) => p.startsWith('/pkg/'))).toEqual([]);
  await shot(v.page, 'sign-in prompt');
  // Escape closes the chat and gives the focus back to the launcher.
  await v.page.keyboard.press('Escape');
  await expect(v.page.getByRole('button', { name: 'Open chat' })).toBeFocused();
  expect(v.problems).toEqual([]);
  await v.context.close();
  await page.goto('/');
  expect(problems).toEqual([]);
});

test('a customer signs in in the widget, chats with an agent, and is told when it ends', async ({ page, problems, browser }) => {
  await signInAvailableAgent(page, 'ada@demo.baton.test');
  const v = await visitor(browser);
  const widget = await openWidget(v.page);
  await signUpAsCustomer(widget, 'Willa Widget');
  await widget.getByRole('button', { name: 'Start a conversation' }).click();
  await expect(widget.getByTestId('waiting')).toContainText('Waiting for agent');
  await expect(widget.getByTestId('queue-position')).toContainText('You are next in line.');
  await shot(v.page, 'waiting with queue position');

  const offer = page.getByRole('alertdialog', { name: 'Incoming conversation' });
  await expect(offer).toContainText('Willa Widget');
  await offer.getByRole('button', { name: 'Accept' }).click();
  await expect(widget.getByTestId('transcript')).toContainText('Ada Lovelace joined the conversation.');
  await expect(widget.getByTestId('waiting')).toHaveCount(0);

  const box = widget.getByRole('textbox', { name: 'Message' });
  await box.fill('Do you ship to Norway?');
  await box.press('Enter');
  await expect(page.getByTestId('transcript')).toContainText('Do you ship to Norway?');

  const agentBox = page.getByRole('textbox', { name: 'Message' });
  await agentBox.pressSequentially('We do', { delay: 30 });
  await expect(widget.getByTestId('typing-indicator')).toHaveText('Ada Lovelace is typing…');
  await shot(v.page, 'agent typing');
  await agentBox.press('Enter');
  await expect(widget.getByTestId('transcript')).toContainText('We do');

  // Closed chat: an agent message shows as an unread badge on the launcher.
  await v.page.keyboard.press('Escape');
  await agentBox.fill('Delivery takes three days.');
  await agentBox.press('Enter');
  await expect(v.page.getByRole('button', { name: 'Open chat (1 unread)' })).toBeVisible();
  await shot(v.page, 'unread badge');
  await v.page.getByRole('button', { name: 'Open chat (1 unread)' }).click();
  await expect(widget.getByTestId('transcript')).toContainText('Delivery takes three days.');

  await page.getByRole('button', { name: 'End conversation' }).click();
  await expect(widget.getByTestId('ended-notice')).toContainText('This conversation is over');
  await expect(widget.getByTestId('transcript')).toContainText('Do you ship to Norway?');
  await expect(widget.getByRole('button', { name: 'Start a new conversation' })).toBeVisible();
  await shot(v.page, 'ended');

  await expect(page.getByTestId('conversation-status')).toHaveText('Wrapping up');
  await page.getByLabel('Resolution').selectOption('Done');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByTestId('conversation-status')).toHaveText('Closed');
  await page.getByLabel('Availability', { exact: true }).selectOption('Unavailable');
  expect(v.problems).toEqual([]);
  await v.context.close();
});

test('with no agent Available the customer sees the Fallback message at once', async ({ page, problems, browser }) => {
  const v = await visitor(browser);
  const widget = await openWidget(v.page);
  await signUpAsCustomer(widget, 'Nora Nobody');
  await widget.getByRole('button', { name: 'Start a conversation' }).click();
  await expect(widget.getByTestId('transcript')).toContainText('No agent can take your chat right now. Write to help@demo.baton.test');
  await expect(widget.getByRole('link', { name: 'https://demo.baton.test/help' })).toBeVisible();
  await expect(widget.getByTestId('ended-notice')).toBeVisible();
  await shot(v.page, 'fallback message');
  expect(v.problems).toEqual([]);
  await v.context.close();
  await page.goto('/');
});

test('an idle conversation warns both sides, then ends (shortened timers)', async ({ page, problems, browser }) => {
  test.setTimeout(120_000);
  await signInAvailableAgent(page, 'grace@demo.baton.test');
  const v = await visitor(browser);
  const widget = await openWidget(v.page);
  await signUpAsCustomer(widget, 'Iris Idle');
  await widget.getByRole('button', { name: 'Start a conversation' }).click();
  const offer = page.getByRole('alertdialog', { name: 'Incoming conversation' });
  await offer.getByRole('button', { name: 'Accept' }).click();
  await expect(widget.getByTestId('transcript')).toContainText('Grace Hopper joined the conversation.');
  // BATON_INACTIVITY_WARNING / BATON_INACTIVITY_GRACE are shortened for the browser tests.
  await expect(widget.getByTestId('transcript')).toContainText('quiet for a while', { timeout: 60_000 });
  await expect(page.getByTestId('transcript')).toContainText('quiet for a while');
  await shot(v.page, 'inactivity notice');
  await expect(widget.getByTestId('ended-notice')).toBeVisible({ timeout: 40_000 });
  await shot(v.page, 'ended after inactivity');
  await expect(page.getByTestId('conversation-status')).toHaveText('Wrapping up');
  await page.getByLabel('Resolution').selectOption('Done');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByTestId('conversation-status')).toHaveText('Closed');
  await page.getByLabel('Availability', { exact: true }).selectOption('Unavailable');
  expect(v.problems).toEqual([]);
  await v.context.close();
});

test('the support website shows the experience, its help and the same chat', async ({ page, problems }) => {
  await page.goto('/support');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Baton Help' }).click();
  await expect(page.getByRole('heading', { name: 'Baton Help' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Help' })).toContainText('Common topics');
  await expect(page.getByTestId('sign-in-prompt')).toBeVisible();
  await page.setViewportSize({ width: 320, height: 640 });
  await shot(page, 'support website at 320px');
});
