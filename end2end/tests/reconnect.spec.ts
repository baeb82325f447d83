// A dropped connection is visible, and what the customer writes meanwhile is sent once the
// connection is back (DESIGN "Realtime": nothing typed is lost).
import { test, expect, newCustomer, resolveAndStepAway, signInAvailableAgent } from './fixtures';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');

test('a message written while offline shows Reconnecting… and arrives after reconnecting', async ({ page, problems, browser }) => {
  test.setTimeout(90_000);
  await signInAvailableAgent(page, 'grace@demo.baton.test');
  const { context: customerContext, page: customer, problems: customerProblems } = await newCustomer(browser, 'Olive Offline');
  await customer.getByRole('button', { name: 'Start a conversation' }).click();

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
  await page.getByRole('button', { name: 'End conversation' }).click();
  await resolveAndStepAway(page);
  await customerContext.close();
  expect(problems).toEqual([]);
});

test('a message that could not be sent shows Not sent, stays so after reconnecting, and Retry sends it once', async ({ page, problems, browser }) => {
  test.setTimeout(120_000);
  await signInAvailableAgent(page, 'grace@demo.baton.test');
  const { context: customerContext, page: customer, problems: customerProblems } = await newCustomer(browser, 'Nell Notsent');
  await customer.getByRole('button', { name: 'Start a conversation' }).click();
  const offer = page.getByRole('alertdialog', { name: 'Incoming conversation' }).filter({ hasText: 'Nell Notsent' });
  await offer.getByRole('button', { name: 'Accept' }).click();
  await expect(customer.getByTestId('transcript')).toContainText('joined the conversation.');

  await customerContext.setOffline(true);
  await expect(customer.getByTestId('connection-state')).toHaveText('Reconnecting…', { timeout: 60_000 });
  const box = customer.getByRole('textbox', { name: 'Message' });
  await box.fill('Written in a tunnel');
  await box.press('Enter');
  await expect(box).toHaveValue('');
  const line = customer.locator('[data-pending="true"]').filter({ hasText: 'Written in a tunnel' });
  await expect(line).toContainText('Sending…');
  // The outbox gives up after 20 s without progress and says so.
  await expect(line).toContainText('Not sent', { timeout: 40_000 });
  await customer.screenshot({ path: path.join(SCREENSHOTS, 'reconnect - not sent.png'), fullPage: true });

  await customerContext.setOffline(false);
  await expect(customer.getByTestId('connection-state')).toHaveText('', { timeout: 30_000 });
  // Back online, it is sent only when the customer asks: they may have written it again.
  await expect(line).toContainText('Not sent');
  await customer.getByRole('button', { name: 'Retry sending “Written in a tunnel”' }).click();

  const agentLines = page.getByTestId('transcript').locator('li[data-seq] .msg-body').filter({ hasText: 'Written in a tunnel' });
  await expect(agentLines).toHaveCount(1);
  await expect(customer.locator('[data-pending="true"]')).toHaveCount(0);
  await expect(customer.getByTestId('transcript').locator('li[data-seq] .msg-body').filter({ hasText: 'Written in a tunnel' })).toHaveCount(1);

  const unexpected = customerProblems.filter((p) => !/WebSocket|ERR_INTERNET_DISCONNECTED/.test(p));
  expect(unexpected).toEqual([]);
  await page.getByRole('button', { name: 'End conversation' }).click();
  await resolveAndStepAway(page);
  await customerContext.close();
  expect(problems).toEqual([]);
});
