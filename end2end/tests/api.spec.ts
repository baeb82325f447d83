// Operations for other systems: the REST API's OpenAPI document validates against the OpenAPI
// 3.1 schema (a validator package, not a hand check); a site admin makes an API token (shown
// once), a program uses it, and revoking it shuts the program out; a webhook endpoint added on
// its settings page receives signed deliveries and its delivery log says so.
import { test, expect, signInStaff, waitForHydration } from './fixtures';
import * as crypto from 'crypto';
import * as http from 'http';
import { AddressInfo } from 'net';
import * as path from 'path';

const SCREENSHOTS = path.join(__dirname, '..', 'screenshots');

test('the OpenAPI document is valid OpenAPI 3.1 and lists every route', async ({ request }) => {
  const response = await request.get('/api/v1/openapi.json');
  expect(response.status()).toBe(200);
  const doc = await response.json();
  const { Validator } = await import('@seriousme/openapi-schema-validator');
  const validator = new Validator();
  const result = await validator.validate(doc);
  expect(result.errors ?? [], 'the document matches the OpenAPI schema').toEqual([]);
  expect(result.valid).toBe(true);
  expect(validator.version).toMatch(/^3\.1/);
  expect(Object.keys(doc.paths).sort()).toEqual([
    '/api/v1/agents/{id}/availability',
    '/api/v1/conversations',
    '/api/v1/conversations/{id}',
    '/api/v1/conversations/{id}/messages',
    '/api/v1/customers',
    '/api/v1/customers/{id}',
    '/api/v1/work-items',
  ]);
});

test('a site admin makes an API token that works until it is revoked', async ({ page, request, problems }) => {
  await signInStaff(page, 'admin@demo.baton.test');
  await page.goto('/admin/api-tokens');
  await waitForHydration(page);
  const form = page.getByRole('form', { name: 'New API token' });
  await form.getByLabel('Token name').fill('CRM sync');
  await form.getByLabel('Acts for').selectOption({ label: 'Ada Lovelace' });
  await form.getByLabel('Access').selectOption({ label: 'Read' });
  await form.getByRole('button', { name: 'Create token' }).click();
  const secretBox = page.getByTestId('api-token-secret');
  await expect(secretBox).toContainText('baton_');
  const secret = (await secretBox.locator('code').innerText()).trim();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'api tokens - created.png'), fullPage: true });

  const asProgram = () => request.get('/api/v1/conversations', { headers: { authorization: `Bearer ${secret}` } });
  expect((await asProgram()).status()).toBe(200);
  const write = await request.put('/api/v1/agents/nobody/availability', {
    headers: { authorization: `Bearer ${secret}` },
    data: { availability: 'Available' },
  });
  expect(write.status(), 'a read token may not write').toBe(403);

  await page.reload();
  await waitForHydration(page);
  expect(await page.content(), 'the token is never shown again').not.toContain(secret);
  const row = page.getByRole('table', { name: 'API tokens' }).getByRole('row').filter({ hasText: 'CRM sync' }).first();
  await expect(row).toContainText('Ada Lovelace');
  await expect(row).not.toContainText('Never');
  await row.getByRole('button', { name: 'Revoke CRM sync' }).click();
  await expect(row).toContainText('Revoked');
  expect((await asProgram()).status()).toBe(401);
});

test('a webhook endpoint gets signed deliveries and its log shows them', async ({ page, browser, problems }) => {
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  try {
    await signInStaff(page, 'admin@demo.baton.test');
    await page.goto('/admin/webhooks');
    await waitForHydration(page);
    const form = page.getByRole('form', { name: 'Add endpoint' });
    await form.getByLabel('Endpoint URL').fill(url);
    await form.getByLabel('Description').fill('Test receiver');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const secretBox = page.getByTestId('webhook-secret');
    await expect(secretBox).toContainText('whsec_');
    const secret = (await secretBox.locator('code').innerText()).trim();

    // A visitor chats with the shop's AI agent: no agent, no queue, nothing left behind for
    // the specs after this one.
    const context = await browser.newContext();
    const visitor = await context.newPage();
    await visitor.goto('/support/wk_demo_shop');
    await waitForHydration(visitor);
    await visitor.getByRole('button', { name: 'Start a conversation' }).click();
    await expect(visitor.getByTestId('transcript')).toContainText("Hi! I'm the AI agent");
    await expect.poll(() => received.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
    expect(received[0].headers['baton-event']).toBe('conversation.started');
    for (const delivery of received) {
      const signature = String(delivery.headers['baton-signature']);
      const [, t, v1] = signature.match(/^t=(\d+),v1=([0-9a-f]{64})$/) ?? [];
      const expected = crypto.createHmac('sha256', secret).update(`${t}.${delivery.body}`).digest('hex');
      expect(v1, 'the signature verifies with the secret').toBe(expected);
      expect(JSON.parse(delivery.body).id).toBe(delivery.headers['baton-webhook-id']);
    }

    const endpoint = page.getByRole('region', { name: `Endpoint ${url}` });
    await endpoint.getByRole('button', { name: 'Delivery log' }).click();
    const log = endpoint.getByRole('table', { name: 'Delivery log' });
    await expect(log.getByRole('row').filter({ hasText: 'conversation.started' })).toContainText('Delivered');
    await expect(log.getByRole('row').filter({ hasText: 'conversation.started' })).toContainText('204');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'webhooks - delivery log.png'), fullPage: true });

    // Removed, so later specs' events are not sent to a receiver that is gone.
    await endpoint.getByRole('button', { name: 'Delete endpoint' }).click();
    await expect(page.getByRole('region', { name: `Endpoint ${url}` })).toHaveCount(0);
    await context.close();
  } finally {
    server.close();
  }
});
