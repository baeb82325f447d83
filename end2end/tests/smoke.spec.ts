import { test, expect, waitForHydration } from './fixtures';

test('the start page hydrates and its status check reaches the database', async ({ page, problems }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Baton', level: 1 })).toBeVisible();
  await waitForHydration(page);

  await page.getByRole('button', { name: 'Check service status' }).click();

  // A visitor learns that Baton and its database answer, and no figures (issue 15, item 10).
  await expect(page.getByTestId('service-status')).toHaveText('Baton is running and its database answers.');
  expect(problems).toEqual([]);
});

test('an unknown address shows a page-not-found page with status 404', async ({ page, problems }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await waitForHydration(page);
  // Chromium reports the document's own 404 on the console; that one is the point of this test.
  const documentNotFound = problems.findIndex((p) => p.includes('status of 404 (Not Found)'));
  expect(documentNotFound).toBeGreaterThanOrEqual(0);
  problems.splice(documentNotFound, 1);
  expect(problems).toEqual([]);
});
