// The AI agent in the browser (SPEC R-MODE-2, R-HAND-1…3, R-CUST-2, R-VIEW-5): an anonymous
// customer asks the demo Shop Assistant a question and gets the article's answer with a link,
// asks for a person, signs up in the chat, and Ada accepts and sees the AI part of the
// transcript. Then Conversation review lists it as handed off with its work item.
import { test, expect, signInAvailableAgent, signInStaff, waitForHydration, watchForProblems } from './fixtures';

test('a customer asks the AI agent, then a person, signs in, and the agent sees the whole thread', async ({ page, browser, problems }) => {
  test.setTimeout(90_000);
  await signInAvailableAgent(page, 'ada@demo.baton.test');

  const context = await browser.newContext();
  const customer = await context.newPage();
  const customerProblems: string[] = [];
  watchForProblems(customer, customerProblems);
  await customer.goto('/support/wk_demo_shop');
  await waitForHydration(customer);
  // No sign-in before the AI part (SPEC R-CUST-2).
  await expect(customer.getByTestId('sign-in-prompt')).toHaveCount(0);
  await expect(customer.getByRole('navigation', { name: 'Help articles' })).toContainText('Returning an item');
  await customer.getByRole('button', { name: 'Start a conversation' }).click();
  const transcript = customer.getByTestId('transcript');
  await expect(transcript).toContainText("Hi! I'm the AI agent for Baton Shop Assistant");

  await customer.getByLabel('Message').fill('How do I return a jacket?');
  await customer.getByLabel('Message').press('Enter');
  await expect(customer.getByTestId('typing-indicator')).toHaveText('The AI agent is typing…');
  await expect(transcript).toContainText('You can return any unworn item within 30 days');
  const link = transcript.getByRole('link', { name: /\/support\/wk_demo_shop\/articles\// });
  await expect(link).toHaveCount(1);
  await expect(customer.getByTestId('typing-indicator')).toHaveText('');

  // Asking for a person: the AI ends its turn and the chat asks for sign-in.
  await customer.getByRole('button', { name: 'Talk to a person' }).click();
  await expect(transcript).toContainText("I'm passing this conversation to a person from our team");
  await expect(customer.getByTestId('handoff-sign-in')).toBeVisible();
  await customer.screenshot({ path: 'screenshots/ai - sign in at handoff.png', fullPage: true });
  const signUp = customer.getByRole('form', { name: 'Create an account' });
  await signUp.getByLabel('Your name').fill('Robin Returner');
  await signUp.getByLabel('Email').fill(`robin-${Date.now()}@example.com`);
  await signUp.getByLabel('Password').fill('a long password');
  await signUp.getByRole('button', { name: 'Create account' }).click();

  // The same thread goes to the team: signed in, waiting, transcript kept (SPEC R-HAND-3).
  await expect(customer.getByText('Signed in as')).toBeVisible();
  await expect(customer.getByTestId('waiting')).toContainText('Waiting for agent');
  await expect(customer.getByTestId('transcript')).toContainText('You can return any unworn item within 30 days');

  const offer = page.getByRole('alertdialog', { name: 'Incoming conversation' });
  await expect(offer).toContainText('Robin Returner');
  await offer.getByRole('button', { name: 'Accept' }).click();
  const agentTranscript = page.getByTestId('transcript');
  await expect(agentTranscript).toContainText('How do I return a jacket?');
  await expect(agentTranscript).toContainText('You can return any unworn item within 30 days');
  await expect(agentTranscript).toContainText('The customer pressed Talk to a person');
  await expect(customer.getByTestId('transcript')).toContainText('Ada Lovelace joined the conversation.');

  await page.getByLabel('Message').fill('Hi Robin, I can help with your return.');
  await page.getByLabel('Message').press('Enter');
  await expect(customer.getByTestId('transcript')).toContainText('Hi Robin, I can help with your return.');
  await customer.screenshot({ path: 'screenshots/ai - customer after handoff.png', fullPage: true });

  // Ada ends and resolves it, so the other tests find her with no conversations.
  await page.getByRole('button', { name: 'End conversation' }).click();
  await expect(customer.getByTestId('ended-notice')).toBeVisible();
  await page.getByLabel('Resolution').selectOption('Done');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByTestId('resolution')).toHaveText('Resolution: Done');
  expect(customerProblems).toEqual([]);
  await context.close();

  // Conversation review (the demo admin administers every experience as site admin).
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  const adminProblems: string[] = [];
  watchForProblems(admin, adminProblems);
  await signInStaff(admin, 'admin@demo.baton.test');
  await admin.goto('/admin/review');
  await waitForHydration(admin);
  await admin.getByLabel('Outcome').selectOption('handed_off');
  const row = admin.locator('tr[data-outcome="handed_off"]').filter({ hasText: 'Robin Returner' });
  await expect(row).toContainText('The customer pressed Talk to a person');
  await row.getByRole('button', { name: /Show the AI part/ }).click();
  const part = admin.getByRole('region', { name: 'AI part of the transcript' });
  await expect(part).toContainText('How do I return a jacket?');
  await expect(part).toContainText('passed the conversation to the team');
  await expect(part).not.toContainText('Hi Robin, I can help');
  await admin.screenshot({ path: 'screenshots/ai - conversation review.png', fullPage: true });
  await row.getByRole('link', { name: 'Open work item' }).click();
  await expect(admin.getByTestId('work-item-status')).toContainText('Closed');
  expect(adminProblems).toEqual([]);
  await adminContext.close();
  expect(problems).toEqual([]);
});
