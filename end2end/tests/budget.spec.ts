// The size budget, checked in CI on the release widget: opening the chat on a customer's website
// downloads at most 8 requests (the chat's page, its code, WASM, styles, fonts) and the embed
// script every page of that website loads is at most 2 KiB brotli. The bytes opening the chat
// downloads are measured against the target of 100 KiB brotli, which today's build does not
// meet (see ARCHITECTURE.md, The widget's own front end, for where the bytes go); until
// it does, CI holds the line where the build is, so no change makes it heavier unnoticed.
// Over budget fails with the table of files and sizes, which is printed either way.
// Paths are not assumed: whatever the chat's frame loads is counted.
import { test, expect } from './fixtures';
import { launcher, widgetOf } from './host-page';
import { NetworkLog, Recorded, expectChatUsable, isOnHost } from './budget-recorder';
import { measure } from './budget-measure';
import { Budget, KIB, Row, assetsOf, classify, formatTable, totalCounted, verdict } from './budget-table';
import { Page } from '@playwright/test';

// On another site than Baton (127.0.0.1), as a customer's website is.
const HOST = 'http://localhost:3002/';
const OPENING: Budget = { title: 'Opening the chat', maxRequests: 8, maxBytes: 100 * KIB };
/** What CI enforces on the bytes until the target above is met: today's build, 243.8 KiB, and a
 * little room. Lower it as the widget shrinks. It was raised twice for what issue 23 asked the
 * widget itself to do, each said in that notes: from 220 KiB for rating the chat,
 * downloading its transcript and speaking six languages (12.7 KiB), and from 233 KiB for sending
 * and showing files (12.2 KiB). Raise it only that way, with a note to the people who steer. */
const OPENING_CEILING = 245 * KIB;
const EMBED: Budget = { title: 'The embed script', maxBytes: 2 * KIB };

/** The embed script's address, as the host page's script tag names it. */
async function embedScriptUrl(page: Page): Promise<URL> {
  const src = await page.locator('script[data-baton-widget]').getAttribute('src');
  expect(src, 'the host page embeds Baton with a script tag').toBeTruthy();
  return new URL(src!, page.url());
}

/** Classifies each request and measures the assets again, one at a time. */
async function measured(requests: Recorded[]): Promise<Row[]> {
  const rows: Row[] = [];
  for (const seen of requests) {
    const { kind, isAsset } = classify(seen);
    rows.push({ seen, kind, isAsset, measured: isAsset ? await measure(seen.url) : undefined });
  }
  return rows;
}

/** Prints the table and keeps it with the test's results. */
async function report(name: string, rows: Row[], budget: Budget, table: string) {
  console.log(`\n${table}\n`);
  test.info().annotations.push({ type: 'size budget', description: verdict(rows, budget) });
  await test.info().attach(name, { body: table, contentType: 'text/plain' });
}

test('opening the chat and the embed script stay within their size budgets', async ({ page, problems }) => {
  test.setTimeout(90_000);
  // Playwright gives each test a fresh context: nothing is cached, nobody is signed in.
  const network = new NetworkLog(page);
  await page.goto(HOST);
  await expect(launcher(page)).toBeVisible();
  await network.settle();

  const embed = await embedScriptUrl(page);
  const baton = embed.origin;
  const beforeOpening = network.take().filter((r) => isOnHost(r, baton));
  expect(beforeOpening.map((r) => new URL(r.url).pathname),
    'until the chat is opened, the host page loads only the embed script from Baton').toEqual([embed.pathname]);

  const embedRows = await measured(beforeOpening);
  const embedTable = formatTable(embedRows, EMBED, baton);
  await report('embed script size.txt', embedRows, EMBED, embedTable);
  expect.soft(totalCounted(embedRows), `at most ${EMBED.maxBytes} bytes brotli\n${embedTable}`).toBeLessThanOrEqual(EMBED.maxBytes);

  await launcher(page).click();
  await expectChatUsable(widgetOf(page));
  const settled = await network.settle();
  // The chat's frame and all it loads, and anything else opening it asked of Baton.
  const opening = network.take().filter((r) => r.fromChildFrame || isOnHost(r, baton));

  const rows = await measured(opening);
  const notes = settled ? [] : ['note: downloads were still running 5 s after the chat became usable; later ones are missing.'];
  const table = formatTable(rows, OPENING, baton, notes);
  await report('opening the chat size.txt', rows, OPENING, table);
  expect(rows.some((r) => r.kind === 'document'), `the chat's page is among the recorded requests\n${table}`).toBe(true);
  expect.soft(assetsOf(rows).length, `at most ${OPENING.maxRequests} requests\n${table}`).toBeLessThanOrEqual(OPENING.maxRequests!);
  expect.soft(totalCounted(rows), `at most ${OPENING_CEILING} bytes brotli (the target is ${OPENING.maxBytes})\n${table}`)
    .toBeLessThanOrEqual(OPENING_CEILING);
});
