/** Headless Debian Chromium through playwright-core, with a fresh empty profile per launch. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** The flags the machine notes prescribe for headless Chromium here (no sandbox as root, no network chatter). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const ARTIFACTS_DIR = path.resolve(__dirname, '..', '..', '..', 'artifacts');

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium, or fails saying which package to install. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed (${CHROMIUM_PATH} is missing): install the Debian package "chromium" ` +
        '(`apt-get update && apt-get install -y chromium`, which `bash scripts/ensure-chromium.sh` runs when root)',
    );
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dtx-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 1000 },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
