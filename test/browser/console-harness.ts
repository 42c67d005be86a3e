import type { INestApplication } from '@nestjs/common';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { mintDevelopmentToken, Role } from '@helpline/auth';
import type { Settings } from '@helpline/config';
import { createTestDatabase, TestDatabase } from '@helpline/database';
import { DirectoryService } from '@helpline/directory';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { TEST_JWT_SECRET, testSettings } from '../support/test-settings';

const ROOT = resolve(__dirname, '..', '..');
/** Debian's Chromium (apt-get install chromium): Playwright drives it; no browser is downloaded. */
export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = existsSync(CHROMIUM)
  ? undefined
  : `The browser tests did not run: there is no Chromium at ${CHROMIUM} (apt-get install chromium; CI installs it).`;

/** Time for what a loaded 2-core machine may take: every wait is on a condition, none is a fixed sleep. */
export const PATIENCE = 60_000;

/** The console built by Vite and served by the real API (on port 0) on a fresh database, the sample directory in it. */
export class ConsoleUnderTest {
  private constructor(
    private readonly app: INestApplication,
    private readonly database: TestDatabase,
    private readonly consoleDir: string,
    readonly browser: Browser,
    readonly baseUrl: string,
  ) {}

  /**
   * `settings` change the API's (an OpenID provider instead of the development sign-in); `port` is where it listens
   * (default: any free one).
   */
  static async start(options: { settings?: Partial<Settings>; port?: number } = {}): Promise<ConsoleUnderTest> {
    const consoleDir = mkdtempSync(join(tmpdir(), 'helpline-console-'));
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error', '--outDir', consoleDir],
      { cwd: join(ROOT, 'apps', 'console'), stdio: 'inherit' },
    );
    const database = await createTestDatabase();
    await DirectoryService.onDatabase(database).importSample('test-setup');
    const settings = testSettings({ developmentMode: true, ...options.settings });
    const app = await createApiApp({ settings, database, consoleDir, bufferLogs: true });
    await app.listen(options.port ?? 0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-background-networking',
        '--disable-gpu',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    return new ConsoleUnderTest(app, database, consoleDir, browser, `http://127.0.0.1:${port}`);
  }

  /** A page as one person sees it, in a browser context of its own (a tab's session is its own). */
  async page(viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await this.browser.newContext({ viewport, locale: 'it-IT', timezoneId: 'Europe/Rome' });
    context.setDefaultTimeout(PATIENCE);
    return context.newPage();
  }

  /** Signs a page in as someone who is not a demo identity, the way a development sign-in keeps its session. */
  async signInWithToken(page: Page, user: { sub: string; role: Role; lines?: string[]; serviceId?: string }) {
    const token = await mintDevelopmentToken(TEST_JWT_SECRET, user);
    await page.goto(`${this.baseUrl}/console/`);
    const session = JSON.stringify({ token, label: user.sub });
    await page.evaluate(`sessionStorage.setItem('helpline-console-development-session', ${JSON.stringify(session)})`);
  }

  async stop(): Promise<void> {
    await this.browser.close();
    await this.app.close();
    await this.database.close();
    rmSync(this.consoleDir, { recursive: true, force: true });
  }
}

/** Signs in through the development sign-in page as the demo identity with this id. */
export async function signInAs(page: Page, baseUrl: string, identity: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByRole('button', { name: new RegExp(`· ${identity}$`) }).click();
  await page.getByRole('button', { name: 'Esci' }).waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Esci' }).click();
  await page.getByRole('heading', { name: 'Accesso di sviluppo' }).waitFor();
}

/** The serious and critical accessibility violations axe-core finds on the page (WCAG 2.1 A and AA rules). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // The evaluation report is the API's own page, shown in a frame sandboxed from every script (axe's too): the
  // console around it is checked here, the report by its own tests.
  const axe = new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .exclude('iframe[sandbox]')
    .analyze();
  let timer: NodeJS.Timeout | undefined;
  const tooLong = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('axe-core did not finish')), PATIENCE);
  });
  const results = await Promise.race([axe, tooLong]).finally(() => clearTimeout(timer));
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

export function screenshotPath(name: string): string {
  return join(ROOT, 'docs', 'screenshots', `${name}.png`);
}
