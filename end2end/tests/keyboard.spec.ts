// The whole chat with the keyboard alone: the customer in the widget on a shop on another site,
// the agent on the dashboard. Every control is reached with Tab (in the page's own focus order),
// shows a visible focus ring when reached, and is used with Enter, typing or Escape; nothing is
// clicked.
import { Locator, Page, FrameLocator } from '@playwright/test';
import { test, expect } from './fixtures';
import { newParty, SCREENSHOTS } from './host-page';
import * as path from 'path';

test.describe.configure({ timeout: 120_000 });

const SHOP = 'http://localhost:3002';
const CUSTOMER = 'Kim Keys';

/** Presses Tab until `target` has the focus (at most `max` times), as a keyboard user would. */
async function tabTo(page: Page, target: Locator, max = 60) {
  for (let i = 0; i < max; i++) {
    const there = await target.evaluate((el) => el === document.activeElement).catch(() => false);
    if (there) {
      await expectVisibleFocus(target);
      return;
    }
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

/** The focused control shows where the focus is: an outline or a ring. */
async function expectVisibleFocus(target: Locator) {
  const ring = await target.evaluate((el) => {
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || style.boxShadow !== 'none';
  });
  expect(ring, `a visible focus indicator on ${target}`).toBe(true);
}

test('a customer and an agent chat from start to end with the keyboard alone', async ({ browser }) => {
  // The agent signs in and becomes Available.
  const agent = await newParty(browser);
  const ada = agent.page;
  await ada.goto('/sign-in');
  await expect(ada.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await tabTo(ada, ada.getByLabel('Email'));
  await ada.keyboard.type('ada@demo.baton.test');
  await tabTo(ada, ada.getByLabel('Password'));
  await ada.keyboard.type('baton-demo');
  await ada.keyboard.press('Enter');
  await expect(ada).toHaveURL(/\/agent$/);
  await expect(ada.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const availability = ada.getByLabel('Availability', { exact: true });
  await tabTo(ada, availability);
  await ada.keyboard.type('Available');
  await expect(availability).toHaveValue('Available');

  // The customer opens the chat on the shop, signs up and starts a conversation.
  const customer = await newParty(browser);
  const shop = customer.page;
  await shop.goto(`${SHOP}/`);
  const launcher = shop.getByRole('button', { name: /^Open chat/ });
  await tabTo(shop, launcher);
  await shop.keyboard.press('Enter');
  const widget: FrameLocator = shop.frameLocator('iframe[title="Chat"]');
  await expect(widget.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const signUp = widget.getByRole('form', { name: 'Create an account' });
  await tabTo(shop, signUp.getByLabel('Your name'));
  await shop.keyboard.type(CUSTOMER);
  await tabTo(shop, signUp.getByLabel('Email'));
  await shop.keyboard.type(`kim-keys-${Date.now()}@example.com`);
  await tabTo(shop, signUp.getByLabel('Password'));
  await shop.keyboard.type('a long password');
  await shop.keyboard.press('Enter');
  const start = widget.getByRole('button', { name: 'Start a conversation' });
  await expect(start).toBeVisible();
  await tabTo(shop, start);
  await shop.keyboard.press('Enter');
  await expect(widget.getByTestId('waiting')).toContainText('Waiting for agent');

  // The agent reaches Accept in the offer and takes the chat.
  const offer = ada.getByRole('alertdialog', { name: 'Incoming conversation' }).filter({ hasText: CUSTOMER });
  await expect(offer).toBeVisible();
  await tabTo(ada, offer.getByRole('button', { name: 'Accept' }));
  await ada.keyboard.press('Enter');
  await expect(offer).toHaveCount(0);
  const tab = ada.getByRole('tab', { name: new RegExp(CUSTOMER) });
  await tabTo(ada, tab);
  await ada.keyboard.press('Enter');

  // Both write; Enter sends.
  const customerComposer = widget.getByLabel('Message', { exact: true });
  await tabTo(shop, customerComposer);
  await shop.keyboard.type('Typing only, no mouse.');
  await shop.keyboard.press('Enter');
  await expect(ada.getByTestId('transcript')).toContainText('Typing only, no mouse.');
  const agentComposer = ada.getByLabel('Message', { exact: true });
  await tabTo(ada, agentComposer);
  await ada.keyboard.type('Same here, Kim.');
  await ada.keyboard.press('Enter');
  await expect(widget.getByTestId('transcript')).toContainText('Same here, Kim.');
  // The attach button is in the composer's focus order too.
  await tabTo(shop, widget.getByRole('button', { name: 'Attach a file' }));
  await shop.screenshot({ path: path.join(SCREENSHOTS, 'keyboard - focus on attach a file.png') });

  // The agent ends, picks a resolution by typing, and resolves.
  await tabTo(ada, ada.getByRole('button', { name: 'End conversation' }));
  await ada.keyboard.press('Enter');
  await expect(ada.getByTestId('conversation-status')).toHaveText('Wrapping up');
  const resolution = ada.getByLabel('Resolution');
  await tabTo(ada, resolution);
  await ada.keyboard.type('Done');
  await expect(resolution).toHaveValue('Done');
  await tabTo(ada, ada.getByRole('button', { name: 'Resolve' }));
  await ada.keyboard.press('Enter');
  await expect(ada.getByTestId('conversation-status')).toHaveText('Closed');
  await expect(widget.getByTestId('transcript')).toContainText('This conversation has ended.');

  // Escape closes the chat and gives the focus back to the launcher.
  await shop.keyboard.press('Escape');
  await expect(launcher).toBeFocused();

  await tabTo(ada, availability);
  await ada.keyboard.type('Unavailable');
  await expect(availability).toHaveValue('Unavailable');
  await customer.context.close();
  await agent.context.close();
});
