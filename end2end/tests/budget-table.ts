// The size budget's arithmetic and its table, kept free of browsers and sockets so the spec
// reads as sentences. What counts against the budget is what the customer's browser downloads
// to open the chat: the chat page, its code, styles, fonts and images (assets). Server-function
// calls and the websocket carry data, depend on who is chatting, and are listed but not counted.

export const KIB = 1024;

/** A request the browser made, as the spec recorded it. */
export interface Seen {
  url: string;
  /** Playwright's resource type: document, script, stylesheet, font, fetch, websocket, … */
  resourceType: string;
}

/** One file measured again outside the browser (see budget-measure.ts). */
export interface Measured {
  status: number;
  /** Bytes of the body without any content encoding. */
  raw: number;
  /** Bytes of that body compressed with brotli at quality 11 (the best a build can ship). */
  q11: number;
  /** Bytes as the server sent them to a client that accepts only br. */
  served: number;
  /** The content-encoding they came with ("identity" when none). */
  encoding: string;
}

export interface Row {
  seen: Seen;
  kind: string;
  isAsset: boolean;
  /** Only assets are measured. */
  measured?: Measured;
}

export interface Budget {
  title: string;
  /** Absent when only the bytes are budgeted (a single file). */
  maxRequests?: number;
  maxBytes: number;
}

const ASSET_TYPES = new Set(['document', 'script', 'stylesheet', 'font', 'image', 'media']);

/**
 * Data or asset. Only server functions (under /api/), websockets and event streams are data.
 * Any other request is an asset even when its type is not in the usual list (a fetch of a
 * .json or of a lazily loaded chunk): whatever opening the chat downloads is budgeted, so a
 * new kind of download cannot slip past.
 */
export function classify(seen: Seen): { kind: string; isAsset: boolean } {
  const { pathname } = new URL(seen.url);
  if (seen.resourceType === 'websocket') return { kind: 'websocket', isAsset: false };
  if (seen.resourceType === 'eventsource') return { kind: 'event stream', isAsset: false };
  if (pathname.startsWith('/api/')) return { kind: 'server function', isAsset: false };
  if (pathname.endsWith('.wasm')) return { kind: 'wasm', isAsset: true };
  if (ASSET_TYPES.has(seen.resourceType)) return { kind: seen.resourceType, isAsset: true };
  return { kind: `${seen.resourceType} (other)`, isAsset: true };
}

export function isServedBrotli(m: Measured): boolean {
  return m.encoding.split(',').map((e) => e.trim()).includes('br');
}

/**
 * The bytes a file costs against the budget. Served as br: what the customer downloads (never
 * less than the q11 size, so an odd or empty answer cannot pass for small). Served without br:
 * the q11 size, so the budget judges the build, not a server that forgot to compress — and the
 * table says "not served br" so that is seen too.
 */
export function countedBytes(m: Measured): number {
  return isServedBrotli(m) ? Math.max(m.served, m.q11) : m.q11;
}

export function assetsOf(rows: Row[]): Row[] {
  return rows.filter((r) => r.isAsset);
}

export function totalCounted(rows: Row[]): number {
  return assetsOf(rows).reduce((sum, r) => sum + (r.measured ? countedBytes(r.measured) : 0), 0);
}

// ---- The table ----

const HEADINGS = ['file', 'kind', 'raw bytes', 'brotli q11', 'as served (encoding)', 'counted'];
/** Text columns are left-aligned, numbers right-aligned. */
const LEFT_ALIGNED = [true, true, false, false, false, false];

function bytes(n: number): string {
  return n.toLocaleString('en-US');
}

function kib(n: number): string {
  return `${(n / KIB).toFixed(1)} KiB`;
}

/** The path alone for files on Baton's host (http or ws), the whole address for anything else. */
function fileName(url: string, batonOrigin: string): string {
  const u = new URL(url);
  return u.host === new URL(batonOrigin).host ? `${u.pathname}${u.search}` : url;
}

function servedCell(m: Measured): string {
  const note = isServedBrotli(m) ? '' : ', not served br';
  const status = m.status === 200 ? '' : `, HTTP ${m.status}`;
  return `${bytes(m.served)} (${m.encoding}${note}${status})`;
}

function cells(row: Row, batonOrigin: string): string[] {
  const file = fileName(row.seen.url, batonOrigin);
  if (!row.isAsset) return [file, row.kind, '—', '—', '—', 'data: not budgeted'];
  const m = row.measured;
  if (!m) return [file, row.kind, '?', '?', 'not measured', '?'];
  return [file, row.kind, bytes(m.raw), bytes(m.q11), servedCell(m), bytes(countedBytes(m))];
}

function totalCells(rows: Row[]): string[] {
  const assets = assetsOf(rows);
  const sum = (pick: (m: Measured) => number) =>
    assets.reduce((s, r) => s + (r.measured ? pick(r.measured) : 0), 0);
  return [`total: ${assets.length} asset request(s)`, '', bytes(sum((m) => m.raw)), bytes(sum((m) => m.q11)), '', bytes(totalCounted(rows))];
}

function layOut(lines: string[][]): string[] {
  const widths = HEADINGS.map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) =>
    l.map((c, i) => (LEFT_ALIGNED[i] ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd());
}

/** One line saying whether the budget holds, with the figures. */
export function verdict(rows: Row[], budget: Budget): string {
  const count = assetsOf(rows).length;
  const total = totalCounted(rows);
  const requests = budget.maxRequests === undefined ? '' : `${count} of at most ${budget.maxRequests} requests, `;
  const within = total <= budget.maxBytes && (budget.maxRequests === undefined || count <= budget.maxRequests);
  return `${budget.title}: ${requests}${bytes(total)} bytes (${kib(total)}) of at most ${kib(budget.maxBytes)} brotli — ${within ? 'within budget' : 'OVER BUDGET'}`;
}

/** The whole table: verdict, how to read it, one line per request, totals. */
export function formatTable(rows: Row[], budget: Budget, batonOrigin: string, notes: string[] = []): string {
  const divider = HEADINGS.map(() => '');
  const lines = layOut([HEADINGS, ...rows.map((r) => cells(r, batonOrigin)), divider, totalCells(rows)]);
  const ruled = lines.map((l) => (l.trim() === '' ? '-'.repeat(Math.max(...lines.map((x) => x.length))) : l));
  return [
    verdict(rows, budget),
    'counted = brotli bytes as served when served br, else the q11 size; data calls (server functions, websocket) are listed but not budgeted.',
    ...notes,
    '',
    ...ruled,
  ].join('\n');
}
