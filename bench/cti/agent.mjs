// A demo agent for the benchmark, used only when the chat needs one: a conversation on a
// "support team" experience ends at once with the Fallback message unless an agent is
// Available. The agent becomes Available, accepts the benchmark visitor's conversation (an
// accepted one stays open: a waiting one would end only at the accept deadline) and steps away
// again at once; at the end it ends and resolves the benchmark's conversations. Resolving
// matters: an ended conversation stays Wrapping up and holds one of the agent's Maximum
// conversations until it is resolved. Offers are told apart by the visitor's name, which is
// unique per benchmark run.
import { firstTimeTrue, sleep } from './browser.mjs';

const HYDRATED = 'body[data-hydrated="true"]';

/**
 * `leftovers`: the names of visitors an earlier, interrupted benchmark run may have left with
 * the agent; their conversations are ended and resolved first, or they would hold its slots.
 */
export function demoAgent(browser, { base, email, password, timeoutMs, leftovers }) {
  let page = null;
  const visitors = new Set();
  const unanswered = new Set(); // visitors whose conversation may still wait in the queue
  let declined = 0;
  let cleared = 0;
  const availability = () => page.getByLabel('Availability', { exact: true });
  const offers = () => page.getByRole('alertdialog', { name: 'Incoming conversation' });

  /**
   * Sets Availability and waits for Baton to take it (the select alone shows what was picked,
   * not what Baton holds), once the dashboard is online: an offer made while its socket is
   * still connecting never shows, runs out, and Baton sets the agent Unavailable.
   */
  async function setAvailability(value) {
    await firstTimeTrue(async () => (await page.getByTestId('connection-state').innerText()) === '', timeoutMs, 'the dashboard to be online');
    const taken = page.waitForResponse((r) => r.url().includes('/api/agent/availability'));
    await availability().selectOption(value);
    const response = await taken;
    if (!response.ok()) throw new Error(`Baton refused to set ${email} ${value}: ${response.status()} ${await response.text()}`);
  }

  async function signIn() {
    const context = await browser.newContext({ baseURL: base });
    page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    await page.goto('/sign-in');
    await page.locator(HYDRATED).waitFor({ state: 'attached' });
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/agent$/);
    await page.locator(HYDRATED).waitFor({ state: 'attached' });
  }

  /** Accepts the visitor's offer when it shows; declines other customers' offers meanwhile. */
  async function acceptOffer(visitorName, waitMs, { declineOthers }) {
    const ours = offers().filter({ hasText: visitorName });
    const others = offers().filter({ hasNotText: visitorName });
    await firstTimeTrue(async () => {
      if (await ours.count()) return true;
      while (declineOthers && (await others.count())) {
        await others.first().getByRole('button', { name: 'Decline' }).click({ timeout: 2_000 });
        declined++;
      }
      return false;
    }, waitMs, `an offer for ${visitorName}`);
    await ours.getByRole('button', { name: 'Accept' }).click();
    await ours.waitFor({ state: 'hidden' });
    unanswered.delete(visitorName);
  }

  /**
   * Runs `action` on each entry of the dashboard's conversation list ("Name · Status",
   * reloaded first so it is current) whose name matches, and returns what went wrong.
   */
  async function eachEntry(names, action) {
    await page.reload();
    await page.locator(HYDRATED).waitFor({ state: 'attached' });
    await page.locator('.conversation-list li').first().waitFor();
    const entries = page.locator('.conversation-list').getByRole('button', { name: new RegExp(`^(${names.source}) · `) });
    const problems = [];
    for (let i = (await entries.count()) - 1; i >= 0; i--) {
      await action(entries.nth(i)).catch((error) => problems.push(error.message.split('\n')[0]));
    }
    return problems;
  }

  /** This run's visitors, as a pattern for `eachEntry`. */
  const ours = () => new RegExp([...visitors].map(escapeRegExp).join('|') || '(?!)');

  return {
    email,
    declined: () => declined,
    cleared: () => cleared,
    async becomeAvailable() {
      if (!page) {
        await signIn();
        await eachEntry(leftovers, async (entry) => { if (await resolve(entry, { onlyEnded: false })) cleared++; });
      }
      // This run's ended conversations would hold slots too (short inactivity timers).
      await eachEntry(ours(), (entry) => resolve(entry, { onlyEnded: true }));
      await setAvailability('Available');
    },
    /** Accepts the offer for the visitor's conversation, then steps away (Unavailable). */
    async accept(visitorName) {
      visitors.add(visitorName);
      unanswered.add(visitorName);
      try {
        await acceptOffer(visitorName, timeoutMs, { declineOthers: true });
      } catch (error) {
        throw new Error(`no offer for ${visitorName} reached ${email} (${error.message.split('\n')[0]}); is another agent Available, or ${email} at Maximum conversations?`);
      } finally {
        await setAvailability('Unavailable');
      }
    },
    /**
     * Takes any benchmark conversation still waiting, then ends and resolves (Done) them all;
     * returns what went wrong.
     */
    async cleanUp() {
      if (!page) return [];
      const problems = [];
      if (unanswered.size) {
        await setAvailability('Available');
        for (const name of [...unanswered]) {
          await acceptOffer(name, 15_000, { declineOthers: false }).catch(() => problems.push(`${name}'s conversation still waits in the queue`));
        }
        await setAvailability('Unavailable');
        await sleep(500);
      }
      problems.push(...(await eachEntry(ours(), (entry) => resolve(entry, { onlyEnded: false }))));
      await page.context().close();
      return problems.map((problem) => `as ${email}: ${problem}`);
    },
  };
}

/**
 * Resolves the conversation of a list entry as Done, ending it first if it is still going
 * (unless `onlyEnded`: then only one already Wrapping up is resolved). True if it did.
 */
async function resolve(entry, { onlyEnded }) {
  const listed = (await entry.innerText()).split(' · ').pop().trim();
  if (listed === 'Closed' || (onlyEnded && listed !== 'Wrapping up')) return false;
  const page = entry.page();
  await entry.click(); // opens its tab
  const status = page.getByTestId('conversation-status');
  await status.filter({ hasText: listed }).waitFor(); // the panel shows this conversation
  if (listed !== 'Wrapping up') {
    await page.getByRole('button', { name: 'End conversation' }).click();
    await status.filter({ hasText: 'Wrapping up' }).waitFor();
  }
  await page.getByLabel('Resolution').selectOption('Done');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await status.filter({ hasText: 'Closed' }).waitFor();
  return true;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
