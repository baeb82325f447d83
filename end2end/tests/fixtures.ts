// Shared test fixture: every test fails on a console error, a page error or a hydration
// warning, and leaves a screenshot of how the page ended under end2end/screenshots/.
import { test as base, expect, Page } from '@playwright/test';
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
