// Every page passes an automated accessibility check (axe, WCAG 2.2 A and AA rules) with no
// serious or critical violation, in the light and the dark colour scheme. The specs with a live
// chat check its screens too (the agent's panel, the customer's rating form) with the same
// helper. Each result line is kept for screenshots/axe-results.txt.
import AxeBuilder from '@axe-core/playwright';
import { Page, expect } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
export const axeResults: string[] = [];

/** Runs axe on what the page shows now, in both colour schemes; fails on serious or worse. */
export async function checkAccessibility(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const found = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    const bad = found.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const minor = found.violations.length - bad.length;
    axeResults.push(`${name} (${scheme}): ${found.passes.length} rules passed, ${bad.length} serious or critical, ${minor} moderate or minor`);
    const described = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n    ')}`);
    expect(described, `${name} in ${scheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Appends this spec's results to screenshots/axe-results.txt. */
export function saveAxeResults(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  fs.appendFileSync(path.join(dir, 'axe-results.txt'), axeResults.splice(0).join('\n') + '\n');
}
