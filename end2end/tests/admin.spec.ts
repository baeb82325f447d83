// An admin sets up a new space and customer experience, copies the embed snippet, and a plain
// HTML page using that snippet opens a chat that reaches an agent of the new space
// (SPEC R-SPACE-1, R-SPACE-4, R-MODE-3, R-ROUTE-1). A page on a domain the widget does not
// allow cannot frame it.
import { test, expect, signInAvailableAgent, signInStaff, waitForHydration, watchForProblems } from './fixtures';
import { Page } from '@playwright/test';
import * as path from 'path';
import * as http from 'http';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SCREENSHOTS, `admin - ${name}.png`), fullPage: true });

const signInAdmin = (page: Page) => signInStaff(page, 'admin@demo.baton.test');

/** The refusals these tests provoke answer 422; Chromium logs each as a console error. */
function expectRefusalsOnly(problems: string[]) {
  const rest = problems.filter((p) => !p.includes('status of 422'));
  problems.splice(0, problems.length, ...rest);
}

/** A plain page carrying only the snippet, served from a loopback port of its own (a real
 * origin, so the browser's local-network rules treat it as a site on this machine would be). */
async function hostPage(page: Page, port: number, snippet: string): Promise<http.Server> {
  const html = `<!DOCTYPE html><html lang="en"><head><title>Shop</title><link rel="icon" href="data:,"></head><body><h1>A shop</h1>${snippet}</body></html>`;
  const server = http.createServer((request, response) => {
    response.writeHead(request.url === '/' ? 200 : 404, { 'content-type': 'text/html' });
    response.end(request.url === '/' ? html : '');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  await page.goto(`http://127.0.0.1:${port}/`);
  return server;
}

test('an admin sets up a space and an experience whose embed snippet reaches its agents', async ({ page, problems, browser }) => {
  test.setTimeout(120_000);
  await signInAdmin(page);
  await page.goto('/admin/spaces');
  await waitForHydration(page);
  const unique = Date.now().toString(36);
  await page.getByLabel('Space name').fill(`Returns ${unique}`);
  await page.getByRole('button', { name: 'Create space' }).click();
  await expect(page).toHaveURL(/\/admin\/spaces\/.+/);
  await waitForHydration(page);
  await expect(page.getByRole('switch', { name: 'Live chat' })).toBeChecked();

  const invite = page.getByRole('form', { name: 'Invite a member' });
  await invite.getByLabel('Email').fill('ada@demo.baton.test');
  await invite.getByRole('button', { name: 'Invite' }).click();
  await expect(page.getByRole('region', { name: 'Members' })).toContainText('Ada Lovelace');
  const invite2 = page.getByRole('form', { name: 'Invite a member' });
  await invite2.getByLabel('Email').fill(`newcomer-${unique}@example.com`);
  await invite2.getByRole('button', { name: 'Invite' }).click();
  await expect(page.getByLabel(/Invitation link/)).toHaveValue(/\/invite\/[0-9a-f]+$/);
  await shot(page, 'space settings');

  await page.goto('/admin/experiences');
  await waitForHydration(page);
  await page.getByLabel('Experience name').fill(`Returns desk ${unique}`);
  await page.getByRole('button', { name: 'Create customer experience' }).click();
  await expect(page).toHaveURL(/\/admin\/experiences\/.+/);
  await waitForHydration(page);
  const form = page.getByRole('form', { name: 'Chat settings' });
  await form.getByRole('radio', { name: 'Support team', exact: true }).check();
  await form.getByRole('checkbox', { name: 'Embedded widget' }).check();
  await form.getByLabel('Routed space').selectOption({ label: `Returns ${unique}` });

  // Live chat needs a Fallback message: the refusal says so and nothing is saved.
  await form.getByRole('button', { name: 'Save chat settings' }).click();
  await expect(form.getByRole('alert')).toContainText('Live chat needs a Fallback message');
  await form.getByLabel('Fallback message').fill('Nobody is free just now: mail returns@example.com.');
  await form.getByLabel('Allowed domains').fill('127.0.0.1:3005');
  await form.getByRole('button', { name: 'Save chat settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Chat settings saved.' })).toBeVisible();
  const snippet = await page.getByLabel('Embed snippet').inputValue();
  expect(snippet).toMatch(/^<script src="http:\/\/127\.0\.0\.1:3000\/embed\.js" data-baton-widget="wk_[0-9a-f]+" async><\/script>$/);
  await page.getByRole('button', { name: 'Copy embed snippet' }).click();
  await shot(page, 'experience settings');

  await page.goto('/admin/audit');
  await expect(page.getByRole('table', { name: 'Audit log' })).toContainText('Routed space');
  await shot(page, 'audit log');

  // Ada makes herself Available (now in both her spaces).
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  const agentProblems: string[] = [];
  watchForProblems(agent, agentProblems);
  await signInAvailableAgent(agent, 'ada@demo.baton.test');

  // A plain page carrying only the snippet, on the allowed domain.
  const shopContext = await browser.newContext();
  const shop = await shopContext.newPage();
  const shopProblems: string[] = [];
  watchForProblems(shop, shopProblems);
  const shopServer = await hostPage(shop, 3005, snippet);
  await shop.getByRole('button', { name: 'Open chat' }).click();
  const widget = shop.frameLocator('iframe[title="Chat"]');
  await expect(widget.getByRole('heading', { name: `Returns desk ${unique}` })).toBeVisible();
  await expect(widget.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const signUp = widget.getByRole('form', { name: 'Create an account' });
  await signUp.getByLabel('Your name').fill('Rex Returner');
  await signUp.getByLabel('Email').fill(`rex-${unique}@example.com`);
  await signUp.getByLabel('Password').fill('a long password');
  await signUp.getByRole('button', { name: 'Create account' }).click();
  await widget.getByRole('button', { name: 'Start a conversation' }).click();

  const offer = agent.getByRole('alertdialog', { name: 'Incoming conversation' });
  await expect(offer).toContainText('Rex Returner');
  await offer.getByRole('button', { name: 'Accept' }).click();
  await expect(widget.getByTestId('transcript')).toContainText('Ada Lovelace joined the conversation.');
  await shot(shop, 'snippet page chat');
  await agent.getByRole('button', { name: 'End conversation' }).click();
  await expect(widget.getByTestId('ended-notice')).toBeVisible();
  await agent.getByLabel('Resolution').selectOption('Done');
  await agent.getByRole('button', { name: 'Resolve' }).click();
  await expect(agent.getByTestId('conversation-status')).toHaveText('Closed');
  await agent.getByLabel('Availability', { exact: true }).selectOption('Unavailable');
  expect(agentProblems).toEqual([]);
  expect(shopProblems).toEqual([]);

  // The same snippet on a domain the widget does not allow: the browser refuses the iframe.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  const console: string[] = [];
  other.on('console', (m) => console.push(m.text()));
  const otherServer = await hostPage(other, 3006, snippet);
  await other.getByRole('button', { name: 'Open chat' }).click();
  await expect.poll(() => console.some((m) => m.includes('frame-ancestors'))).toBe(true);
  await expect(other.frameLocator('iframe[title="Chat"]').getByRole('heading')).toHaveCount(0);
  await shot(other, 'refused iframe');
  await Promise.all([agentContext.close(), shopContext.close(), otherContext.close()]);
  shopServer.close();
  otherServer.close();
  expectRefusalsOnly(problems);
});

test('turning Live chat off where an experience routes is refused with its name', async ({ page, problems }) => {
  await signInAdmin(page);
  await page.goto('/admin/spaces');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Customer Support' }).click();
  await waitForHydration(page);
  await page.getByRole('switch', { name: 'Live chat' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Live chat stays on' })).toContainText('Baton Help');
  await expect(page.getByRole('switch', { name: 'Live chat' })).toBeChecked();
  await shot(page, 'live chat refusal');
  expectRefusalsOnly(problems);
});
