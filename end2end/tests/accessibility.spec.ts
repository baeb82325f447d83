// Every page passes axe (see axe.ts) in light and dark: the public pages, the widget, the
// dashboard, queues, a customer profile, a work item and every settings page. First, the check
// itself is shown to find what it should, so a green run means something.
import { test, expect, signInStaff, signInAvailableAgent, resolveAndStepAway, waitForHydration, newCustomer } from './fixtures';
import { checkAccessibility as check, saveAxeResults } from './axe';
import AxeBuilder from '@axe-core/playwright';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');
// Each page is checked twice (light and dark); a dozen pages take longer than one story.
test.describe.configure({ timeout: 240_000 });

test.afterAll(() => saveAxeResults(SCREENSHOTS));

test('the check finds a nameless button and faint text when they are there', async ({ page }) => {
  await page.goto('/sign-in');
  await waitForHydration(page);
  await page.evaluate(() => {
    const planted = document.createElement('div');
    planted.innerHTML = '<button></button><p style="color:#ccc;background:#fff">faint</p>';
    document.body.appendChild(planted);
  });
  const found = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const ids = found.violations.map((v) => v.id);
  expect(ids).toContain('button-name');
  expect(ids).toContain('color-contrast');
});

test('the public pages pass axe: home, sign-in, support website, widget, help article', async ({ page, browser }) => {
  await page.goto('/');
  await waitForHydration(page);
  await check(page, 'home');
  await page.goto('/sign-in');
  await waitForHydration(page);
  await check(page, 'sign-in');
  await page.goto('/support');
  await waitForHydration(page);
  await check(page, 'support index');
  await page.goto('/support/wk_demo_shop');
  await waitForHydration(page);
  await check(page, 'support website (AI agent)');
  if (await page.locator('a[href*="/articles/"]').count()) {
    await page.locator('a[href*="/articles/"]').first().click();
    await waitForHydration(page);
    await check(page, 'help article');
  }

  // The widget as the embed script's frame shows it: signed out, then in a chat.
  await page.goto('/w/wk_demo_help');
  await expect(page.getByTestId('sign-in-prompt')).toBeVisible();
  await check(page, 'widget (sign-in)');
  // Signed in, ready to start.
  const customer = await newCustomer(browser, 'Ana Access');
  await check(customer.page, 'support website (signed in)');
  await customer.context.close();
});

test('the dashboard with a chat, queues, profile and work item pass axe', async ({ page, browser }) => {
  // A chat of its own, so the pages have something to show whatever ran before.
  await signInAvailableAgent(page, 'ada@demo.baton.test');
  await check(page, 'agent dashboard');
  const customer = await newCustomer(browser, 'Axel Axe');
  await customer.page.getByRole('button', { name: 'Start a conversation' }).click();
  await page.getByRole('alertdialog', { name: 'Incoming conversation' }).filter({ hasText: 'Axel Axe' })
    .getByRole('button', { name: 'Accept' }).click();
  await page.getByRole('tab', { name: /Axel Axe/ }).click();
  await page.getByLabel('Message', { exact: true }).fill('Hello Axel, how can I help?');
  await page.getByLabel('Message', { exact: true }).press('Enter');
  await expect(customer.page.getByTestId('transcript')).toContainText('how can I help?');
  await check(page, 'agent dashboard with an Active chat');
  await check(customer.page, 'support website in a chat');
  await page.getByRole('button', { name: 'End conversation' }).click();
  await resolveAndStepAway(page);
  await check(customer.page, 'support website after the chat (rating form)');
  await customer.context.close();

  await page.goto('/agent/queues');
  await waitForHydration(page);
  await page.getByRole('textbox', { name: 'Filter' }).fill('type = Conversation ORDER BY created DESC');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('queue')).toContainText('Axel Axe');
  await check(page, 'queues');
  const row = page.getByTestId('queue').getByRole('row').filter({ hasText: 'Axel Axe' }).first();
  await row.getByRole('link', { name: 'Axel Axe', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Axel Axe' })).toBeVisible();
  await check(page, 'customer profile');
  await page.goBack();
  await waitForHydration(page);
  await page.getByRole('textbox', { name: 'Filter' }).fill('type = Conversation ORDER BY created DESC');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByTestId('queue').getByRole('row').filter({ hasText: 'Axel Axe' }).first().getByRole('link').first().click();
  await expect(page.getByRole('heading', { name: 'Work item' })).toBeVisible();
  await check(page, 'work item');
});

test('every settings page passes axe', async ({ page }) => {
  await signInStaff(page, 'admin@demo.baton.test');
  const pages: [string, string][] = [
    ['/admin', 'settings home'],
    ['/admin/site', 'site settings'],
    ['/admin/spaces', 'spaces'],
    ['/admin/experiences', 'customer experiences'],
    ['/admin/review', 'conversation review'],
    ['/admin/audit', 'audit log'],
    ['/admin/webhooks', 'webhooks'],
    ['/admin/live', 'live operations'],
    ['/admin/api-tokens', 'API tokens'],
  ];
  for (const [url, name] of pages) {
    await page.goto(url);
    await waitForHydration(page);
    await expect(page.locator('main, .settings-layout').first()).toBeVisible();
    await check(page, name);
  }
  await page.goto('/admin/spaces');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Customer Support' }).click();
  await expect(page.getByRole('region', { name: 'Saved replies' })).toBeVisible();
  await check(page, 'space settings');
  await page.goto('/admin/experiences');
  await waitForHydration(page);
  await page.locator('a[href^="/admin/experiences/"]').first().click();
  await waitForHydration(page);
  await check(page, 'customer experience');
  const experience = new URL(page.url()).pathname;
  await page.goto(`${experience}/ai`);
  await waitForHydration(page);
  await expect(page.getByRole('heading', { name: /AI agent/ }).first()).toBeVisible();
  await check(page, 'AI agent');
});
