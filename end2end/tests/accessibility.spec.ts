// Every page passes an automated accessibility check (axe, WCAG 2.2 A and AA rules) with no
// serious or critical violation, in the light and the dark colour scheme. The table of results
// is written to screenshots/axe-results.txt for the note.
import { test, expect, signInStaff, waitForHydration, newCustomer } from './fixtures';
import AxeBuilder from '@axe-core/playwright';
import { Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const results: string[] = [];

/** Runs axe on what the page shows now, in both colour schemes, and fails on serious or worse. */
async function check(page: Page, name: string, include?: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    let builder = new AxeBuilder({ page }).withTags(TAGS);
    if (include) builder = builder.include(include);
    const found = await builder.analyze();
    const bad = found.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const minor = found.violations.length - bad.length;
    results.push(`${name} (${scheme}): ${found.passes.length} rules passed, ${bad.length} serious or critical, ${minor} moderate or minor`);
    const described = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
    expect(described, `${name} in ${scheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test.afterAll(() => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  fs.writeFileSync(path.join(SCREENSHOTS, 'axe-results.txt'), results.join('\n') + '\n');
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
  const customer = await newCustomer(browser, 'Axel Axe');
  await customer.page.getByRole('button', { name: 'Start a conversation' }).click();
  await expect(customer.page.getByTestId('waiting')).toBeVisible();
  await check(customer.page, 'support website (waiting for agent)');
  await customer.context.close();
});

test('the dashboard, queues, profile and work item pass axe', async ({ page }) => {
  await signInStaff(page, 'ada@demo.baton.test');
  await waitForHydration(page);
  await check(page, 'agent dashboard');
  await page.goto('/agent/queues');
  await waitForHydration(page);
  await page.getByRole('textbox', { name: 'Filter' }).fill('type = Conversation ORDER BY created DESC');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('queue')).toBeVisible();
  await check(page, 'queues');
  const customerLink = page.getByTestId('queue').locator('a[href^="/agent/customers/"]').first();
  if (await customerLink.count()) {
    await customerLink.click();
    await waitForHydration(page);
    await check(page, 'customer profile');
    await page.goBack();
    await waitForHydration(page);
  }
  const workLink = page.getByTestId('queue').locator('a[href^="/agent/work/"]').first();
  await workLink.click();
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
  await page.goto('/admin/experiences');
  await waitForHydration(page);
  const ai = page.locator('a[href$="/ai"]').first();
  if (await ai.count()) {
    await ai.click();
    await waitForHydration(page);
    await check(page, 'AI agent');
  }
});
