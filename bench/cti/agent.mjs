// A demo agent for the benchmark, used only when the chat needs one: a conversation on a
// "support team" experience ends at once with the Fallback message unless an agent is
// Available. The agent becomes Available, accepts the benchmark visitor's conversation (an
// accepted one stays open: a waiting one would end at the accept deadline) and steps away
// again at once, so no one else's chat is offered to them; at the end it ends and resolves the
// benchmark's conversations, which frees its slots.
import { firstTimeTrue } from './browser.mjs';

export function demoAgent(browser, { base, email, password, timeoutMs }) {
  let page = null;
  const accepted = [];
  const availability = () => page.getByLabel('Availability', { exact: true });

  async function setAvailability(value) {
    await availability().selectOption(value);
    await firstTimeTrue(async () => (await availability().inputValue()) === value, timeoutMs, `${email} to be ${value}`);
  }

  async function signIn() {
    const context = await browser.newContext({ baseURL: base });
    page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    await page.goto('/sign-in');
    await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/agent$/);
    await page.locator('body[data-hydrated="true"]').waitFor({ state: 'attached' });
  }

  return {
    email,
    used: () => page !== null,
    async becomeAvailable() {
      if (!page) await signIn();
      await setAvailability('Available');
    },
    /** Accepts the offer for the visitor's conversation, then steps away (Unavailable). */
    async accept(visitorName) {
      const offer = page.getByRole('alertdialog', { name: 'Incoming conversation' }).filter({ hasText: visitorName });
      await offer.waitFor({ state: 'visible' }).catch(() => {
        throw new Error(`no offer for ${visitorName} reached ${email} (is another agent Available, or ${email} at Maximum conversations?)`);
      });
      await offer.getByRole('button', { name: 'Accept' }).click();
      await offer.waitFor({ state: 'hidden' });
      accepted.push(visitorName);
      await setAvailability('Unavailable');
    },
    /** Ends and resolves (Done) every conversation it accepted; returns what went wrong. */
    async cleanUp() {
      const problems = [];
      if (!page) return problems;
      for (const name of accepted) {
        try {
          await page.getByRole('tab', { name: new RegExp(name) }).click();
          await page.getByRole('button', { name: 'End conversation' }).click();
          await page.getByTestId('conversation-status').filter({ hasText: 'Wrapping up' }).waitFor();
          await page.getByLabel('Resolution').selectOption('Done');
          await page.getByRole('button', { name: 'Resolve' }).click();
          await page.getByTestId('conversation-status').filter({ hasText: 'Closed' }).waitFor();
        } catch (error) {
          problems.push(`could not end and resolve ${name}'s conversation as ${email}: ${error.message.split('\n')[0]}`);
        }
      }
      await page.context().close();
      return problems;
    },
  };
}
