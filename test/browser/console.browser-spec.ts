import type { Page } from 'playwright-core';
import {
  chromiumMissing,
  ConsoleUnderTest,
  PATIENCE,
  screenshotPath,
  seriousViolations,
  signInAs,
  signOut,
} from './console-harness';

if (chromiumMissing) process.stderr.write(`\n${chromiumMissing}\n\n`);
const describeInChromium = chromiumMissing ? describe.skip : describe;

/**
 * The console in a real browser against the real API and database (PGlite, or the server with DATABASE_URL): the
 * flow of issue 15's "Done when", every page of it checked by axe-core (the keyboard-only flow is operator-keyboard.browser-spec.ts).
 */
describeInChromium('the console', () => {
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
    'takes a phone call to a SerD and into care, shows it to the line, the evaluator and the supervisor, and to nobody else',
    async () => {
      const page = await under.page();

      // The operator opens a case from a phone call.
      await page.goto(`${under.baseUrl}/`);
      await page.getByRole('heading', { name: 'Accesso di sviluppo' }).waitFor();
      await page.getByText('solo allo sviluppo').waitFor();
      await expectAccessible(page);
      await signInAs(page, under.baseUrl, 'demo-operator');
      await page.getByRole('heading', { name: 'Coda dei casi' }).waitFor();
      await expectAccessible(page);
      await page.screenshot({ path: screenshotPath('operatore-coda') });
      await page.getByRole('link', { name: 'Nuovo caso' }).click();
      await expectAccessible(page);
      await page.getByLabel('Canale').selectOption('phone');
      await page.getByLabel('Tema').selectOption('alcohol');
      await page.getByRole('button', { name: 'Apri il caso' }).click();
      await page.getByRole('heading', { name: /^Caso [0-9A-F]{4}-[0-9A-F]{4}$/ }).waitFor();
      const caseId = new URL(page.url()).pathname.split('/').pop()!;
      await phaseIs(page, 'Primo contatto');
      await expectAccessible(page);

      // Frames the request, reframes the problem, sets the goal.
      await step(page, 'Inquadra la domanda').getByText('Ascolto', { exact: true }).click();
      await step(page, 'Inquadra la domanda').getByRole('button', { name: 'Registra' }).click();
      await phaseIs(page, 'Inquadramento');
      await step(page, 'Riformula il problema').getByText('Uso di sostanze', { exact: true }).click();
      await step(page, 'Riformula il problema').getByRole('button', { name: 'Registra' }).click();
      await phaseIs(page, 'Riformulazione');
      await step(page, 'Fissa l’obiettivo').getByLabel('Obiettivo').selectOption('contact_a_service');
      await step(page, 'Fissa l’obiettivo').getByRole('button', { name: 'Registra' }).click();
      await phaseIs(page, 'Obiettivo');
      await page.getByRole('listitem').filter({ hasText: 'Obiettivo fissato' }).waitFor();

      // Finds a SerD in the directory, proposes it and sends the handoff with the caller's consent.
      const referral = step(page, 'Proponi un invio a un servizio');
      await referral.getByLabel('Tipo di servizio').selectOption('serd');
      await referral.getByRole('button', { name: 'Cerca nella rubrica' }).click();
      await referral.getByRole('button', { name: 'Proponi SerD Milano Centro (esempio)' }).click();
      const handoff = step(page, 'Invia al servizio con il consenso: esempio-serd-centro');
      await handoff.getByText('La persona acconsente a condividere i dati scelti con il servizio').click();
      await expectAccessible(page);
      await handoff.getByRole('button', { name: 'Invia' }).click();
      await page.getByRole('cell', { name: 'Inviato', exact: true }).waitFor();
      await signOut(page);

      // The SerD's staff accept it with an appointment and record that the person was taken into care.
      await signInAs(page, under.baseUrl, 'demo-serd-staff');
      await page.getByRole('heading', { name: 'Invii ricevuti dal servizio' }).waitFor();
      const card = page.getByRole('region', { name: /^Invio / });
      await card.getByText('Alcol').waitFor();
      await expectAccessible(page);
      await page.screenshot({ path: screenshotPath('servizio-invii-ricevuti') });
      await card.getByRole('button', { name: 'Accetta con appuntamento' }).click();
      await card.getByText(/Stato: (Accettato|Appuntamento fissato)/).waitFor();
      await card.getByRole('button', { name: 'Preso in carico' }).click();
      // Taken into care, the handoff leaves the inbox of open handoffs.
      await card.waitFor({ state: 'detached' });
      await signOut(page);

      // The operator sees it on the case and in the pipeline.
      await signInAs(page, under.baseUrl, 'demo-operator');
      await page.goto(`${under.baseUrl}/console/cases/${caseId}`);
      await page.getByRole('cell', { name: 'Preso in carico', exact: true }).waitFor();
      await page.getByRole('link', { name: 'Invii ai servizi' }).click();
      await page.getByRole('heading', { name: 'Invii ai servizi', level: 1 }).waitFor();
      await waitReloading(page, () => page.getByRole('cell', { name: 'Preso in carico', exact: true }).isVisible());
      await expectAccessible(page);
      await signOut(page);

      // The evaluator opens the month's report.
      await signInAs(page, under.baseUrl, 'demo-evaluator');
      await page.getByRole('heading', { name: 'Rapporto mensile' }).waitFor();
      await page.frameLocator('iframe[title="Rapporto di valutazione"]').locator('h1').first().waitFor();
      await expectAccessible(page);
      await page.screenshot({ path: screenshotPath('valutatore-rapporto') });
      await signOut(page);

      // A supervisor reads the access log of the case and erases its personal data.
      await signInAs(page, under.baseUrl, 'demo-supervisor');
      await page.getByRole('heading', { name: 'Casi delle mie linee' }).waitFor();
      await expectAccessible(page);
      await page.screenshot({ path: screenshotPath('supervisore-casi') });
      await page.getByRole('link', { name: 'Registro degli accessi' }).click();
      await page.getByLabel('Caso (id)').fill(caseId);
      await page.getByRole('button', { name: 'Filtra' }).click();
      await page.getByRole('cell', { name: 'demo-operator' }).first().waitFor();
      await expectAccessible(page);
      await page.goto(`${under.baseUrl}/console/cases/${caseId}`);
      const erasure = step(page, 'Cancella i dati personali');
      await erasure.getByText('Non si può annullare').waitFor();
      await erasure.getByText('Ho capito che cosa si perde: cancella', { exact: true }).click();
      await expectAccessible(page);
      await erasure.getByRole('button', { name: 'Cancella i dati personali' }).click();
      await page.getByText('I dati personali di questo caso sono stati cancellati.').waitFor();
      await signOut(page);

      // Another service's staff and another line's operator see none of it.
      const otherService = await under.page();
      await under.signInWithToken(otherService, {
        sub: 'serd-nord-1',
        role: 'service_staff',
        serviceId: 'esempio-serd-nord',
      });
      await otherService.goto(`${under.baseUrl}/console/inbox`);
      await otherService.getByRole('heading', { name: 'Invii ricevuti dal servizio' }).waitFor();
      await otherService.getByText('Nessun elemento.').waitFor();
      expect(await otherService.getByRole('region', { name: /^Invio / }).count()).toBe(0);

      const otherLine = await under.page();
      await under.signInWithToken(otherLine, {
        sub: 'operator-employees',
        role: 'operator',
        lines: ['employee-support'],
      });
      await otherLine.goto(`${under.baseUrl}/console/cases/${caseId}`);
      await otherLine.getByRole('alert').waitFor();
      expect(await otherLine.getByRole('heading', { name: /^Caso / }).count()).toBe(0);
      await otherLine.goto(`${under.baseUrl}/console/pipeline`);
      await otherLine.getByText('Nessun elemento.').waitFor();
    },
    10 * PATIENCE,
  );

  it(
    'keeps a development session through a reload whose sign-in check was cut short, and ends it when the API refuses the token',
    async () => {
      const page = await under.page();
      await signInAs(page, under.baseUrl, 'demo-operator');
      await page.getByRole('heading', { name: 'Coda dei casi' }).waitFor();
      const kept = () => page.evaluate<string | null>(`sessionStorage.getItem('helpline-console-development-session')`);

      // The reload's check of who is signed in never reaches the API (a navigation cut it, the network dropped it).
      await page.route(`${under.baseUrl}/me`, (route) => route.abort());
      await page.reload();
      await page.getByText('L’accesso non è riuscito. Riprova.').waitFor();
      expect(await kept()).not.toBeNull();
      await page.unroute(`${under.baseUrl}/me`);
      await page.reload();
      await page.getByRole('heading', { name: 'Coda dei casi' }).waitFor();

      // A token the API refuses ends the session: the tab forgets it.
      await page.evaluate(
        `sessionStorage.setItem('helpline-console-development-session', JSON.stringify({ token: 'not-a-token', label: 'x' }))`,
      );
      await page.reload();
      await page.getByText('La sessione è scaduta o non è più valida: entra di nuovo.').waitFor();
      expect(await kept()).toBeNull();
    },
    5 * PATIENCE,
  );

  it(
    'fits a 768-wide tablet and shows every role its main page in Italian',
    async () => {
      const tablet = await under.page({ width: 768, height: 1024 });
      await signInAs(tablet, under.baseUrl, 'demo-operator');
      await tablet.getByRole('heading', { name: 'Coda dei casi' }).waitFor();
      expect(await tablet.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
      await expectAccessible(tablet);
      await tablet.getByRole('link', { name: 'Nuovo caso' }).click();
      await tablet.getByRole('button', { name: 'Apri il caso' }).click();
      await phaseIs(tablet, 'Primo contatto');
      expect(await tablet.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(768);
      await tablet.screenshot({ path: screenshotPath('operatore-caso-tablet') });

      const page = await under.page();
      await signInAs(page, under.baseUrl, 'demo-admin');
      await page.getByRole('heading', { name: 'Rubrica dei servizi' }).waitFor();
      await page.getByText('SerD Milano Centro (esempio)', { exact: true }).waitFor();
      await expectAccessible(page);
      await page.screenshot({ path: screenshotPath('amministratore-rubrica') });
      await page.getByRole('link', { name: 'Modelli di lettura' }).click();
      await page.getByRole('cell', { name: 'case-queue' }).waitFor();
      await expectAccessible(page);
      await signOut(page);
      await signInAs(page, under.baseUrl, 'demo-social-worker');
      await page.getByRole('heading', { name: 'Protocollo di sicurezza' }).waitFor();
      await expectAccessible(page);
      await page.screenshot({ path: screenshotPath('sicurezza-registro') });
    },
    5 * PATIENCE,
  );
});

/** Reloads until the condition holds: a read model catches up with a write made by someone else, on its own time. */
async function waitReloading(page: Page, holds: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + PATIENCE;
  while (!(await holds())) {
    if (Date.now() > deadline) throw new Error('the page never showed what was expected');
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
  }
}
