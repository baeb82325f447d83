// Playwright drives Debian's Chromium (never a downloaded browser) against a server that
// scripts/test.sh starts (the debug build, with the release widget) before and stops after the run.
import { defineConfig } from '@playwright/test';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
// The widget on a host page of another site must work as browsers are heading: with
// third-party cookies blocked. That spec runs only in a Chromium told to block them.
const CROSS_SITE_SPEC = /cross-site\.spec\.ts$/;

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    baseURL: process.env.BATON_BASE_URL ?? 'http://127.0.0.1:3000',
    trace: 'off',
    screenshot: 'off',
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
  },
  projects: [
    { name: 'chromium', testIgnore: CROSS_SITE_SPEC },
    {
      name: 'chromium-third-party-cookies-blocked',
      testMatch: CROSS_SITE_SPEC,
      use: {
        launchOptions: {
          executablePath: CHROMIUM,
          args: [...CHROMIUM_ARGS, '--test-third-party-cookie-phaseout'],
        },
      },
    },
  ],
});
