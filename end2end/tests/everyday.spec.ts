// Everyday agent work: a saved reply the space admin added is inserted with "/" in the composer,
// filled in with the customer's and the agent's name; after the chat is resolved it stays in the
// agent's Conversations list under Recently closed with its resolution, and opens read-only.
import { test, expect, newCustomer, signInAvailableAgent, signInStaff, waitForHydration, resolveAndStepAway } from './fixtures';
import { checkAccessibility, saveAxeResults } from './axe';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');

test.afterAll(() => saveAxeResults(SCREENSHOTS));

test.describe.configure({ timeout: 90_000 });

test('a saved reply is inserted with / and the closed chat stays in Conversations with its resolution', async ({ page, browser }) => {
  // The admin adds a saved reply to the demo space.
  const shortcut = `thanks${Date.now() % 100000}`;
  await signInStaff(page, 'admin@demo.baton.test');
  await page.goto('/admin/spaces');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Customer Support' }).click();
  const section = page.getByRole('region', { name: 'Saved replies' });
  await expect(section).toBeVisible();
  const form = section.getByRole('form', { name: 'Add a saved reply' });
  await form.getByLabel('Shortcut').fill(shortcut);
  await form.getByLabel('Reply').fill('Thanks for waiting, {customer}. {agent} here, happy to help!');
  await form.getByRole('button', { name: 'Add saved reply' }).click();
  await expect(section.getByRole('status')).toHaveText('Saved reply added.');
  await expect(section.getByRole('listitem').filter({ hasText: `/${shortcut}` })).toBeVisible();
  // The same shortcut again is refused with a reason.
  await form.getByLabel('Shortcut').fill(shortcut);
  await form.getByLabel('Reply').fill('Another text');
  await form.getByRole('button', { name: 'Add saved reply' }).click();
  await expect(section.getByRole('alert')).toContainText(`/${shortcut} already exists`);

  // Ada takes a chat and types "/" and the start of the shortcut.
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await signInAvailableAgent(agent, 'ada@demo.baton.test');
  const customer = await newCustomer(browser, 'Rita Replies');
  await customer.page.getByRole('button', { name: 'Start a conversation' }).click();
  await agent.getByRole('alertdialog', { name: 'Incoming conversation' }).filter({ hasText: 'Rita Replies' })
    .getByRole('button', { name: 'Accept' }).click();
  await agent.getByRole('tab', { name: /Rita Replies/ }).click();
  const composer = agent.getByLabel('Message', { exact: true });
  await composer.click();
  await composer.pressSequentially(`/${shortcut.slice(0, 4)}`);
  const list = agent.getByRole('listbox', { name: 'Saved replies' });
  await expect(list).toBeVisible();
  await expect(list.getByRole('option', { name: new RegExp(`/${shortcut}`) })).toBeVisible();
  await agent.screenshot({ path: path.join(SCREENSHOTS, 'saved replies - picker.png') });
  await checkAccessibility(agent, 'agent dashboard with a chat and the saved replies open');
  // Escape closes the list and leaves the text; typing on opens it again.
  await composer.press('Escape');
  await expect(list).toHaveCount(0);
  await expect(composer).toHaveValue(`/${shortcut.slice(0, 4)}`);
  await composer.pressSequentially(shortcut.slice(4));
  await expect(list.getByRole('option', { name: new RegExp(`/${shortcut}`) })).toHaveAttribute('aria-selected', 'true');
  await composer.press('Enter');
  await expect(composer).toHaveValue('Thanks for waiting, Rita Replies. Ada Lovelace here, happy to help!');
  await expect(list).toHaveCount(0);
  // Enter again sends the filled-in reply; the customer gets it.
  await composer.press('Enter');
  await expect(customer.page.getByTestId('transcript')).toContainText('Thanks for waiting, Rita Replies. Ada Lovelace here');
  // A message that merely starts with a slash and has a space is sent as it is.
  await composer.pressSequentially('/not a shortcut');
  await expect(list).toHaveCount(0);
  await composer.press('Enter');
  await expect(customer.page.getByTestId('transcript')).toContainText('/not a shortcut');

  // Ada ends and resolves: the chat moves to Recently closed with its resolution.
  await agent.getByRole('button', { name: 'End conversation' }).click();
  await resolveAndStepAway(agent);
  const conversations = agent.getByRole('list', { name: 'Conversations' });
  const closedRow = conversations.getByRole('listitem').filter({ hasText: 'Rita Replies' }).first();
  await expect(closedRow).toContainText('Closed');
  await expect(closedRow).toContainText(/Done · closed \d{4}-\d\d-\d\d/);
  await agent.getByLabel('Show').selectOption('Live');
  await expect(conversations.getByRole('listitem').filter({ hasText: 'Rita Replies' })).toHaveCount(0);
  await agent.getByLabel('Show').selectOption('Recently closed');
  await agent.getByLabel('Filter conversations').fill('rita');
  await expect(conversations.getByRole('listitem').filter({ hasText: 'Rita Replies' }).first()).toBeVisible();
  await agent.getByLabel('Filter conversations').fill('nobody-at-all');
  await expect(conversations).toContainText('No conversations match.');
  await agent.getByLabel('Filter conversations').fill('Rita');
  await agent.screenshot({ path: path.join(SCREENSHOTS, 'conversations - recently closed.png') });

  // Opened after a reload, the closed chat shows its transcript and resolution, and no composer.
  await agent.reload();
  await waitForHydration(agent);
  await agent.getByLabel('Show').selectOption('Recently closed');
  await agent.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /Rita Replies/ }).first().click();
  await expect(agent.getByTestId('conversation-status')).toHaveText('Closed');
  await expect(agent.getByTestId('resolution')).toHaveText('Resolution: Done');
  await expect(agent.getByTestId('transcript')).toContainText('Thanks for waiting, Rita Replies.');
  await expect(agent.getByLabel('Message', { exact: true })).toHaveCount(0);

  // The admin removes the reply again.
  await section.getByRole('button', { name: `Remove saved reply /${shortcut}` }).click();
  await expect(section.getByText('Saved reply removed.')).toBeVisible();
  await expect(section.getByRole('listitem').filter({ hasText: `/${shortcut}` })).toHaveCount(0);

  await customer.context.close();
  await agentContext.close();
});
