// Attachments both ways, in the real situation: the customer is in the widget on a shop on
// another site (http://localhost:3002, a third-party frame without cookies), the agent on the
// dashboard. A picture pasted by the customer reaches the agent as a thumbnail; a PDF chosen
// with the file picker arrives as a download; a file the agent drops on the thread reaches the
// customer's frame, which downloads it with its session header. A 30 MB file and an .exe are
// refused with a message that says why; another agent, and anyone signed out, get 404 for the
// file's address; the download carries Content-Disposition and nosniff.
import { Page, FrameLocator } from '@playwright/test';
import { test, expect, signInAvailableAgent, signInStaff, signUpAsCustomer, waitForHydration } from './fixtures';
import { acceptOffer, endAndResolve, newParty, openChat, stepAway, SCREENSHOTS } from './host-page';
import { checkAccessibility, saveAxeResults } from './axe';
import * as path from 'path';

test.describe.configure({ mode: 'serial', timeout: 120_000 });
test.afterAll(() => saveAxeResults(SCREENSHOTS));

const SHOP = 'http://localhost:3002';
const CUSTOMER = 'Petra Paste';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `attachments - ${name}.png`) });

/** Pastes a freshly drawn PNG into the composer, as a screenshot pasted from the clipboard. */
async function pastePicture(chat: FrameLocator | Page, name: string) {
  await chat.getByLabel('Message', { exact: true }).evaluate(async (composer, fileName) => {
    const canvas = document.createElement('canvas');
    canvas.width = 240;
    canvas.height = 160;
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#2563eb';
    g.fillRect(0, 0, 240, 160);
    g.fillStyle = '#fbbf24';
    g.fillRect(40, 40, 160, 80);
    const blob: Blob = await new Promise((done) => canvas.toBlob((b) => done(b!), 'image/png'));
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], fileName, { type: 'image/png' }));
    composer.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
  }, name);
}

/** Drops a file on the conversation, as one dragged from the desktop. */
async function dropFile(page: Page, name: string, text: string) {
  await page.getByRole('region', { name: 'Conversation' }).evaluate((thread, [fileName, body]) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([body], fileName, { type: 'application/pdf' }));
    thread.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    thread.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, [name, text]);
}

async function loadedPicture(scope: FrameLocator | Page, name: string) {
  const picture = scope.getByTestId('transcript').getByRole('img', { name });
  await expect(picture).toBeVisible();
  await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(240);
  return picture;
}

test('files travel both ways between the widget on another site and the dashboard, and only readers get them', async ({ browser }) => {
  const ada = await newParty(browser);
  await signInAvailableAgent(ada.page, 'ada@demo.baton.test');
  const customer = await newParty(browser);
  await customer.page.goto(`${SHOP}/`);
  const widget = await openChat(customer.page);
  await signUpAsCustomer(widget, CUSTOMER);
  await widget.getByRole('button', { name: 'Start a conversation' }).click();
  await acceptOffer(ada.page, CUSTOMER);
  await ada.page.getByRole('tab', { name: new RegExp(CUSTOMER) }).click();

  // The customer pastes a screenshot: the agent sees it as a thumbnail, and so does the
  // customer's own frame (fetched with its session header, no cookie).
  await pastePicture(widget, 'screenshot.png');
  const thumbnail = await loadedPicture(ada.page, 'screenshot.png');
  await loadedPicture(widget, 'screenshot.png');
  await shot(ada.page, 'agent sees the pasted picture');
  await shot(customer.page, 'customer pasted a picture');
  const pictureUrl = await thumbnail.evaluate((img: HTMLImageElement) => new URL(img.src).pathname);
  expect(pictureUrl).toMatch(/^\/attachments\/[0-9a-f-]+$/);

  // A PDF chosen with the file picker arrives as a download.
  await widget.locator('input[type=file]').setInputFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: PDF });
  const pdfLink = ada.page.getByRole('link', { name: 'Download invoice.pdf' });
  await expect(pdfLink).toBeVisible();
  const [download] = await Promise.all([ada.page.waitForEvent('download'), pdfLink.click()]);
  expect(download.suggestedFilename()).toBe('invoice.pdf');
  const saved = await download.path();
  expect(require('fs').readFileSync(saved!).toString()).toContain('%PDF-1.4');

  // The agent drops a file on the thread; it uploads with a progress bar and reaches the
  // customer's frame, which saves it with its session.
  await dropFile(ada.page, 'steps.pdf', '%PDF-1.4 the steps to fix the toaster');
  const stepsLink = widget.getByRole('link', { name: 'Download steps.pdf' });
  await expect(stepsLink).toBeVisible();
  const [customerDownload] = await Promise.all([customer.page.waitForEvent('download'), stepsLink.click()]);
  expect(customerDownload.suggestedFilename()).toBe('steps.pdf');

  // Upload progress: on a slow line the agent watches the bar fill.
  const cdp = await ada.page.context().newCDPSession(ada.page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 400 * 1024 });
  await ada.page.locator('input[type=file]').setInputFiles({ name: 'manual.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(1_500_000, 'x') });
  const bar = ada.page.getByRole('progressbar', { name: 'Uploading manual.pdf' });
  await expect(bar).toBeVisible();
  await expect.poll(async () => Number(await bar.getAttribute('value')), { timeout: 10_000 }).toBeGreaterThan(0);
  await ada.page.getByRole('region', { name: 'Conversation' }).screenshot({ path: path.join(SCREENSHOTS, 'attachments - upload progress.png') });
  await expect(bar).toHaveCount(0, { timeout: 20_000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await expect(widget.getByRole('link', { name: 'Download manual.pdf' })).toBeVisible();

  // Refused, with a reason the customer can act on: too large, and a program.
  await widget.locator('input[type=file]').setInputFiles({ name: 'video.zip', mimeType: 'application/zip', buffer: Buffer.alloc(30 * 1024 * 1024) });
  await expect(widget.getByTestId('upload-problem')).toHaveText('video.zip is 30.0 MB; files can be at most 10.0 MB. Send a smaller file.', { timeout: 30_000 });
  await widget.locator('input[type=file]').setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') });
  await expect(widget.getByTestId('upload-problem')).toContainText('setup.exe is a type of file this chat does not accept. Allowed: png, jpg');
  await shot(customer.page, 'refused program');
  await expect(ada.page.getByTestId('transcript')).not.toContainText('video.zip');
  await expect(ada.page.getByTestId('transcript')).not.toContainText('setup.exe');

  // The files' addresses: Ada gets them with safe headers; Grace (same space, not in the
  // chat) and a signed-out browser get 404.
  const picture = await ada.page.request.get(pictureUrl);
  expect(picture.status()).toBe(200);
  expect(picture.headers()['content-type']).toBe('image/png');
  expect(picture.headers()['x-content-type-options']).toBe('nosniff');
  expect(picture.headers()['content-disposition']).toMatch(/^inline; filename="screenshot.png"/);
  const pdfUrl = await pdfLink.getAttribute('href');
  const pdf = await ada.page.request.get(pdfUrl!);
  expect(pdf.headers()['content-disposition']).toMatch(/^attachment; filename="invoice.pdf"/);
  expect(pdf.headers()['content-security-policy']).toContain('sandbox');
  const grace = await newParty(browser);
  await signInStaff(grace.page, 'grace@demo.baton.test');
  for (const url of [pictureUrl, pdfUrl!]) {
    expect((await grace.page.request.get(url)).status()).toBe(404);
  }
  const stranger = await newParty(browser);
  expect((await stranger.page.request.get(pictureUrl)).status()).toBe(404);
  // A page on another site cannot post a file into a conversation with someone's cookie.
  // (Refused before the conversation is even looked up.)
  const forged = await ada.page.request.post('/attachments/any-conversation?name=a.png', {
    headers: { Origin: SHOP, 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'image/png' },
    data: Buffer.from('not really'),
  });
  expect(forged.status()).toBe(403);

  await checkAccessibility(ada.page, 'agent dashboard with files in the chat');

  await endAndResolve(ada.page, CUSTOMER);
  await stepAway(ada.page);
  for (const party of [ada, customer, grace, stranger]) await party.context.close();
});

test('a site admin sets the largest file and the allowed types; programs are never allowed', async ({ page }) => {
  await signInStaff(page, 'admin@demo.baton.test');
  await page.goto('/admin/site');
  await waitForHydration(page);
  const form = page.getByRole('form', { name: 'Attachments' });
  await expect(form.getByLabel('Largest file (MB)')).toHaveValue('10');
  const types = form.getByLabel('Allowed file types');
  const before = await types.inputValue();
  await types.fill('pdf, exe');
  await form.getByRole('button', { name: 'Save attachment settings' }).click();
  await expect(form.getByRole('alert')).toContainText('.exe files are never accepted');
  await form.getByLabel('Largest file (MB)').fill('5');
  await types.fill('pdf png');
  await form.getByRole('button', { name: 'Save attachment settings' }).click();
  await expect(form.getByRole('status')).toHaveText('Attachment settings saved.');
  await shot(page, 'settings');
  await page.reload();
  await waitForHydration(page);
  await expect(form.getByLabel('Largest file (MB)')).toHaveValue('5');
  await expect(form.getByLabel('Allowed file types')).toHaveValue('pdf, png');
  // Back to the demo's values for the specs that follow.
  await form.getByLabel('Largest file (MB)').fill('10');
  await form.getByLabel('Allowed file types').fill(before);
  await form.getByRole('button', { name: 'Save attachment settings' }).click();
  await expect(form.getByRole('status')).toHaveText('Attachment settings saved.');
});
