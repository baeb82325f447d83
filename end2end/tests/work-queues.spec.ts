// Queues with a JQL-style filter, a bad filter pointed out, follow-up work assigned from a
// queue, and a customer's profile (SPEC R-VIEW-2, R-ROUTE-9, R-VIEW-6). Runs after the routing
// tests, whose conversations and follow-up work it finds.
import { test, expect, signInStaff, waitForHydration } from './fixtures';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');

test('an agent filters the queue, sees where a filter is wrong, and opens a customer profile', async ({ page, problems }) => {
  await signInStaff(page, 'ada@demo.baton.test');
  await page.getByRole('link', { name: 'Queues' }).click();
  await expect(page).toHaveURL(/\/agent\/queues$/);
  await waitForHydration(page);

  const filter = page.getByRole('textbox', { name: 'Filter' });
  await filter.fill('type = Conversation AND status = Closed ORDER BY created DESC');
  await page.getByRole('button', { name: 'Apply' }).click();
  const queue = page.getByTestId('queue');
  await expect(queue).toContainText('Closed');
  await expect(queue).not.toContainText('Waiting for agent');
  await expect(queue.getByText('Assigned by routing').first()).toBeVisible();

  await filter.fill('type = Conversation AND colour = red');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('query-error')).toContainText('character 25');
  await expect(page.getByTestId('query-error')).toContainText('expected a field');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'queues - filter error.png'), fullPage: true });
  // The refusal is a 422 (the caller's to fix), which Chromium reports on the console.
  const refused = problems.findIndex((p) => p.includes('status of 422'));
  expect(refused).toBeGreaterThanOrEqual(0);
  problems.splice(refused, 1);

  // The follow-up work created while wrapping up is in the queue, assigned to its creator.
  await filter.fill('type = Task');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(queue).toContainText('Send refund confirmation');
  await expect(queue).toContainText('Ada Lovelace');
  await expect(queue.getByRole('button', { name: 'Assign to me' })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'queues - follow-up work.png'), fullPage: true });

  await queue.getByRole('link', { name: 'Max One' }).click();
  await expect(page.getByRole('heading', { name: 'Max One' })).toBeVisible();
  await expect(page.getByTestId('customer-conversations')).toContainText('resolved as Done');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'queues - customer profile.png'), fullPage: true });
  expect(problems).toEqual([]);
});
