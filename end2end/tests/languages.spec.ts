// The widget speaks the browser's language (German, and Arabic right to left) at 320 px, and an
// experience may pin one language for everybody.
import { test, expect, signInStaff, waitForHydration } from './fixtures';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');
const NARROW = { width: 320, height: 640 };

test('the widget follows a German browser, down to its sign-up form and start button', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'de-DE', viewport: NARROW });
  const page = await context.newPage();
  await page.goto('/w/wk_demo_help');
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect(page.getByTestId('sign-in-prompt')).toHaveText('Melden Sie sich an, um mit unserem Support-Team zu chatten.');
  await expect(page.getByRole('button', { name: 'Chat schließen' })).toBeVisible();
  const signUp = page.getByRole('form', { name: 'Ein Konto erstellen' });
  await signUp.getByLabel('Ihr Name').fill('Greta Deutsch');
  await signUp.getByLabel('E-Mail').fill(`greta-${Date.now()}@example.com`);
  await signUp.getByLabel('Passwort').fill('a long password');
  await signUp.getByRole('button', { name: 'Konto erstellen' }).click();
  await expect(page.getByRole('button', { name: 'Unterhaltung beginnen' })).toBeVisible();
  await expect(page.getByText('Fragen? Unser Team hilft Ihnen gern.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Abmelden' })).toBeVisible();
  // Nothing spills out sideways at 320 px.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'languages - widget in German at 320 px.png') });
  await context.close();
});

test('the widget in Arabic is laid out right to left', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'ar-EG', viewport: NARROW });
  const page = await context.newPage();
  await page.goto('/w/wk_demo_help');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByTestId('sign-in-prompt')).toHaveText('سجّل الدخول للدردشة مع فريق الدعم.');
  // Right to left: the title starts at the right edge and the close button sits at the left.
  const title = await page.locator('.widget-title').boundingBox();
  const close = await page.getByRole('button', { name: 'إغلاق الدردشة' }).boundingBox();
  expect(title && close).toBeTruthy();
  expect(close!.x).toBeLessThan(title!.x);
  const direction = await page.getByTestId('sign-in-prompt').evaluate((el) => getComputedStyle(el).direction);
  expect(direction).toBe('rtl');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'languages - widget in Arabic at 320 px.png') });
  await context.close();
});

test('an experience that pins Spanish speaks Spanish to an English browser', async ({ page, browser }) => {
  await signInStaff(page, 'admin@demo.baton.test');
  await page.goto('/admin/experiences');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Baton Help' }).click();
  await waitForHydration(page);
  const language = page.getByRole('region', { name: 'Language' });
  await language.getByLabel('Chat language').selectOption('es');
  await expect(language.getByRole('status')).toHaveText('Chat language saved.');

  const context = await browser.newContext({ locale: 'en-US' });
  const widget = await context.newPage();
  await widget.goto('/w/wk_demo_help');
  await expect(widget.getByTestId('sign-in-prompt')).toHaveText('Inicia sesión para chatear con nuestro equipo de soporte.');
  await context.close();

  // Back to the browser's language; the audit log has both changes.
  await language.getByLabel('Chat language').selectOption('');
  await expect(language.getByRole('status')).toHaveText('Chat language saved.');
  await page.goto('/admin/audit');
  await waitForHydration(page);
  await expect(page.getByText('Language').first()).toBeVisible();
});
