import type { Page } from 'playwright-core';
import { mintDevelopmentToken } from '@helpline/auth';
import { TEST_JWT_SECRET } from '../support/test-settings';
import { chromiumMissing, ConsoleUnderTest, PATIENCE, seriousViolations, signInAs } from './console-harness';

if (chromiumMissing) process.stderr.write(`\n${chromiumMissing}\n\n`);
const describeInChromium = chromiumMissing ? describe.skip : describe;

const colleague = { sub: 'operator-colleague', role: 'operator' as const, lines: ['sostienimi'] };

/**
 * The operator's side of the console in a real browser against the real API and database: the whole flow by
 * keyboard alone, a step sent on a case someone else has just changed, and the call-back number shown only to
 * whoever makes the call.
 */
describeInChromium('the operator in the console', () => {
  let under: ConsoleUnderTest;

  beforeAll(async () => {
    under = await ConsoleUnderTest.start();
  }, 5 * PATIENCE);
  afterAll(async () => {
    await under?.stop();
  });

  const expectAccessible = async (page: Page) => expect(await seriousViolations(page)).toEqual([]);
  const phaseIs = (page: Page, phase: string) => page.getByTestId('case-phase').filter({ hasText: phase }).waitFor();
  const step = (page: Page, title: string) => page.getByRole('region', { name: title, exact: true });

  it(
    'takes a phone call through framing, reframing, goal and a referral sent with consent, by keyboard alone',
    async () => {
      const page = await under.page();
      const keys = await Keyboard.on(page);
      await page.goto(`${under.baseUrl}/`);
      await page.getByRole('heading', { name: 'Accesso di sviluppo' }).waitFor();
      await expectAccessible(page);

      await keys.tabTo('Entra come Operatore · demo-operator');
      await keys.press('Enter');
      await page.getByRole('heading', { name: 'Coda dei casi' }).waitFor();
      // The button it came from is gone: the focus is on the new page's content, not back at the top.
      expect(await keys.focusedId()).toBe('content');
      await expectAccessible(page);

      await keys.tabTo('Nuovo caso');
      await keys.press('Enter');
      await page.getByRole('heading', { name: 'Nuovo caso da una chiamata', level: 1 }).waitFor();
      expect(await keys.focusedId()).toBe('content');
      await expectAccessible(page);
      await keys.tabTo('Tema');
      await keys.type('Alcol');
      expect(await page.getByLabel('Tema').inputValue()).toBe('alcohol');
      expect(await page.getByLabel('Canale').inputValue()).toBe('phone');
      await keys.tabTo('Apri il caso');
      await keys.press('Enter');
      await phaseIs(page, 'Primo contatto');
      expect(await keys.focusedId()).toBe('content');
      await expectAccessible(page);

      // Frames the request: past the form to its button, back with Shift+Tab to the category, then forward again.
      await keys.tabTo('Registra', 'Inquadra la domanda');
      await keys.shiftTabTo('Ascolto', 'Inquadra la domanda');
      await keys.press('Space');
      await keys.tabTo('Registra', 'Inquadra la domanda');
      await keys.press('Enter');
      await phaseIs(page, 'Inquadramento');
      await step(page, 'Inquadra la domanda').getByRole('status').filter({ hasText: 'Registrato' }).waitFor();
      // The button keeps the focus while the step is sent and after: the next Tab goes on from there.
      expect(await keys.focused()).toEqual({ name: 'Registra', region: 'Inquadra la domanda' });

      await keys.tabTo('Uso di sostanze', 'Riformula il problema');
      await keys.press('Space');
      await keys.tabTo('Registra', 'Riformula il problema');
      await keys.press('Enter');
      await phaseIs(page, 'Riformulazione');

      await keys.tabTo('Obiettivo', 'Fissa l’obiettivo');
      await keys.type('Contattare');
      expect(await step(page, 'Fissa l’obiettivo').getByLabel('Obiettivo').inputValue()).toBe('contact_a_service');
      await keys.tabTo('Registra', 'Fissa l’obiettivo');
      await keys.press('Enter');
      await phaseIs(page, 'Obiettivo');

      // Searches the directory for a SerD: the focus goes to what was found.
      const referral = 'Proponi un invio a un servizio';
      await keys.tabTo('Tipo di servizio', referral);
      await keys.type('SerD');
      expect(await step(page, referral).getByLabel('Tipo di servizio').inputValue()).toBe('serd');
      await keys.tabTo('Cerca nella rubrica', referral);
      await keys.press('Enter');
      await page.getByRole('button', { name: 'Proponi SerD Milano Centro (esempio)' }).waitFor();
      await keys.waitForFocus({ name: 'Servizi trovati', region: referral });
      await expectAccessible(page);
      await keys.tabTo('Proponi SerD Milano Centro (esempio)', referral);
      await keys.press('Enter');

      // The handoff's form appears, and the focus with it; it is sent with the caller's consent.
      const handoff = 'Invia al servizio con il consenso: esempio-serd-centro';
      await keys.waitForFocus({ name: handoff, region: handoff });
      await expectAccessible(page);
      await keys.tabTo('La persona acconsente a condividere i dati scelti con il servizio', handoff);
      await keys.press('Space');
      await keys.tabTo('Invia', handoff);
      await keys.press('Enter');
      await page.getByRole('cell', { name: 'Inviato', exact: true }).waitFor();
      // The form is gone with the proposal: the focus goes to the referrals, where the handoff now stands.
      await keys.waitForFocus({ name: 'Invii ai servizi', region: '' });
      await expectAccessible(page);
      expect(keys.presses).toBeGreaterThan(0);
      expect(await page.evaluate<number>('window.__mouseClicks')).toBe(0);
    },
    10 * PATIENCE,
  );

  it(
    'tells an operator whose step comes after a colleague’s what changed, by whom and when, and lets them retry',
    async () => {
      const first = await under.page();
      await signInAs(first, under.baseUrl, 'demo-operator');
      const caseId = await openCase(first);

      // The second operator works the same case in another browser, in another time zone than the line's.
      const context = await under.browser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: 'it-IT',
        timezoneId: 'America/New_York',
      });
      context.setDefaultTimeout(PATIENCE);
      const second = await context.newPage();
      await under.signInWithToken(second, colleague);
      await second.goto(`${under.baseUrl}/console/cases/${caseId}`);
      await phaseIs(second, 'Primo contatto');

      await step(first, 'Inquadra la domanda').getByText('Ascolto', { exact: true }).click();
      await step(first, 'Inquadra la domanda').getByRole('button', { name: 'Registra' }).click();
      await phaseIs(first, 'Inquadramento');
      const framedAt = await occurredAt(caseId, 'RequestFramed');

      const risk = step(second, 'Segnala un rischio');
      await risk.getByLabel('Livello').selectOption('high');
      await risk.getByRole('button', { name: 'Registra' }).click();
      const notice = risk.getByRole('alert');
      await notice.getByText('Mentre compilavi, qualcun altro ha modificato il caso:').waitFor();
      const changes = notice.getByRole('list', { name: 'Che cosa è cambiato' }).getByRole('listitem');
      await changes.first().waitFor();
      // In the user's words, with who and when, the time being the line's (Rome), not the browser's (New York).
      expect(await changes.allTextContents()).toEqual([
        `Domanda inquadrata, ${lineTime(framedAt)}, da demo-operator (Operatore)`,
      ]);
      await expectAccessible(second);
      // The case was read again under the form: the phase shows the colleague's step; the form kept its choice.
      await phaseIs(second, 'Inquadramento');
      expect(await risk.getByLabel('Livello').inputValue()).toBe('high');

      await notice.getByRole('button', { name: 'Riprova sul caso aggiornato' }).click();
      await second.locator('dd .badge', { hasText: 'Alto' }).waitFor();
      await notice.waitFor({ state: 'detached' });
      await second.getByRole('listitem').filter({ hasText: 'Rischio segnalato' }).waitFor();
      await context.close();
    },
    5 * PATIENCE,
  );

  it(
    'shows a call-back’s number only to the operator who makes the call, and lets a colleague take it',
    async () => {
      const first = await under.page();
      await signInAs(first, under.baseUrl, 'demo-operator');
      const caseId = await openCase(first);
      const callback = step(first, 'Richiesta di richiamata');
      await callback.getByLabel('Numero da richiamare').fill('+39 333 123 4567');
      await callback.getByRole('button', { name: 'Registra' }).click();
      const entry = first.getByTestId('callback');
      await entry.getByText('Numero: +393331234567').waitFor();

      const second = await under.page();
      await under.signInWithToken(second, colleague);
      await second.goto(`${under.baseUrl}/console/callbacks`);
      await second.getByRole('heading', { name: 'Richiamate da fare' }).waitFor();
      const row = second.getByRole('row').filter({ hasText: caseId.slice(0, 8) });
      await waitReloading(second, () => row.isVisible());
      await row.getByText('demo-operator: a te il numero non si vede').waitFor();
      await expectAccessible(second);

      // The colleague opening the case reads that a number is kept, never which one.
      await row.getByRole('link', { name: caseId.slice(0, 8) }).click();
      await second
        .getByTestId('callback')
        .getByText(/^Un numero da richiamare è conservato: lo vede solo chi fa la richiamata.*\(demo-operator\)\.$/)
        .waitFor();
      await second.getByRole('listitem').filter({ hasText: 'Richiamata richiesta' }).waitFor();
      await second.getByText('Numero da richiamare: (lo vede solo chi fa la richiamata)').waitFor();
      await expectAccessible(second);
      expect(await second.content()).not.toMatch(/3331234567|333 123 4567/);

      // Taking the call-back makes the colleague the one who calls: the number is theirs, and no longer the first's.
      await second.goto(`${under.baseUrl}/console/callbacks`);
      await second.getByRole('button', { name: `Prendi e richiama (caso ${caseId.slice(0, 8)})` }).click();
      await second.getByTestId('callback').getByText('Numero: +393331234567').waitFor();
      await first.reload();
      await first
        .getByTestId('callback')
        .getByText(/lo vede solo chi fa la richiamata.*\(operator-colleague\)/)
        .waitFor();
      expect(await first.content()).not.toMatch(/3331234567/);
    },
    5 * PATIENCE,
  );

  async function openCase(page: Page): Promise<string> {
    await page.goto(`${under.baseUrl}/console/cases/new`);
    await page.getByRole('button', { name: 'Apri il caso' }).click();
    await phaseIs(page, 'Primo contatto');
    return new URL(page.url()).pathname.split('/').pop()!;
  }

  /** When an event of the case happened, read from the API as an operator of the line. */
  async function occurredAt(caseId: string, type: string): Promise<string> {
    const token = await mintDevelopmentToken(TEST_JWT_SECRET, { ...colleague, sub: 'test-reader' });
    const response = await fetch(`${under.baseUrl}/cases/${caseId}/history`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const history = (await response.json()) as { events: Array<{ type: string; occurredAt: string }> };
    return history.events.find((event) => event.type === type)!.occurredAt;
  }
});

/** An instant as the console shows it: the line's wall time in Rome, in Italian. */
function lineTime(instant: string): string {
  return new Intl.DateTimeFormat('it-IT', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Rome' }).format(
    new Date(instant),
  );
}

type Focused = { name: string; region: string };

/**
 * The keyboard as its only user has it: Tab, Shift+Tab, Enter, Space and typing, never the mouse (the page counts
 * mouse clicks, and the test expects none). Every control the focus reaches must show that it has it.
 */
class Keyboard {
  presses = 0;

  private constructor(private readonly page: Page) {}

  static async on(page: Page): Promise<Keyboard> {
    await page.addInitScript(`
      window.__mouseClicks = 0;
      window.addEventListener('mousedown', () => { window.__mouseClicks++; }, true);
    `);
    return new Keyboard(page);
  }

  async press(key: 'Enter' | 'Space' | 'Tab' | 'Shift+Tab'): Promise<void> {
    this.presses++;
    await this.page.keyboard.press(key);
  }

  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }

  tabTo(name: string, region?: string): Promise<void> {
    return this.moveTo('Tab', name, region);
  }

  shiftTabTo(name: string, region?: string): Promise<void> {
    return this.moveTo('Shift+Tab', name, region);
  }

  async focusedId(): Promise<string> {
    return this.page.evaluate<string>('document.activeElement ? document.activeElement.id : ""');
  }

  /** The focused element's accessible name (its label, aria-label or text) and the step (region) it is in. */
  async focused(): Promise<Focused> {
    // Evaluated in the page (a string: this project's types are Node's, not the DOM's).
    return this.page.evaluate<Focused>(`(() => {
      const element = document.activeElement;
      if (!element || element === document.body) return { name: '', region: '' };
      const label = element.id ? document.querySelector('label[for="' + element.id + '"]')?.textContent : undefined;
      const section = element.closest('section[aria-labelledby]');
      const heading = section ? document.getElementById(section.getAttribute('aria-labelledby')) : null;
      return {
        name: (element.getAttribute('aria-label') ?? label ?? element.textContent ?? '').trim(),
        region: heading ? heading.textContent.trim() : '',
      };
    })()`);
  }

  async waitForFocus(expected: Focused): Promise<void> {
    const deadline = Date.now() + PATIENCE;
    let now = await this.focused();
    while (now.name !== expected.name || now.region !== expected.region) {
      if (Date.now() > deadline) throw new Error(`the focus went to ${JSON.stringify(now)}, not to ${expected.name}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      now = await this.focused();
    }
    expect(await this.focusIsVisible()).toBe(true);
  }

  private async moveTo(key: 'Tab' | 'Shift+Tab', name: string, region?: string): Promise<void> {
    for (let presses = 0; presses < 200; presses++) {
      await this.press(key);
      const now = await this.focused();
      if (now.name === name && (region === undefined || now.region === region)) {
        expect({ name, visible: await this.focusIsVisible() }).toEqual({ name, visible: true });
        return;
      }
    }
    throw new Error(`${key} never reached "${name}"${region ? ` in "${region}"` : ''}`);
  }

  /** Whether the focused control shows a focus ring (an outline or a shadow), on itself or on its label. */
  private focusIsVisible(): Promise<boolean> {
    return this.page.evaluate<boolean>(`(() => {
      const ring = (element) => {
        if (!element) return false;
        const style = getComputedStyle(element);
        const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
          && style.outlineColor !== 'rgba(0, 0, 0, 0)' && style.outlineColor !== 'transparent';
        return outline || (style.boxShadow !== 'none' && style.boxShadow !== '');
      };
      const element = document.activeElement;
      const label = element && element.id ? document.querySelector('label[for="' + element.id + '"]') : null;
      return ring(element) || ring(label);
    })()`);
  }
}

/** Reloads until the condition holds: a read model catches up with a write made by someone else, on its own time. */
async function waitReloading(page: Page, holds: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + PATIENCE;
  while (!(await holds())) {
    if (Date.now() > deadline) throw new Error('the page never showed what was expected');
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
  }
}
