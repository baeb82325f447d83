// The AI agent answering through a language model (an OpenAI-compatible backend), against a
// local stand-in for the model's server: the admin points the Shop Assistant at it, presses
// Test connection and saves; the API key is never shown again. A customer then watches the
// answer being written, gets it whole with a link to the article it came from, and hands off.
// At the end the Shop Assistant goes back to Built-in, as the other specs expect.
import { test, expect, signInStaff, waitForHydration, watchForProblems } from './fixtures';
import { MODEL, startModelDouble } from './model-double';

const KEY = 'sk-e2e-never-shown-7731';

test('an admin connects a language model and a customer watches its answer being written', async ({ page, browser, problems }) => {
  test.setTimeout(90_000);
  const double = await startModelDouble();
  await signInStaff(page, 'admin@demo.baton.test');
  await page.goto('/admin/experiences');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'Baton Shop Assistant' }).click();
  await page.getByRole('link', { name: 'AI agent and knowledge base' }).click();
  await expect(page).toHaveURL(/\/admin\/experiences\/[^/]+\/ai$/);
  await waitForHydration(page);
  const aiPage = page.url();
  const form = page.getByRole('form', { name: 'Model backend' });
  try {
    await form.getByLabel('Model backend').selectOption({ label: 'OpenAI-compatible' });
    await form.getByLabel('Base URL').fill(double.baseUrl);
    await form.getByLabel('Model name').fill(MODEL);
    await form.getByLabel('API key').fill(KEY);
    await form.getByLabel('Tone').fill('Warm and brief.');
    await form.getByRole('button', { name: 'Test connection' }).click();
    await expect(form.getByTestId('connection-result')).toHaveText(`Connected: ${MODEL} answered \u201cOK\u201d.`);
    await form.getByRole('button', { name: 'Save model backend' }).click();
    await expect(form.getByRole('status').filter({ hasText: 'Model backend saved.' })).toBeVisible();
    expect(double.authorizations).toContain(`Bearer ${KEY}`);

    // The key is write-only: after a reload the page says one is saved and never shows it.
    await page.goto(aiPage);
    await waitForHydration(page);
    await expect(form.getByTestId('api-key-state')).toContainText('A key is saved');
    await expect(form.getByLabel('API key')).toHaveValue('');
    expect(await page.content()).not.toContain(KEY);
    await page.screenshot({ path: 'screenshots/ai model - settings saved.png', fullPage: true });

    const context = await browser.newContext();
    const customer = await context.newPage();
    const customerProblems: string[] = [];
    watchForProblems(customer, customerProblems);
    await customer.goto('/support/wk_demo_shop');
    await waitForHydration(customer);
    await customer.getByRole('button', { name: 'Start a conversation' }).click();
    const transcript = customer.getByTestId('transcript');
    await expect(transcript).toContainText("Hi! I'm the AI agent");
    await customer.getByLabel('Message').fill('How long do refunds take?');
    await customer.getByLabel('Message').press('Enter');

    // Written before the customer's eyes: the draft grows, markers never show.
    const draft = customer.getByTestId('ai-draft');
    await expect(draft).toContainText('Refunds are paid back');
    await customer.screenshot({ path: 'screenshots/ai model - answer being written.png', fullPage: true });
    await expect(draft).toHaveCount(0);
    const answer = transcript.locator('li.msg-ai').last();
    await expect(answer).toContainText('Refunds are paid back within five days of receiving your parcel.');
    await expect(answer).not.toContainText('[1]');
    await expect(answer.getByRole('link', { name: /\/support\/wk_demo_shop\/articles\// })).toHaveCount(1);
    await customer.screenshot({ path: 'screenshots/ai model - answer with its source.png', fullPage: true });

    await customer.getByRole('button', { name: 'Talk to a person' }).click();
    await expect(transcript).toContainText("I'm passing this conversation to a person from our team");
    await expect(customer.getByTestId('handoff-sign-in')).toBeVisible();
    expect(customerProblems).toEqual([]);
    await context.close();

    // Conversation review says which backend answered.
    await page.goto('/admin/review');
    await waitForHydration(page);
    await expect(page.getByTestId('answered-by').filter({ hasText: `Model ${MODEL}` }).first()).toBeVisible();
  } finally {
    await page.goto(aiPage);
    await waitForHydration(page);
    await form.getByLabel('Model backend').selectOption({ label: 'Built-in' });
    await form.getByRole('button', { name: 'Save model backend' }).click();
    await expect(form.getByRole('status').filter({ hasText: 'Model backend saved.' })).toBeVisible();
    await double.close();
  }
  expect(problems).toEqual([]);
});
