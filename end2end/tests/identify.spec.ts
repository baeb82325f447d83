// The embedding site signs its user in with Baton.identify(token): an HS256 JWT signed with the
// experience's identity secret (SPEC R-CUST-2). A good token signs in at once, without Baton's
// own sign-in; a replayed, forged or expired one is refused with a message the customer can act on.
import { test, expect, watchForProblems } from './fixtures';
import { identitySecret, signIdentity } from './identity';
import { Browser, Page } from '@playwright/test';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');
const HOST = 'http://127.0.0.1:3002/';

/** A visitor of the host page whose site calls Baton.identify(token) before opening the chat. */
async function visitWithToken(browser: Browser, token: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems: string[] = [];
  watchForProblems(page, problems);
  await page.goto(HOST);
  await page.evaluate((t) => (window as any).Baton.identify(t), token);
  await page.getByRole('button', { name: 'Open chat' }).click();
  const widget = page.frameLocator('iframe[title="Chat"]');
  await expect(widget.locator('body[data-hydrated="true"]')).toHaveCount(1);
  return { context, page, widget, problems };
}

const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

test('a token from the embedding site signs the customer in; a replay, a forgery and an expired token are refused', async ({ page, problems, browser }) => {
  // Four visitors, each a browser context loading the widget from scratch, after an admin's
  // sign-in: more than the default 30 s on a busy 2-core machine (it took 28–30 s).
  test.setTimeout(60_000);
  const secret = await identitySecret(page);
  const sub = `site-user-${Date.now()}`;
  const token = signIdentity(secret, { sub, exp: inAnHour(), jti: `jti-${Date.now()}`, name: 'Iris Identified' });

  // The site's user is signed in without Baton's sign-in form and can start a chat at once.
  const first = await visitWithToken(browser, token);
  await expect(first.widget.getByText('Signed in as')).toContainText('Iris Identified');
  await expect(first.widget.getByTestId('sign-in-prompt')).toHaveCount(0);
  await expect(first.widget.getByRole('button', { name: 'Start a conversation' })).toBeVisible();
  await first.page.screenshot({ path: path.join(SCREENSHOTS, 'identify - signed in by the site.png'), fullPage: true });
  expect(first.problems.filter((p) => !p.includes('status of 4'))).toEqual([]);
  await first.context.close();

  // The same token again (a replay) is refused, and the customer is not signed in.
  const replay = await visitWithToken(browser, token);
  await expect(replay.widget.getByRole('alert').filter({ hasText: 'already used' })).toBeVisible();
  await expect(replay.widget.getByTestId('sign-in-prompt')).toBeVisible();
  await replay.page.screenshot({ path: path.join(SCREENSHOTS, 'identify - replay refused.png'), fullPage: true });
  await replay.context.close();

  // Signed with another secret: refused, with what to do.
  const forged = signIdentity('not-the-secret', { sub, exp: inAnHour(), jti: `jti-forged-${Date.now()}` });
  const forgery = await visitWithToken(browser, forged);
  await expect(forgery.widget.getByRole('alert').filter({ hasText: 'could not be verified' })).toBeVisible();
  await expect(forgery.widget.getByTestId('sign-in-prompt')).toBeVisible();
  await forgery.context.close();

  // Expired well beyond the leeway: refused, with what to do.
  const stale = signIdentity(secret, { sub, exp: Math.floor(Date.now() / 1000) - 600, jti: `jti-old-${Date.now()}` });
  const expired = await visitWithToken(browser, stale);
  await expect(expired.widget.getByRole('alert').filter({ hasText: 'has expired' })).toBeVisible();
  await expect(expired.widget.getByTestId('sign-in-prompt')).toBeVisible();
  await expired.page.screenshot({ path: path.join(SCREENSHOTS, 'identify - expired refused.png'), fullPage: true });
  await expired.context.close();
  expect(problems).toEqual([]);
});
