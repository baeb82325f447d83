// Issue 16: the embedded widget keeps its customer session without cookies. The same flows run
// on a host page on another site than Baton (http://localhost:3002 — the frame is third-party,
// and this project's Chromium blocks third-party cookies: --test-third-party-cookie-phaseout)
// and on a host page on Baton's own site (http://127.0.0.1:3002). Customer and agent each have
// a browser context of their own; the tests of one host run in order and share them.
// SPEC R-CUST-1…5 (the widget, sign-in first, the kept transcript), R-CUST-2 (identify).
import { test, expect, signInAvailableAgent, signUpAsCustomer } from './fixtures';
import { identitySecret, signIdentity } from './identity';
import {
  Party, SCREENSHOTS, acceptOffer, closeChat, endAndResolve, expectNoCookiesSent, expectNoProblems,
  expectSignedIn, expectTranscript, launcher, newParty, newTab, openChat, pressEnter,
  recordWidgetRequests, send, stepAway, typeSlowly, whoHoldsToken, widgetOf, widgetToken,
} from './host-page';
import { Page, Request } from '@playwright/test';
import * as path from 'path';

const AGENT = 'ada@demo.baton.test';
const AGENT_NAME = 'Ada Lovelace';

interface Host {
  /** Goes into test titles and screenshot names. */
  label: string;
  origin: string;
  /** Whether the host page is on another site than Baton (the frame is third-party). */
  crossSite: boolean;
  customer: string;
  identified: string;
}

const HOSTS: Host[] = [
  { label: 'cross-site localhost', origin: 'http://localhost:3002', crossSite: true, customer: 'Cleo Crossley', identified: 'Ivo Crossley' },
  { label: 'same-site 127.0.0.1', origin: 'http://127.0.0.1:3002', crossSite: false, customer: 'Sami Samesby', identified: 'Ines Samesby' },
];

// What is said in each host's conversation, in order.
const SAID = {
  customerFirst: 'Do these boots run small?',
  agentFirst: 'They run true to size.',
  whileClosed: 'Your size 42 is back in stock.',
  afterCheckout: 'Can I pay on delivery?',
  agentAfterCheckout: 'Yes, cash or card.',
  toBothTabs: 'Anything else I can help with?',
};

for (const host of HOSTS) {
  test.describe(`the widget on the ${host.label} host page`, () => {
    test.describe.configure({ mode: 'serial', timeout: 90_000 });

    let agent: Party;
    let customer: Party;
    let widgetRequests: Request[];

    async function shot(page: Page, step: string) {
      await page.screenshot({ path: path.join(SCREENSHOTS, `cross-site - ${host.label} - ${step}.png`), fullPage: true });
    }

    test.beforeAll(async ({ browser }) => {
      agent = await newParty(browser);
      await signInAvailableAgent(agent.page, AGENT);
      customer = await newParty(browser);
      widgetRequests = recordWidgetRequests(customer.page);
    });

    test.afterAll(async () => {
      // Ada steps away, so later tests decide who is Available themselves.
      if (agent) await stepAway(agent.page).catch(() => {});
      await customer?.context.close();
      await agent?.context.close();
    });

    test('1. a customer signs up in the widget, is accepted by an agent, and both see each other typing and writing', async () => {
      const shop = customer.page;
      await shop.goto(`${host.origin}/`);
      const widget = await openChat(shop);
      await shot(shop, '1 sign-in in the widget');
      await signUpAsCustomer(widget, host.customer);
      await widget.getByRole('button', { name: 'Start a conversation' }).click();
      await expect(widget.getByTestId('waiting')).toContainText('Waiting for agent');
      await shot(shop, '1 waiting for an agent');

      await expect(agent.page.getByRole('alertdialog', { name: 'Incoming conversation' })).toContainText(host.customer);
      await shot(agent.page, '1 agent offer');
      await acceptOffer(agent.page, host.customer);
      await expectTranscript(widget, [`${AGENT_NAME} joined the conversation.`]);
      await expect(widget.getByTestId('waiting')).toHaveCount(0);

      // The customer types: the agent sees it, then gets the message.
      await typeSlowly(widget, SAID.customerFirst);
      await expect(agent.page.getByTestId('typing-indicator')).toHaveText('The customer is typing…');
      await shot(agent.page, '1 agent sees the customer typing');
      await pressEnter(widget);
      await expectTranscript(agent.page, [SAID.customerFirst]);

      // The agent types: the customer sees it, then gets the reply.
      await typeSlowly(agent.page, SAID.agentFirst);
      await expect(widget.getByTestId('typing-indicator')).toHaveText(`${AGENT_NAME} is typing…`);
      await shot(shop, '1 customer sees the agent typing');
      await pressEnter(agent.page);
      await expectTranscript(widget, [SAID.agentFirst]);
      await expect(widget.getByTestId('typing-indicator')).toHaveText('');
      await shot(shop, '1 chatting');

      // The widget depends on no cookie: on another site the browser would not send it anyway.
      if (host.crossSite) await expectNoCookiesSent(widgetRequests);
      expectNoProblems(customer, agent);
    });

    test('2. after following a link to the checkout page the launcher shows the unread message, and the chat goes on there and after a reload', async () => {
      const shop = customer.page;
      await closeChat(shop);
      await send(agent.page, SAID.whileClosed);
      await expect(launcher(shop)).toHaveAttribute('aria-label', /unread/);

      // A real navigation: the host page and the embed script load anew.
      await shop.evaluate(() => { (window as any).beforeNavigation = true; });
      await shop.getByRole('link', { name: 'Checkout', exact: true }).click();
      await expect(shop).toHaveURL(`${host.origin}/checkout.html`);
      expect(await shop.evaluate(() => (window as any).beforeNavigation)).toBeUndefined();

      // The launcher tells of the unread message without the chat being opened.
      await expect(launcher(shop)).toHaveAttribute('aria-label', /unread/);
      await expect(launcher(shop)).toHaveAttribute('aria-expanded', 'false');
      await shot(shop, '2 unread badge on the checkout page');

      // Opened, it shows the whole transcript, still signed in.
      const widget = await openChat(shop);
      await expectTranscript(widget, [SAID.customerFirst, SAID.agentFirst, SAID.whileClosed]);
      await expectSignedIn(widget, host.customer);
      await shot(shop, '2 transcript on the checkout page');

      // The socket is live both ways.
      await send(widget, SAID.afterCheckout);
      await expectTranscript(agent.page, [SAID.afterCheckout]);
      await send(agent.page, SAID.agentAfterCheckout);
      await expectTranscript(widget, [SAID.agentAfterCheckout]);

      // A reload keeps the session: the transcript is back without signing in again.
      await shop.reload();
      const reloaded = await openChat(shop);
      await expectTranscript(reloaded, [SAID.customerFirst, SAID.whileClosed, SAID.afterCheckout, SAID.agentAfterCheckout]);
      await expectSignedIn(reloaded, host.customer);
      await shot(shop, '2 transcript after a reload');

      if (host.crossSite) await expectNoCookiesSent(widgetRequests);
      expectNoProblems(customer, agent);
    });

    test('3. a second tab on the host site shows the same conversation and its transcript', async () => {
      const second = await newTab(customer);
      await second.page.goto(`${host.origin}/`);
      const widget = await openChat(second.page);
      await expectSignedIn(widget, host.customer);
      await expectTranscript(widget, [SAID.customerFirst, SAID.agentFirst, SAID.whileClosed, SAID.afterCheckout, SAID.agentAfterCheckout]);
      await shot(second.page, '3 second tab');

      // Both tabs follow the conversation live.
      await send(agent.page, SAID.toBothTabs);
      await expectTranscript(widget, [SAID.toBothTabs]);
      await expectTranscript(widgetOf(customer.page), [SAID.toBothTabs]);

      expectNoProblems(second, customer, agent);
      await second.page.close();
    });

    test('4. signing out in the widget ends the session on the server: the widget and a reloaded page ask for sign-in again', async ({ request }) => {
      const shop = customer.page;
      const widget = widgetOf(shop);
      const token = await widgetToken(shop);
      expect(token, 'the widget keeps a session token').toBeTruthy();
      const before = await whoHoldsToken(request, token!);
      expect(before.status()).toBe(200);
      expect(await before.text()).toContain(host.customer);

      await widget.getByRole('button', { name: 'Sign out' }).click();
      await expect(widget.getByTestId('sign-in-prompt')).toBeVisible();
      await expect(widget.getByText('Signed in as')).toHaveCount(0);
      await shot(shop, '4 signed out');

      // The token is forgotten here and dead on the server: presenting it again is refused.
      await expect.poll(() => widgetToken(shop)).toBeNull();
      const after = await whoHoldsToken(request, token!);
      expect(after.status()).toBe(401);
      expect(await after.text()).toContain('SessionExpired');

      await shop.reload();
      const reloaded = await openChat(shop);
      await expect(reloaded.getByTestId('sign-in-prompt')).toBeVisible();
      await expect(reloaded.getByText('Signed in as')).toHaveCount(0);
      await shot(shop, '4 sign-in asked again after a reload');

      // The agent closes the conversation the customer left.
      await endAndResolve(agent.page, host.customer);
      expectNoProblems(customer, agent);
    });

    test('5. Baton.identify with a token from the host site signs the visitor in, and they can start a conversation', async ({ page, problems, browser }) => {
      const secret = await identitySecret(page);
      const stamp = Date.now();
      const token = signIdentity(secret, {
        sub: `cross-site-${stamp}`,
        exp: Math.floor(stamp / 1000) + 3600,
        jti: `jti-cross-site-${stamp}`,
        name: host.identified,
      });

      const visitor = await newParty(browser);
      await visitor.page.goto(`${host.origin}/`);
      // As the host site's own script would, before the chat is opened (see identify.spec.ts).
      await visitor.page.evaluate((t) => (window as any).Baton.identify(t), token);
      const widget = await openChat(visitor.page);
      await expectSignedIn(widget, host.identified);
      await shot(visitor.page, '5 signed in by Baton.identify');

      await widget.getByRole('button', { name: 'Start a conversation' }).click();
      await acceptOffer(agent.page, host.identified);
      await expectTranscript(widget, [`${AGENT_NAME} joined the conversation.`]);
      await send(widget, 'Signed in by the shop.');
      await expectTranscript(agent.page, ['Signed in by the shop.']);
      await shot(visitor.page, '5 identified customer chatting');

      await endAndResolve(agent.page, host.identified);
      await expect(widget.getByTestId('ended-notice')).toContainText('This conversation is over');
      // As in identify.spec.ts: a refused request (4xx) before the identify may be logged.
      expect(visitor.problems.filter((p) => !p.includes('status of 4'))).toEqual([]);
      expectNoProblems(agent);
      await visitor.context.close();
      expect(problems).toEqual([]);
    });
  });
}
