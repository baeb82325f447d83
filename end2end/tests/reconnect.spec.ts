// A dropped connection is visible, and what the customer writes meanwhile is sent once the
// connection is back (DESIGN "Realtime": nothing typed is lost).
import { test, expect, waitForHydration, watchForProblems } from './fixtures';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');

test('a message written while offline shows Reconnecting… and arrives after reconnecting', async ({ page, problems, browser }) => {
  test.setTimeout(90_000);
  await page.goto('/sign-in');
  await waitForHydration(page);
  await page.getByLabel('Email').fill('grace@demo.baton.test');
  await page.getByLabel('Password').fill('baton-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/agent$/);
  await waitForHydration(page);
  await page.getByLabel('Availability').selectOption('Available');
  await expect(page.getByLabel('Availability')).toHaveValue('Available');

  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  const customerProblems: string[] = [];
  watchForProblems(customer, customerProblems);
  await customer.goto('/support');
  await waitForHydration(customer);
  const signUp = customer.getByRole('form', { name: 'Create an account' });
  await signUp.getByLabel('Your name').fill('Olive Offline');
  await signUp.getByLabel('Email').fill(`olive-${Date.now()}@example.com`);
  await signUp.getByLabel('Password').fill('a long password');
  await signUp.getByRole('button', { name: 'Create account' }).click();
  await customer.getByRole('button', { name: 'Start a conversation' }).click();

  // Whoever is Available gets the offer; only Grace is in this test, Ada may be too.
  const offer = page.getByRole('alertdialog', { name: 'Incoming conversation' }).filter({ hasText: 'Olive Offline' });
  await offer.getByRole('button', { name: 'Accept' }).click();
  await expect(customer.getByTestId('transcript')).toContainText('joined the conversation.');
  await expect(customer.getByTestId('waiting')).toHaveCount(0);

  await customerContext.setOffline(true);
  await expect(customer.getByTestId('connection-state')).toHaveText('Reconnecting…', { timeout: 60_000 });
  const box = customer.getByRole('textbox', { name: 'Message' });
  await box.fill('Written on the train');
  await box.press('Enter');
  await expect(customer.getByTestId('transcript')).toContainText('Sending…');
  await customer.screenshot({ path: path.join(SCREENSHOTS, 'reconnect - customer offline.png'), fullPage: true });

  await customerContext.setOffline(false);
  await expect(page.getByTestId('transcript')).toContainText('Written on the train', { timeout: 30_000 });
  await expect(customer.getByTestId('connection-state')).toHaveText('');
  await expect(customer.locator('[data-pending="true"]')).toHaveCount(0);

  // Chromium logs the refused connection attempts made while offline; those are the point here.
  const unexpected = customerProblems.filter((p) => !/WebSocket|ERR_INTERNET_DISCONNECTED/.test(p));
  expect(unexpected).toEqual([]);
  await customerContext.close();
  expect(problems).toEqual([]);
});
