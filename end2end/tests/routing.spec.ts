// Two agents and customers in separate browser contexts: round robin, Decline, the offer
// coming back to a lone agent, an offer running out, the Maximum conversations limit, and
// End conversation → Wrapping up → Resolve → Closed (SPEC R-ROUTE-2…5, R-ROUTE-10, R-LIFE-*).
// The e2e server runs with BATON_OFFER_TIMEOUT=10s (SPEC R-TIME-5).
import { test, expect, newCustomer, signInAvailableAgent, waitForHydration, watchForProblems } from './fixtures';
import { Browser, Page } from '@playwright/test';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');

async function secondAgent(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  watchForProblems(page, problems);
  await signInAvailableAgent(page, email);
  return { context, page, problems };
}

function offerFor(page: Page, customer: string) {
  return page.getByRole('alertdialog', { name: 'Incoming conversation' }).filter({ hasText: customer });
}

/** Which of the pages shows the offer for this customer (waits until exactly one does). */
async function offeredTo(pages: Page[], customer: string): Promise<number> {
  let found = -1;
  await expect.poll(async () => {
    const counts = await Promise.all(pages.map((p) => offerFor(p, customer).count()));
    found = counts.findIndex((c) => c > 0);
    return counts.reduce((a, b) => a + b, 0);
  }, { timeout: 15_000 }).toBe(1);
  return found;
}

async function startChat(browser: Browser, name: string) {
  const customer = await newCustomer(browser, name);
  await customer.page.getByRole('button', { name: 'Start a conversation' }).click();
  return customer;
}

/**
 * A positive signal that the agent's dashboard is up to date: the customer sends a line after
 * the moment that matters, and it shows as unread on the agent's tab for them (the tab must not
 * be the selected one). The dashboard has one socket and the server publishes after each
 * commit, so anything published before this line (such as an offer that must not be made) has
 * arrived by the time the line has; only then is it worth checking that something did not.
 */
async function lineArrivesUnread(agent: Page, customer: { page: Page }, name: string, line: string) {
  const composer = customer.page.getByLabel('Message', { exact: true });
  await composer.fill(line);
  await composer.press('Enter');
  await expect(
    agent.getByRole('tab', { name: new RegExp(name) }).getByLabel('unread messages'),
    `${name}'s line reaches the agent`,
  ).toBeVisible();
}

async function endAndResolve(page: Page, customer: string) {
  await page.getByRole('tab', { name: new RegExp(customer) }).click();
  await page.getByRole('button', { name: 'End conversation' }).click();
  await expect(page.getByTestId('conversation-status')).toHaveText('Wrapping up');
  await page.getByLabel('Resolution').selectOption('Done');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByTestId('conversation-status')).toHaveText('Closed');
  await expect(page.getByTestId('resolution')).toHaveText('Resolution: Done');
}

test('round robin alternates, Decline moves the offer on, and a lone agent gets it back', async ({ page, problems, browser }) => {
  test.setTimeout(120_000);
  await signInAvailableAgent(page, 'ada@demo.baton.test');
  const grace = await secondAgent(browser, 'grace@demo.baton.test');
  const agents = [page, grace.page];

  const first = await startChat(browser, 'Rita Round');
  const firstAgent = await offeredTo(agents, 'Rita Round');
  const second = await startChat(browser, 'Rob Robin');
  const otherAgent = await offeredTo(agents, 'Rob Robin');
  expect(otherAgent, 'the second conversation goes to the other agent').not.toBe(firstAgent);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'routing - ada offers.png'), fullPage: true });

  // Decline: the offer moves to the other agent (SPEC R-ROUTE-3).
  await offerFor(agents[firstAgent], 'Rita Round').getByRole('button', { name: 'Decline' }).click();
  await expect(agents[firstAgent].getByTestId('offer-note')).toContainText('You declined');
  await expect(offerFor(agents[otherAgent], 'Rita Round')).toBeVisible();

  // The other agent takes both.
  const taker = agents[otherAgent];
  await offerFor(taker, 'Rita Round').getByRole('button', { name: 'Accept' }).click();
  await offerFor(taker, 'Rob Robin').getByRole('button', { name: 'Accept' }).click();
  await expect(first.page.getByTestId('transcript')).toContainText('joined the conversation.');
  await expect(second.page.getByTestId('transcript')).toContainText('joined the conversation.');

  // With only one agent Available, a Decline offers it back to them (SPEC R-ROUTE-4).
  await grace.page.getByLabel('Availability', { exact: true }).selectOption('Unavailable');
  await expect(grace.page.getByLabel('Availability', { exact: true })).toHaveValue('Unavailable');
  const lone = await startChat(browser, 'Lena Lone');
  await offerFor(page, 'Lena Lone').getByRole('button', { name: 'Decline' }).click();
  await expect(offerFor(page, 'Lena Lone')).toBeVisible();
  await offerFor(page, 'Lena Lone').getByRole('button', { name: 'Accept' }).click();

  // Clean up: every conversation ends and is resolved (SPEC R-LIFE-3, R-LIFE-4).
  await endAndResolve(taker, 'Rita Round');
  await endAndResolve(taker, 'Rob Robin');
  await endAndResolve(page, 'Lena Lone');
  await expect(lone.page.getByTestId('ended-notice')).toContainText('This conversation is over');
  await page.getByLabel('Availability', { exact: true }).selectOption('Unavailable');

  for (const c of [first, second, lone]) {
    expect(c.problems).toEqual([]);
    await c.context.close();
  }
  expect(grace.problems).toEqual([]);
  await grace.context.close();
  expect(problems).toEqual([]);
});

test('an offer nobody answers sets that agent Unavailable and goes to the other agent', async ({ page, problems, browser }) => {
  test.setTimeout(120_000);
  await signInAvailableAgent(page, 'ada@demo.baton.test');
  const grace = await secondAgent(browser, 'grace@demo.baton.test');
  const agents = [page, grace.page];

  const customer = await startChat(browser, 'Tess Timeout');
  const missed = await offeredTo(agents, 'Tess Timeout');
  const other = 1 - missed;

  // Nobody clicks: after the offer timeout the other agent gets it (SPEC R-ROUTE-5).
  await expect(offerFor(agents[other], 'Tess Timeout')).toBeVisible({ timeout: 30_000 });
  await expect(agents[missed].getByLabel('Availability', { exact: true })).toHaveValue('Unavailable');
  await expect(agents[missed].getByTestId('availability-reason')).toContainText('an offer ran out');
  await agents[missed].screenshot({ path: path.join(SCREENSHOTS, 'routing - missed offer.png'), fullPage: true });

  await offerFor(agents[other], 'Tess Timeout').getByRole('button', { name: 'Accept' }).click();
  await endAndResolve(agents[other], 'Tess Timeout');
  await agents[other].getByLabel('Availability', { exact: true }).selectOption('Unavailable');

  expect(customer.problems).toEqual([]);
  await customer.context.close();
  expect(grace.problems).toEqual([]);
  await grace.context.close();
  expect(problems).toEqual([]);
});

test('at the Maximum conversations limit no offer arrives until one is resolved', async ({ page, problems, browser }) => {
  test.setTimeout(150_000);
  await signInAvailableAgent(page, 'ada@demo.baton.test');
  const names = ['Max One', 'Max Two', 'Max Three'];
  const customers = [];
  for (const name of names) {
    customers.push(await startChat(browser, name));
    await offerFor(page, name).getByRole('button', { name: 'Accept' }).click();
    await expect(page.getByRole('tab', { name: new RegExp(name) })).toBeVisible();
  }

  // The site's limit is 3: the fourth customer waits and Ada gets no offer (SPEC R-ROUTE-10).
  const fourth = await startChat(browser, 'Max Four');
  await expect(fourth.page.getByTestId('waiting')).toContainText('Waiting for agent');
  // Max Three's tab is selected (the last accepted), so Max One's line shows as unread.
  await lineArrivesUnread(page, customers[0], 'Max One', 'Are you still there?');
  await expect(offerFor(page, 'Max Four')).toHaveCount(0);

  // Wrapping up still holds the slot; Resolve frees it and the offer arrives.
  await page.getByRole('tab', { name: /Max One/ }).click();
  await page.getByRole('button', { name: 'End conversation' }).click();
  await expect(page.getByTestId('conversation-status')).toHaveText('Wrapping up');
  await page.getByRole('textbox', { name: 'Internal note' }).fill('Customer asked for a refund; follow up by mail.');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('transcript')).toContainText('Customer asked for a refund');
  await page.getByLabel('Work type').selectOption('Task');
  await page.getByLabel('Title').fill('Send refund confirmation');
  await page.getByRole('button', { name: 'Create follow-up work' }).click();
  await expect(page.getByText('Follow-up work created.')).toBeVisible();
  // After End, the note and the follow-up work, a line from Max Two (not the selected tab).
  await lineArrivesUnread(page, customers[1], 'Max Two', 'Thanks, I will wait.');
  await expect(offerFor(page, 'Max Four')).toHaveCount(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'routing - wrapping up.png'), fullPage: true });
  await page.getByLabel('Resolution').selectOption('Done');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByTestId('conversation-status')).toHaveText('Closed');
  await expect(page.getByTestId('resolution')).toHaveText('Resolution: Done');
  // Closed, and ended before any agent reply: nothing is due any more (SPEC R-VIEW-4).
  await expect(page.getByTestId('ended-notice')).toHaveText('The chat with the customer has ended and the work item is Closed.');
  await expect(page.getByText('Ended before a first response')).toBeVisible();
  await expect(offerFor(page, 'Max Four')).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'routing - closed and next offer.png'), fullPage: true });
  // The internal note never reached the customer (SPEC R-AGENT-1).
  await expect(customers[0].page.getByTestId('transcript')).not.toContainText('refund');

  await offerFor(page, 'Max Four').getByRole('button', { name: 'Accept' }).click();
  for (const name of ['Max Two', 'Max Three', 'Max Four']) {
    await endAndResolve(page, name);
  }
  await page.getByLabel('Availability', { exact: true }).selectOption('Unavailable');
  for (const c of [...customers, fourth]) {
    expect(c.problems).toEqual([]);
    await c.context.close();
  }
  expect(problems).toEqual([]);
});
