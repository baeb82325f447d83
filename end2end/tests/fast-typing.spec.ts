// An agent typing faster than the message rate, while the customer is offline: every line
// arrives once, in the order typed, on both sides (the server slows a fast typist down instead
// of refusing, and the client keeps one conversation's messages in order).
import { test, expect, newCustomer, resolveAndStepAway, signInAvailableAgent } from './fixtures';
import { Page } from '@playwright/test';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');

const LINES = Array.from({ length: 30 }, (_, i) => `quick line ${i + 1}`);

/** The confirmed messages' texts in the transcript, in the order shown. */
async function shownLines(page: Page): Promise<string[]> {
  const bodies = await page.getByTestId('transcript').locator('li[data-seq] .msg-body').allTextContents();
  return bodies.filter((b) => b.startsWith('quick line '));
}

test('an agent types 30 lines without a pause while the customer is offline; both sides show all 30 once, in order', async ({ page, problems, browser }) => {
  test.setTimeout(120_000);
  await signInAvailableAgent(page, 'grace@demo.baton.test');
  const { context: customerContext, page: customer } = await newCustomer(browser, 'Fay Fasttyper');
  await customer.getByRole('button', { name: 'Start a conversation' }).click();
  const offer = page.getByRole('alertdialog', { name: 'Incoming conversation' }).filter({ hasText: 'Fay Fasttyper' });
  await offer.getByRole('button', { name: 'Accept' }).click();
  await expect(customer.getByTestId('transcript')).toContainText('joined the conversation.');

  await customerContext.setOffline(true);
  const composer = page.getByRole('textbox', { name: 'Message' });
  for (const line of LINES) {
    await composer.fill(line);
    await composer.press('Enter');
  }
  // Every line the agent typed is on their screen (sent or still sending) at once.
  await expect(page.getByTestId('transcript').locator('.msg-body').filter({ hasText: /^quick line / })).toHaveCount(30);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'fast typing - agent right after typing.png'), fullPage: true });
  await expect(page.locator('[data-pending="true"]')).toHaveCount(0, { timeout: 30_000 });
  await expect.poll(() => shownLines(page), { timeout: 30_000 }).toEqual(LINES);
  // The composer was never swapped out or redrawn meanwhile (that took its focus, and the
  // keystrokes typed next went nowhere): it still has the focus, ready for the next line.
  await expect(composer).toBeFocused();
  await expect(composer).toHaveValue('');

  await customerContext.setOffline(false);
  await expect.poll(() => shownLines(customer), { timeout: 60_000 }).toEqual(LINES);

  await page.getByRole('button', { name: 'End conversation' }).click();
  await resolveAndStepAway(page);
  await customerContext.close();
  expect(problems).toEqual([]);
});
