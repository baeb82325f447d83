// The customer's chat as the benchmark sees it, in the widget's frame or inline on the support
// website: which control a visitor can use first, when the composer accepts input, and how a
// visitor gets an open conversation to come back to. UI terms as the product shows them.
import { firstTimeTrue, sleep } from './browser.mjs';

/** The app marks its page as answering clicks; before that a server-rendered control is inert. */
const HYDRATED = 'body[data-hydrated="true"]';

export function launcher(page) {
  return page.getByRole('button', { name: /^Open chat/ });
}

export function widgetOf(page) {
  return page.frameLocator('iframe[title="Chat"]');
}

const composer = (chat) => chat.getByRole('textbox', { name: 'Message' });
const startButton = (chat) => chat.getByRole('button', { name: 'Start a conversation' });
const newConversationButton = (chat) => chat.getByRole('button', { name: 'Start a new conversation' });
const signInEmail = (chat) => chat.getByRole('form', { name: 'Sign in' }).getByLabel('Email');
const endedNotice = (chat) => chat.getByTestId('ended-notice');

async function hydrated(chat) {
  return (await chat.locator(HYDRATED).count()) > 0;
}

/**
 * When the composer accepts input: it is editable, the app has hydrated, and a typed character
 * lands in it (then it is taken out again, so no draft builds up from run to run). Returns the
 * benchmark clock's time of the check that held.
 */
export async function composerAcceptsInput(chat, timeoutMs) {
  const box = composer(chat);
  await box.waitFor({ state: 'visible', timeout: timeoutMs });
  return firstTimeTrue(async () => {
    if (!(await box.isEditable({ timeout: 200 })) || !(await hydrated(chat))) return false;
    const before = await box.inputValue({ timeout: 200 });
    await box.press('x', { timeout: 500 });
    const landed = (await box.inputValue({ timeout: 200 })) === `${before}x`;
    if (landed) await box.press('Backspace', { timeout: 500 });
    return landed;
  }, timeoutMs, 'the composer (textbox "Message") to accept input');
}

/**
 * When a brand-new visitor can first use the chat: "Start a conversation" enabled (a chat that
 * needs no sign-in) or the Sign in form's Email field editable (one that does), once hydrated.
 * Returns the time and which of the two it was.
 */
export async function firstControlUsable(chat, timeoutMs) {
  const start = startButton(chat);
  const email = signInEmail(chat);
  await start.or(email).first().waitFor({ state: 'visible', timeout: timeoutMs });
  let control = '';
  const at = await firstTimeTrue(async () => {
    if (!(await hydrated(chat))) return false;
    if ((await start.count()) && (await start.isEnabled({ timeout: 200 }))) control = '"Start a conversation"';
    else if ((await email.count()) && (await email.isEditable({ timeout: 200 }))) control = 'Sign in form';
    return control !== '';
  }, timeoutMs, '"Start a conversation" or the Sign in form to be usable');
  return { at, control };
}

/**
 * Brings the chat to an open conversation with the composer showing, unthrottled, from
 * whatever it shows: creates an account when the chat asks for sign-in, starts a conversation,
 * and when that ends at once with the Fallback message (no agent Available) has `agent` take
 * it. Returns what it had to do, for the report.
 */
export async function openConversation(chat, { visitorName, agent, timeoutMs }) {
  const steps = [];
  const box = composer(chat);
  const waitForAny = (...locators) => locators.reduce((a, b) => a.or(b)).first().waitFor({ state: 'visible', timeout: timeoutMs });
  await waitForAny(box, startButton(chat), newConversationButton(chat), signInEmail(chat));
  await chat.locator(HYDRATED).waitFor({ state: 'attached', timeout: timeoutMs });
  if (await ready(chat)) return steps;
  if (await signInEmail(chat).isVisible()) {
    await signUp(chat, visitorName, timeoutMs);
    steps.push('created a customer account (the chat asks for sign-in)');
  }
  await startConversation(chat, timeoutMs);
  await waitForAny(box, endedNotice(chat));
  if (await settledOpen(chat)) {
    if (await chat.getByTestId('waiting').isVisible()) {
      steps.push('its conversation is Waiting for agent (an agent is Available) and is left so: it goes to whoever accepts it');
    }
    return steps;
  }
  // Ended at once: the Fallback message, as no agent is Available. An agent takes the next one.
  await agent.becomeAvailable();
  await startConversation(chat, timeoutMs);
  await agent.accept(visitorName);
  await box.waitFor({ state: 'visible', timeout: timeoutMs });
  steps.push(`${agent.email} accepted the conversation (no agent was Available)`);
  return steps;
}

/**
 * The Fallback message comes over the socket just after the start, so the composer may show
 * for a moment before the conversation ends: look again a little later.
 */
async function settledOpen(chat) {
  await sleep(2_000);
  return ready(chat);
}

async function ready(chat) {
  return (await composer(chat).isVisible()) && !(await endedNotice(chat).isVisible());
}

async function startConversation(chat, timeoutMs) {
  if (await newConversationButton(chat).isVisible()) await newConversationButton(chat).click({ timeout: timeoutMs });
  await startButton(chat).click({ timeout: timeoutMs });
}

/** Creates a customer account with the chat's own form; the email is unique per visitor. */
async function signUp(chat, name, timeoutMs) {
  const form = chat.getByRole('form', { name: 'Create an account' });
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  await form.getByLabel('Your name').fill(name, { timeout: timeoutMs });
  await form.getByLabel('Email').fill(`${slug}-${Date.now()}@example.com`);
  await form.getByLabel('Password').fill('a long password');
  await form.getByRole('button', { name: 'Create account' }).click();
  await startButton(chat).waitFor({ state: 'visible', timeout: timeoutMs });
}
