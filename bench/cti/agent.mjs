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

  /**
   * Runs `action` on the tab of each conversation accepted, and returns what went wrong. A
   * visitor whose conversation ended and was opened again has several tabs; from the last, so
   * a tab that goes away shifts none still to do.
   */
  async function eachAccepted(action) {
    const problems = [];
    for (const name of new Set(accepted)) {
      const tabs = page.getByRole('tab', { name: new RegExp(name) });
      for (let i = (await tabs.count()) - 1; i >= 0; i--) {
        await action(tabs.nth(i)).catch((error) => problems.push(`${name}: ${error.message.split('\n')[0]}`));
      }
    }
    return problems;
  }

  return {
    email,
    used: () => page !== null,
    async becomeAvailable() {
      if (!page) await signIn();
      // Ended ones stay Wrapping up, holding a slot, until resolved (short inactivity timers).
      await eachAccepted((tab) => resolve(tab, { onlyEnded: true }));
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
      if (!page) return [];
      const problems = await eachAccepted((tab) => resolve(tab, { onlyEnded: false }));
      await page.context().close();
      return problems.map((problem) => `could not end and resolve a conversation as ${email}: ${problem}`);
    },
  };
}

/**
 * Resolves the conversation in `tab` as Done, ending it first if it is still going (unless
 * `onlyEnded`: then only one already Wrapping up is resolved).
 */
async function resolve(tab, { onlyEnded }) {
  const page = tab.page();
  await tab.click();
  await tab.and(page.locator('[aria-selected="true"]')).waitFor(); // the status below is this tab's
  const status = page.getByTestId('conversation-status');
  await status.waitFor();
  const now = (await status.innerText()).trim();
  if (now === 'Closed' || (onlyEnded && now !== 'Wrapping up')) return;
  if (now !== 'Wrapping up') await page.getByRole('button', { name: 'End conversation' }).click();
  await status.filter({ hasText: 'Wrapping up' }).waitFor();
  await page.getByLabel('Resolution').selectOption('Done');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await status.filter({ hasText: 'Closed' }).waitFor();
}
