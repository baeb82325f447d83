// The browser side of the click-to-interactive benchmark: Debian's Chromium (never a downloaded
// browser), a CDP session per page that throttles the network and counts the bytes received,
// and the polling that decides when a control is usable.
import playwright from '@playwright/test';

const { chromium } = playwright;

export const CHROMIUM = '/usr/bin/chromium';

/** The throttle of the issue: 10 Mbit/s both ways and 40 ms latency (CDP wants bytes/s). */
export const THROTTLE = { latency: 40, downloadThroughput: 10_000_000 / 8, uploadThroughput: 10_000_000 / 8 };

/** `hosts`: the only names Chromium may resolve (the benchmark's loopback addresses). */
export async function launchChromium(hosts = ['localhost', '127.0.0.1']) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // The widget's frame (Baton, 127.0.0.1) is cross-site on the host page (localhost), so
      // with site isolation it runs in a renderer process of its own, and a throttle set on
      // the page's CDP session would not reach that frame's requests. Without site isolation
      // the frame shares the page's process and session: one throttle covers both, and every
      // byte the frame receives shows up in the page's Network events (checked per run, see
      // `frameBytes`). The cost: the frame no longer gets a process of its own, so the figures
      // leave out that process's start (a few ms next to a throttled load).
      '--disable-site-isolation-trials',
      // Loopback only: every other name (and address) fails to resolve.
      `--host-resolver-rules=MAP * ~NOTFOUND, ${hosts.map((host) => `EXCLUDE ${host}`).join(', ')}`,
    ],
  });
}

/**
 * Watches a page's network over CDP: remembers which frame sent each request and how many
 * bytes it took on the wire (`encodedDataLength` of Network.loadingFinished: headers and
 * body, compressed as sent). `throttle()` turns the issue's network conditions on, with the
 * HTTP cache disabled.
 */
export async function watchNetwork(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Page.enable');
  let requests = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    requests.set(e.requestId, { frameId: e.frameId, url: e.request.url, bytes: 0 });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const request = requests.get(e.requestId);
    if (request) request.bytes = e.encodedDataLength;
  });
  const mainFrameId = async () => (await cdp.send('Page.getFrameTree')).frameTree.frame.id;
  return {
    async throttle() {
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      await cdp.send('Network.emulateNetworkConditions', { offline: false, ...THROTTLE });
    },
    async clearCache() {
      await cdp.send('Network.clearBrowserCache');
    },
    /** Forgets the requests seen so far: the next counts start from here. */
    reset() {
      requests = new Map();
    },
    /** Bytes received for every request of the page and its frames. */
    pageBytes() {
      return sum([...requests.values()]);
    },
    /** Bytes received for the page's own frame (for the host page: itself and the embed script). */
    async ownBytes() {
      const main = await mainFrameId();
      return sum([...requests.values()].filter((r) => r.frameId === main));
    },
    /**
     * Bytes received by the frames other than the page's own (the widget's frame). Fails when
     * this session did not see `expectedUrl` finish loading: then the frame ran in a process
     * of its own (its request shows here, its response does not), and the throttle missed it.
     */
    async frameBytes(expectedUrl) {
      const main = await mainFrameId();
      const inFrames = [...requests.values()].filter((r) => r.frameId !== main);
      if (!inFrames.some((r) => r.url.startsWith(expectedUrl) && r.bytes > 0)) {
        throw new Error(`the page's CDP session did not see ${expectedUrl} finish loading: the widget frame ran in a process of its own and the throttle did not reach it`);
      }
      return sum(inFrames);
    },
  };
}

function sum(requests) {
  return requests.reduce((total, r) => total + r.bytes, 0);
}

export const now = () => performance.now();
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` (an async predicate that must not wait on its own) until it holds, and returns
 * the benchmark clock's time at the start of the check that held: the state was there then.
 */
export async function firstTimeTrue(check, timeoutMs, what) {
  const deadline = now() + timeoutMs;
  for (;;) {
    const startedAt = now();
    if (await check().catch(() => false)) return startedAt;
    if (now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}
