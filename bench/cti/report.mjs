// The benchmark's printout: what was measured and how, then one Markdown table row per
// scenario (times in ms on the benchmark's own clock, bytes as received on the wire).

/** Nearest-rank percentile: with 3 runs p50 is the middle one and p90 the largest. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

const ms = (value) => (value === undefined ? '–' : String(Math.round(value)));
const bytes = (value) => (value === undefined ? '–' : String(value));

export function printReport({ options, version, throttle, rows, notes }) {
  const mbit = (throttle.downloadThroughput * 8) / 1e6;
  const upMbit = (throttle.uploadThroughput * 8) / 1e6;
  console.log(`# Click to interactive, ${options.runs} run${options.runs === 1 ? '' : 's'}`);
  console.log('');
  console.log(`Baton ${options.base}, host page ${options.host}, widget ${options.key}; Chromium ${version}.`);
  console.log(`Network: ${mbit} Mbit/s down, ${upMbit} Mbit/s up, ${throttle.latency} ms latency, HTTP cache disabled; each run a fresh browser context.`);
  for (const note of notes) console.log(`- ${note}`);
  console.log('');
  console.log('| scenario | runs | p50 ms | p90 ms | min ms | max ms | bytes p50 |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    const controls = row.controls.size ? `: ${[...row.controls].join(' or ')}` : '';
    const t = row.times;
    const cells = t.length
      ? [ms(percentile(t, 50)), ms(percentile(t, 90)), ms(Math.min(...t)), ms(Math.max(...t)), bytes(percentile(row.bytes, 50))]
      : ['–', '–', '–', '–', '–'];
    console.log(`| ${row.scenario}${controls} | ${t.length} | ${cells.join(' | ')} |`);
  }
  console.log('');
  console.log('Composer: textbox "Message" editable in a hydrated page and a typed character lands in it.');
  console.log('First control: "Start a conversation" enabled, or the Sign in form when the chat asks for sign-in.');
  console.log('Bytes: encodedDataLength of every request finished (headers and body as sent): the widget');
  console.log('frame\'s requests for widget rows, the whole page for support rows, the host page and its');
  console.log('embed script for the host page row. WebSocket traffic is not counted.');
  const failed = rows.filter((row) => row.failures.length);
  if (failed.length) {
    console.log('');
    for (const row of failed) {
      console.log(`Failed runs of "${row.scenario}": ${row.failures.length}`);
      for (const failure of new Set(row.failures)) console.log(`  - ${failure}`);
    }
  }
}
