// After a chat, the customer rates it and downloads the transcript; the rating shows on the
// work item once Closed, and the agent downloads the team's transcript with the internal note.
import { test, expect, newCustomer, signInAvailableAgent, resolveAndStepAway, waitForHydration } from './fixtures';
import { checkAccessibility, saveAxeResults } from './axe';
import * as fs from 'fs';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');

test.afterAll(() => saveAxeResults(SCREENSHOTS));
test.describe.configure({ timeout: 90_000 });

test('a customer rates the chat after it is Closed, the rating shows on the work item, and both download transcripts', async ({ page, browser }) => {
  await signInAvailableAgent(page, 'grace@demo.baton.test');
  const customer = await newCustomer(browser, 'Rhea Rating');
  const chat = customer.page;
  await chat.getByRole('button', { name: 'Start a conversation' }).click();
  await page.getByRole('alertdialog', { name: 'Incoming conversation' }).filter({ hasText: 'Rhea Rating' })
    .getByRole('button', { name: 'Accept' }).click();
  await page.getByRole('tab', { name: /Rhea Rating/ }).click();

  await chat.getByLabel('Message', { exact: true }).fill('My parcel never came.');
  await chat.getByLabel('Message', { exact: true }).press('Enter');
  await expect(page.getByTestId('transcript')).toContainText('My parcel never came.');
  await page.getByLabel('Message', { exact: true }).fill('I have sent a new one today.');
  await page.getByLabel('Message', { exact: true }).press('Enter');
  await page.getByRole('textbox', { name: 'Internal note' }).fill('Second parcel sent, tracking 42');
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect(page.getByTestId('transcript')).toContainText('Second parcel sent');

  // No rating while the chat goes on.
  await expect(chat.getByRole('form', { name: 'Rate this conversation' })).toHaveCount(0);

  // Grace ends and resolves it: Closed.
  await page.getByRole('button', { name: 'End conversation' }).click();
  await resolveAndStepAway(page);

  // The customer rates it 4 of 5 with a comment.
  const rate = chat.getByRole('form', { name: 'Rate this conversation' });
  await expect(rate).toBeVisible();
  await checkAccessibility(chat, 'support website after the chat (rating form)');
  await rate.getByRole('radio', { name: '4 of 5' }).check();
  await rate.getByLabel('Comment (optional)').fill('Quick and kind');
  await rate.getByRole('button', { name: 'Send rating' }).click();
  await expect(rate.getByRole('status')).toHaveText('Thank you for your rating.');
  await chat.screenshot({ path: path.join(SCREENSHOTS, 'satisfaction - customer rated.png'), fullPage: true });

  // The customer's transcript: the messages, never the internal note.
  const [customerDownload] = await Promise.all([
    chat.waitForEvent('download'),
    chat.getByRole('button', { name: 'Download transcript' }).click(),
  ]);
  expect(customerDownload.suggestedFilename()).toMatch(/^transcript-\d{4}-\d\d-\d\d-.+\.txt$/);
  const customerText = fs.readFileSync(await customerDownload.path(), 'utf8');
  expect(customerText).toContain('Rhea Rating: My parcel never came.');
  // In the chat's language (English here), with its dates written out: "Started 3 December 2026, 15:07 UTC".
  expect(customerText).toMatch(/^Transcript: .+ with Rhea Rating\nConversation .+\nStarted \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC\n/);
  expect(customerText).toContain('Grace Hopper: I have sent a new one today.');
  expect(customerText).not.toContain('Second parcel sent');

  // The rating shows on the work item (found through the queue) and in the panel.
  await page.getByRole('link', { name: 'Queues' }).click();
  await waitForHydration(page);
  await page.getByRole('textbox', { name: 'Filter' }).fill('type = Conversation AND status = Closed ORDER BY created DESC');
  await page.getByRole('button', { name: 'Apply' }).click();
  const row = page.getByTestId('queue').getByRole('row').filter({ hasText: 'Rhea Rating' }).first();
  await row.getByRole('link').first().click();
  await expect(page.getByRole('heading', { name: 'Work item' })).toBeVisible();
  await expect(page.getByTestId('work-item-status')).toHaveText('Closed');
  await expect(page.getByTestId('rating')).toHaveText('Rating: 4 of 5 · “Quick and kind”');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'satisfaction - work item rating.png'), fullPage: true });

  // The team's transcript from the panel has the note too.
  await page.goto('/agent');
  await waitForHydration(page);
  await page.getByLabel('Show').selectOption('Recently closed');
  await page.getByRole('list', { name: 'Conversations' }).getByRole('button', { name: /Rhea Rating/ }).first().click();
  await expect(page.getByTestId('rating')).toContainText('4 of 5');
  const [teamDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download transcript' }).click(),
  ]);
  const teamText = fs.readFileSync(await teamDownload.path(), 'utf8');
  expect(teamText).toContain('Internal note by Grace Hopper: Second parcel sent, tracking 42');
  expect(teamText).toContain('Resolved: Done');

  await customer.context.close();
});
