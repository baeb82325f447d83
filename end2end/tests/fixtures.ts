// Shared test fixture: every test fails on a console error, a page error or a hydration
// warning, and leaves a screenshot of how the page ended under end2end/screenshots/.
import { test as base, expect, Browser, FrameLocator, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');

export function watchForProblems(page: Page, problems: string[]) {
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' || /hydration|mismatch/i.test(text)) {
      problems.push(`console ${message.type()}: ${text}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
}

export const test = base.extend<{ problems: string[] }>({
  problems: async ({ page }, use, testInfo) => {
    const problems: string[] = [];
    watchForProblems(page, problems);
    await use(problems);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const name = testInfo.titlePath.slice(1).join(' - ').replace(/[^a-z0-9 -]+/gi, '_');
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true }).catch(() => {});
    expect(problems, 'no console errors, page errors or hydration warnings').toEqual([]);
  },
});

/** Waits until the WASM app has hydrated, so clicks reach Rust handlers. */
export async function waitForHydration(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

export { expect };

/** Signs a demo team member (password baton-demo) in on `page`; they land on the dashboard. */
export async function signInStaff(page: Page, email: string) {
  await page.goto('/sign-in');
  await waitForHydration(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('baton-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/agent$/);
}

/** Signs an agent in on `page` and makes them Available in all their spaces. */
export async function signInAvailableAgent(page: Page, email: string) {
  await signInStaff(page, email);
  await waitForHydration(page);
  await page.getByLabel('Availability', { exact: true }).selectOption('Available');
  await expect(page.getByLabel('Availability', { exact: true })).toHaveValue('Available');
}

/**
 * The agent finishes the conversation on screen once it is Wrapping up: resolves it as Done
 * (Closed) and steps away (Unavailable), so later tests decide who is Available themselves
 * (SPEC R-LIFE-3, R-LIFE-4).
 */
export async function resolveAndStepAway(page: Page) {
  await expect(page.getByTestId('conversation-status')).toHaveText('Wrapping up');
  await page.getByLabel('Resolution').selectOption('Done');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await expect(page.getByTestId('conversation-status')).toHaveText('Closed');
  await page.getByLabel('Availability', { exact: true }).selectOption('Unavailable');
  await expect(page.getByLabel('Availability', { exact: true })).toHaveValue('Unavailable');
}

/** A customer in a browser context of their own: a new account on the support site, signed in. */
export async function newCustomer(browser: Browser, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  watchForProblems(page, problems);
  await page.goto('/support/wk_demo_help');
  await waitForHydration(page);
  await signUpAsCustomer(page, name);
  return { context, page, problems };
}

/**
 * Creates a customer account (a unique email from the name) with the chat's own form, on the
 * support website or inside the widget's frame; the chat then offers to start a conversation.
 */
export async function signUpAsCustomer(chat: Page | FrameLocator, name: string) {
  await expect(chat.getByTestId('sign-in-prompt')).toBeVisible();
  const signUp = chat.getByRole('form', { name: 'Create an account' });
  await signUp.getByLabel('Your name').fill(name);
  const slug = name.toLowerCase().replace(/[^a-z]+/g, '-');
  await signUp.getByLabel('Email').fill(`${slug}-${Date.now()}@example.com`);
  await signUp.getByLabel('Password').fill('a long password');
  await signUp.getByRole('button', { name: 'Create account' }).click();
  await expect(chat.getByRole('button', { name: 'Start a conversation' })).toBeVisible();
}
