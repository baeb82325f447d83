// The live operations view (/admin/live): an admin watches a customer appear in the waiting
// queue and leave it, and an agent's availability and load change — all without reloading
// (the page's socket says when to read the view again).
import { test, expect, newCustomer, signInAvailableAgent, signInStaff, waitForHydration, watchForProblems } from './fixtures';
import { Page } from '@playwright/test';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');

function agentRow(page: Page, name: string) {
  return page.getByRole('table', { name: 'Agents' }).getByRole('row').filter({ hasText: name });
}

test('the live operations view follows the queue and an agent\u2019s load without a reload', async ({ page, browser, problems }) => {
  // Only Grace takes chats in this story: Ada steps away first, whatever earlier specs left.
  const adaContext = await browser.newContext();
  const ada = await adaContext.newPage();
  await signInStaff(ada, 'ada@demo.baton.test');
  await waitForHydration(ada);
  await ada.getByLabel('Availability', { exact: true }).selectOption('Unavailable');
  await expect(ada.getByLabel('Availability', { exact: true })).toHaveValue('Unavailable');
  await adaContext.close();

  await signInStaff(page, 'admin@demo.baton.test');
  await page.goto('/admin/live');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: 'Live operations' })).toBeVisible();
  await expect(agentRow(page, 'Grace Hopper')).toBeVisible();
  // Nothing on this page reloads from here on: a marker on the window would vanish if it did.
  await page.evaluate(() => ((window as any).__stillHere = true));

  // Grace comes in: Available, nothing on her plate.
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  const agentProblems: string[] = [];
  watchForProblems(agent, agentProblems);
  await signInAvailableAgent(agent, 'grace@demo.baton.test');
  await expect(agentRow(page, 'Grace Hopper')).toContainText('Available');
  const before = await agentRow(page, 'Grace Hopper').getByTestId('load').innerText();
  const loadBefore = Number(before.split(' ')[0]);

  // A customer starts a chat: waiting, offered (the offer counts toward Grace's load).
  const customer = await newCustomer(browser, 'Olga Opsview');
  await customer.page.getByRole('button', { name: 'Start a conversation' }).click();
  const waiting = page.getByRole('table', { name: 'Waiting customers' }).getByRole('row').filter({ hasText: 'Olga Opsview' });
  await expect(waiting).toBeVisible();
  await expect(waiting).toContainText('Grace Hopper');
  await expect(agentRow(page, 'Grace Hopper').getByTestId('load')).toHaveText(new RegExp(`^${loadBefore + 1} of`));
  await page.screenshot({ path: path.join(SCREENSHOTS, 'live operations - a customer waiting.png'), fullPage: true });

  // Grace accepts: the customer leaves the queue and is with Grace.
  await agent.getByRole('alertdialog', { name: 'Incoming conversation' }).filter({ hasText: 'Olga Opsview' })
    .getByRole('button', { name: 'Accept' }).click();
  await expect(waiting).toHaveCount(0);
  const open = page.getByRole('table', { name: 'Conversations with an agent' }).getByRole('row').filter({ hasText: 'Olga Opsview' });
  await expect(open).toContainText('Grace Hopper');
  await expect(open).toContainText('Active');
  await expect(agentRow(page, 'Grace Hopper').getByTestId('load')).toHaveText(new RegExp(`^${loadBefore + 1} of`));
  await page.screenshot({ path: path.join(SCREENSHOTS, 'live operations - with an agent.png'), fullPage: true });

  // Grace ends and resolves it, then steps away: her load goes down and she is Unavailable.
  await agent.getByRole('tab', { name: /Olga Opsview/ }).click();
  await agent.getByRole('button', { name: 'End conversation' }).click();
  await expect(agent.getByTestId('conversation-status')).toHaveText('Wrapping up');
  await agent.getByLabel('Resolution').selectOption('Done');
  await agent.getByRole('button', { name: 'Resolve' }).click();
  await expect(agent.getByTestId('conversation-status')).toHaveText('Closed');
  await agent.getByLabel('Availability', { exact: true }).selectOption('Unavailable');
  await expect(open).toHaveCount(0);
  await expect(agentRow(page, 'Grace Hopper')).toContainText('Unavailable');
  await expect(agentRow(page, 'Grace Hopper').getByTestId('load')).toHaveText(new RegExp(`^${loadBefore} of`));

  expect(await page.evaluate(() => (window as any).__stillHere)).toBe(true);
  await customer.context.close();
  await agentContext.close();
  expect(customer.problems).toEqual([]);
  expect(agentProblems).toEqual([]);
});

test('the live operations view is for admins only', async ({ page }) => {
  await signInStaff(page, 'ada@demo.baton.test');
  await page.goto('/admin/live');
  await waitForHydration(page);
  await expect(page.getByRole('alert')).toContainText('not allowed');
});
