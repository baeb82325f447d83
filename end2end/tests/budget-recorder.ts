// Records what a host page and the chat's frame inside it download, in chapters (before the
// chat is opened, while it opens), and waits for the downloads to settle without waiting on the
// websocket or on server-function calls, which may stay open as long as the chat does.
import { FrameLocator, Page, Request, expect } from '@playwright/test';
import { Seen, classify } from './budget-table';

export interface Recorded extends Seen {
  /** Made by a frame inside the page (the chat's), not by the host page itself. */
  fromChildFrame: boolean;
}

const QUIET_MS = 750;
const SETTLE_MAX_MS = 5_000;

export class NetworkLog {
  private entries: Recorded[] = [];
  private inFlight = new Set<Request>();

  constructor(private readonly page: Page) {
    page.on('request', (request) => this.onRequest(request));
    page.on('requestfinished', (request) => this.inFlight.delete(request));
    page.on('requestfailed', (request) => this.inFlight.delete(request));
    // Websockets are no requests to Playwright; their frame is not known, their host is.
    page.on('websocket', (socket) => this.entries.push({ url: socket.url(), resourceType: 'websocket', fromChildFrame: false }));
  }

  private onRequest(request: Request) {
    const url = request.url();
    if (!/^(https?|wss?):/.test(url)) return; // data: and blob: cost no download
    const seen = { url, resourceType: request.resourceType(), fromChildFrame: this.isFromChildFrame(request) };
    this.entries.push(seen);
    if (classify(seen).isAsset) this.inFlight.add(request);
  }

  private isFromChildFrame(request: Request): boolean {
    try {
      return request.frame() !== this.page.mainFrame();
    } catch {
      return false; // a service worker's request has no frame
    }
  }

  /** What was recorded since the last call, in order; the next chapter starts empty. */
  take(): Recorded[] {
    const chapter = this.entries;
    this.entries = [];
    return chapter;
  }

  /**
   * Resolves once no asset download has been in flight for a moment (late fonts, a lazily
   * loaded chunk), or after a few seconds at most. Returns whether it settled.
   */
  async settle(): Promise<boolean> {
    const deadline = Date.now() + SETTLE_MAX_MS;
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      if (this.inFlight.size > 0) quietSince = Date.now();
      else if (Date.now() - quietSince >= QUIET_MS) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }
}

/** Whether a recorded address is Baton's (http or ws, so compared by host and port). */
export function isOnHost(entry: Seen, origin: string): boolean {
  return new URL(entry.url).host === new URL(origin).host;
}

/**
 * The chat is usable once its first control takes input: the sign-in form for a new visitor
 * (a fresh context is one), Start a conversation for a signed-in customer, or the Message box
 * during a conversation.
 */
export async function expectChatUsable(widget: FrameLocator) {
  const firstControl = widget.getByRole('button', { name: 'Start a conversation', disabled: false })
    .or(widget.getByRole('textbox', { name: 'Message', disabled: false }))
    .or(widget.getByRole('button', { name: 'Sign in', exact: true, disabled: false }))
    .or(widget.getByRole('button', { name: 'Create account', exact: true, disabled: false }));
  await expect(firstControl.first(), 'the chat offers its first control').toBeVisible();
}
