// Helpers for the identity-token browser tests: what an embedding site's server does (sign a
// JWT with the experience's identity secret) and where its admin finds that secret.
import { expect, signInStaff, waitForHydration } from './fixtures';
import { Page } from '@playwright/test';
import * as crypto from 'crypto';

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** What the embedding site's server would do: sign its user's identity with the shared secret. */
export function signIdentity(secret: string, claims: Record<string, unknown>): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const mac = crypto.createHmac('sha256', secret).update(`${head}.${body}`).digest();
  return `${head}.${body}.${b64url(mac)}`;
}

/** The demo Baton Help experience's identity secret, as its admin sees it on the settings page. */
export async function identitySecret(page: Page): Promise<string> {
  await signInStaff(page, 'admin@demo.baton.test');
  await page.goto('/admin/experiences');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Baton Help' }).click();
  await waitForHydration(page);
  const field = page.getByLabel('Identity secret');
  await expect(field).toHaveValue(/^[0-9a-f]{64}$/);
  return field.inputValue();
}

