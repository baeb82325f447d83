// Customer and agent in two browser contexts: the live chat reaches the agent, messages go both
// ways, and each side sees the other's typing indicator appear and disappear
// (SPEC R-CUST-3, R-AGENT-1, R-ROUTE-3, R-ROUTE-8, R-CUST-5).
import { test, expect, newCustomer, resolveAndStepAway, signInAvailableAgent } from './fixtures';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');

test('customer and agent see each other typing, chat, and the end of the conversation', async ({ page, problems, browser }) => {
  await signInAvailableAgent(page, 'ada@demo.baton.test');

  // The customer, in a browser of their own: sign up, start a live chat.
  const { context: customerContext, page: customer, problems: customerProblems } = await newCustomer(browser, 'Robin Reader');
  await customer.getByRole('button', { name: 'Start a conversation' }).click();
  await expect(customer.getByTestId('waiting')).toContainText('Waiting for agent');
  await customer.screenshot({ path: path.join(SCREENSHOTS, 'realtime - customer waiting.png'), fullPage: true });

  // The offer reaches the agent; Accept opens the conversation.
  const offer = page.getByRole('alertdialog', { name: 'Incoming conversation' });
  await expect(offer).toContainText('Robin Reader');
  await expect(offer.getByTestId('offer-countdown')).toContainText('s left to answer');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'realtime - agent offer.png'), fullPage: true });
  await offer.getByRole('button', { name: 'Accept' }).click();
  await expect(offer).toHaveCount(0);
  await expect(customer.getByTestId('transcript')).toContainText('Ada Lovelace joined the conversation.');

  // The customer types: the agent sees it, then sees it stop when the box is cleared.
  const customerBox = customer.getByRole('textbox', { name: 'Message' });
  const agentBox = page.getByRole('textbox', { name: 'Message' });
  await customerBox.pressSequentially('Hello, my order', { delay: 30 });
  await expect(page.getByTestId('typing-indicator')).toHaveText('The customer is typing…');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'realtime - agent sees customer typing.png'), fullPage: true });
  await customerBox.fill('');
  await customerBox.press('Space');
  await customerBox.press('Backspace');
  await expect(page.getByTestId('typing-indicator')).toHaveText('');

  // The customer sends: the message arrives and no indicator is left behind.
  await customerBox.fill('');
  await customerBox.pressSequentially('Where is my parcel?', { delay: 20 });
  await customerBox.press('Enter');
  await expect(page.getByTestId('transcript')).toContainText('Where is my parcel?');
  await expect(page.getByTestId('typing-indicator')).toHaveText('');

  // The agent types: the customer sees it; sending removes it and delivers the reply.
  await agentBox.pressSequentially('Let me check', { delay: 30 });
  await expect(customer.getByTestId('typing-indicator')).toHaveText('Ada Lovelace is typing…');
  await customer.screenshot({ path: path.join(SCREENSHOTS, 'realtime - customer sees agent typing.png'), fullPage: true });
  await agentBox.press('Enter');
  await expect(customer.getByTestId('transcript')).toContainText('Let me check');
  await expect(customer.getByTestId('typing-indicator')).toHaveText('');

  // The agent ends the conversation: the customer is told it is over (SPEC R-CUST-5).
  await page.getByRole('button', { name: 'End conversation' }).click();
  await expect(customer.getByTestId('ended-notice')).toContainText('This conversation is over');
  await customer.screenshot({ path: path.join(SCREENSHOTS, 'realtime - customer sees the end.png'), fullPage: true });

  // Wrapping up → Resolve → Closed frees Ada's slot for later tests; then she steps away.
  await resolveAndStepAway(page);

  expect(customerProblems).toEqual([]);
  await customerContext.close();
  expect(problems).toEqual([]);
});
