import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { mintDevelopmentToken } from '@helpline/auth';
import { TEST_JWT_SECRET } from '../support/test-settings';
import { chromiumMissing, ConsoleUnderTest, PATIENCE, seriousViolations, signInAs, signOut } from './console-harness';

if (chromiumMissing) process.stderr.write(`\n${chromiumMissing}\n\n`);
const describeInChromium = chromiumMissing ? describe.skip : describe;

/**
 * The administrator's and the safety protocol's pages in a real browser against the real API and database: the
 * directory kept by hand (with a stale edit met and explained) and in HSDS, the read models rebuilt, and a request
 * for police presence drafted, sent and acknowledged by the roles the protocol names, each seeing only its own steps.
 */
describeInChromium('the console for administrators and the safety protocol', () => {
  let under: ConsoleUnderTest;

  beforeAll(async () => {
    under = await ConsoleUnderTest.start();
  }, 5 * PATIENCE);
  afterAll(async () => {
    await under?.stop();
  });

  const expectAccessible = async (page: Page) => expect(await seriousViolations(page)).toEqual([]);
  const region = (page: Page, name: string | RegExp) => page.getByRole('region', { name, exact: true });
  const fitsWidth = async (page: Page, width: number) =>
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);

  /** Another administrator's change, made through the API while the page has the service open. */
  async function changedBySomeoneElse(serviceId: string, version: number, description: string): Promise<void> {
    const token = await mintDevelopmentToken(TEST_JWT_SECRET, { sub: 'altro-amministratore', role: 'admin' });
    const response = await fetch(`${under.baseUrl}/directory/services/${serviceId}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'If-Match': `"${version}"` },
      body: JSON.stringify({ description }),
    });
    expect(response.status).toBe(200);
  }

  it(
    'creates, edits past a stale edit, retires, exports and re-imports a directory service; rebuilds a read model',
    async () => {
      const page = await under.page();
      await signInAs(page, under.baseUrl, 'demo-admin');
      await page.getByRole('heading', { name: 'Rubrica dei servizi', level: 1 }).waitFor();

      // A new service: the API's refusal of a field shows under that field, and nothing is created.
      await page.getByRole('button', { name: 'Nuovo servizio' }).click();
      const creation = region(page, 'Nuovo servizio');
      await creation.getByLabel('Ente che offre il servizio').selectOption('esempio-asst-nord');
      await creation.getByLabel('Identificativo (facoltativo)').fill('prova-serd-nord');
      await creation.getByLabel('Nome', { exact: true }).fill('SerD di prova Nord');
      await creation.getByLabel('Tipo di servizio').selectOption('serd');
      await creation.getByLabel('E-mail del servizio').fill('non-una-email');
      await creation.getByText('Municipio 9', { exact: true }).click();
      await creation.getByText('Alcol', { exact: true }).click();
      await creation.getByLabel('Nome del referente').fill('Referente invii Nord');
      await creation.getByLabel('E-mail del referente').fill('invii.nord@example.org');
      await creation.getByLabel('Tempo di risposta concordato (ore)').fill('48');
      await creation.getByRole('button', { name: 'Crea il servizio' }).click();
      const email = creation.getByLabel('E-mail del servizio');
      await creation.getByText('email must be an e-mail address').waitFor();
      expect(await email.getAttribute('aria-invalid')).toBe('true');
      const faultId = (await email.getAttribute('aria-describedby'))!.split(' ').pop()!;
      expect(await page.locator(`[id="${faultId}"]`).textContent()).toContain('email must be an e-mail address');
      await expectAccessible(page);
      await email.fill('serd.nord@example.org');
      await creation.getByRole('button', { name: 'Crea il servizio' }).click();
      await page.getByText('Servizio SerD di prova Nord creato (versione 1).').waitFor();
      const row = page.getByRole('row').filter({ hasText: 'prova-serd-nord' });
      await row.getByRole('cell', { name: 'attivo' }).waitFor();

      // An edit opened at version 1 while someone else makes version 2: refused, and what changed is shown.
      await page.getByRole('button', { name: 'Modifica SerD di prova Nord' }).click();
      const edit = region(page, 'Modifica SerD di prova Nord (versione 1)');
      await edit.getByLabel('Nome', { exact: true }).fill('SerD di prova Nord – sede unica');
      await changedBySomeoneElse('prova-serd-nord', 1, 'Aperto anche il sabato');
      await edit.getByRole('button', { name: 'Salva le modifiche' }).click();
      await edit.getByText('Qualcun altro ha modificato il servizio dopo che lo avevi aperto (versione 1)').waitFor();
      await edit.getByText(/^Versione 2: modificato da altro-amministratore/).waitFor();
      await edit.getByText('description: da «—» a «Aperto anche il sabato»').waitFor();
      await expectAccessible(page);
      await edit.getByRole('button', { name: 'Carica la versione attuale' }).click();
      const current = region(page, 'Modifica SerD di prova Nord (versione 2)');
      expect(await current.getByLabel('Descrizione').inputValue()).toBe('Aperto anche il sabato');
      await current.getByLabel('Nome', { exact: true }).fill('SerD di prova Nord – sede unica');
      await current.getByRole('button', { name: 'Salva le modifiche' }).click();
      await page.getByText('Servizio SerD di prova Nord – sede unica modificato (versione 3).').waitFor();

      // Retired: it stays in the directory (retired entries are kept), marked so.
      await page.getByRole('button', { name: 'Ritira SerD di prova Nord – sede unica' }).click();
      await page.getByText(/^Servizio SerD di prova Nord – sede unica ritirato/).waitFor();
      await row.getByRole('cell', { name: 'ritirato' }).waitFor();
      await page.getByRole('button', { name: 'Riattiva SerD di prova Nord – sede unica' }).waitFor();

      // HSDS out, and the same document in again: nothing new, nothing changed.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Esporta (HSDS JSON)' }).click(),
      ]);
      const exported = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
        hsds_version: string;
        organizations: Array<{ id: string; services?: Array<{ id: string; name: string; status: string }> }>;
      };
      expect(exported.hsds_version).toBe('3.0');
      const ours = exported.organizations
        .find((organization) => organization.id === 'esempio-asst-nord')
        ?.services?.find((service) => service.id === 'prova-serd-nord');
      expect(ours).toMatchObject({ name: 'SerD di prova Nord – sede unica', status: 'inactive' });
      await page.getByLabel('Importa un file HSDS JSON').setInputFiles({
        name: 'directory-hsds.json',
        mimeType: 'application/json',
        buffer: readFileSync(await download.path()),
      });
      await page.getByText(/^Importazione eseguita: 0 nuovi, 0 modificati, \d+ invariati\.$/).waitFor();

      // The read models: one rebuilt from the page.
      await page.getByRole('link', { name: 'Modelli di lettura' }).click();
      await page.getByRole('rowheader', { name: 'case-queue' }).waitFor();
      await page.getByRole('button', { name: 'Ricostruisci case-queue' }).click();
      await page.getByText(/^Ricostruzione di case-queue avviata/).waitFor();
      await expectAccessible(page);

      // A 768-wide tablet: the directory and its form fit.
      const tablet = await under.page({ width: 768, height: 1024 });
      await signInAs(tablet, under.baseUrl, 'demo-admin');
      await tablet.getByRole('button', { name: 'Nuovo servizio' }).click();
      await region(tablet, 'Nuovo servizio').waitFor();
      await fitsWidth(tablet, 768);
      await expectAccessible(tablet);
      await fitsWidth(page, 1280);
    },
    5 * PATIENCE,
  );

  it(
    'has a social worker draft a request, the unit officer send it and the police liaison acknowledge it, each with only their steps',
    async () => {
      const worker = await under.page();
      await signInAs(worker, under.baseUrl, 'demo-social-worker');
      await worker.getByRole('heading', { name: 'Protocollo di sicurezza', level: 1 }).waitFor();
      await worker.getByRole('heading', { name: 'Registro' }).waitFor();
      await expectAccessible(worker);

      // An empty draft is refused field by field.
      const draft = region(worker, 'Nuova richiesta di presenza');
      await draft.getByRole('button', { name: 'Salva la bozza' }).click();
      await draft.getByLabel('Luogo dell’incontro').and(worker.locator('[aria-invalid="true"]')).waitFor();

      const meeting = DateTime.now().setZone('Europe/Rome').plus({ days: 10 }).set({ hour: 10, minute: 0 });
      await draft.getByLabel('Data e ora dell’incontro').fill(meeting.toFormat("yyyy-LL-dd'T'HH:mm"));
      await draft.getByLabel('Luogo dell’incontro').fill('Via di Prova 4, Milano');
      await draft.getByLabel('Dati anagrafici della persona').fill('Persona di prova, nata nel 1980');
      await draft.getByLabel('Sintesi dei fatti').fill('Minacce all’incontro precedente.');
      await draft.getByLabel('Rischio valutato').selectOption('high');
      await draft.getByRole('button', { name: 'Salva la bozza' }).click();
      await worker.getByRole('heading', { name: /^Richiesta di presenza [0-9a-f]{8}$/ }).waitFor();
      const requestId = new URL(worker.url()).searchParams.get('request')!;
      await worker.getByTestId('safety-request-status').filter({ hasText: 'bozza' }).waitFor();
      await worker.getByText('Via di Prova 4, Milano').waitFor();
      // A social worker drafts and edits, but only the unit officer sends.
      await region(worker, 'Modifica la bozza').waitFor();
      expect(await region(worker, 'Invia alla Polizia locale').count()).toBe(0);
      await expectAccessible(worker);

      // The unit officer finds it in the register and sends it; the worker's screen, still at the draft, is stale.
      const officer = await under.page();
      await signInAs(officer, under.baseUrl, 'demo-unit-officer');
      await officer.getByRole('link', { name: `Richiesta ${requestId.slice(0, 8)}` }).click();
      await region(officer, 'Invia alla Polizia locale').getByRole('button', { name: 'Invia' }).click();
      await officer.getByTestId('safety-request-status').filter({ hasText: 'inviata' }).waitFor();
      await expectAccessible(officer);

      const staleEdit = region(worker, 'Modifica la bozza');
      await staleEdit.getByLabel('Sintesi dei fatti').fill('Minacce anche per telefono.');
      await staleEdit.getByRole('button', { name: 'Salva la bozza modificata' }).click();
      await staleEdit
        .getByText('Qualcun altro ha registrato un passo su questa pratica dopo che l’avevi aperta')
        .waitFor();
      await staleEdit.getByRole('button', { name: 'Ricarica la pratica e guarda che cosa è cambiato' }).click();
      await worker.getByTestId('safety-request-status').filter({ hasText: 'inviata' }).waitFor();
      await worker.getByRole('listitem').filter({ hasText: 'Inviata alla Polizia locale' }).waitFor();

      // The police liaison sees it among the requests waiting for an answer and acknowledges it.
      const liaison = await under.page({ width: 768, height: 1024 });
      await signInAs(liaison, under.baseUrl, 'demo-police-liaison');
      await liaison.getByRole('heading', { name: 'Richieste in attesa di risposta' }).waitFor();
      await liaison.getByRole('link', { name: `Richiesta ${requestId.slice(0, 8)}` }).click();
      const acknowledge = region(liaison, 'Presa visione');
      await acknowledge.getByRole('button', { name: 'Registra la presa visione' }).click();
      await liaison.getByTestId('safety-request-acknowledged').filter({ hasNotText: '—' }).waitFor();
      expect(await region(liaison, 'Presa visione').count()).toBe(0);
      // The police answer and ask; they neither edit, cancel nor record the meeting's outcome.
      await region(liaison, 'Conferma la presenza').waitFor();
      await region(liaison, 'Chiedi altre informazioni').waitFor();
      for (const unitStep of ['Annulla la richiesta', 'Esito dell’incontro', 'Modifica la bozza'])
        expect(await region(liaison, unitStep).count()).toBe(0);
      await fitsWidth(liaison, 768);
      await expectAccessible(liaison);

      // Back at the unit, the officer sees the acknowledgement.
      await officer.reload();
      await officer.getByTestId('safety-request-acknowledged').filter({ hasNotText: '—' }).waitFor();

      // The meeting is called off: without a reason the API names the field, with one the request is cancelled.
      const cancel = region(officer, 'Annulla la richiesta');
      await cancel.getByRole('button', { name: 'Annulla la richiesta' }).click();
      await cancel.getByLabel('Motivo').and(officer.locator('[aria-invalid="true"]')).waitFor();
      await cancel.getByLabel('Motivo').selectOption('meeting_rescheduled');
      await cancel.getByRole('button', { name: 'Annulla la richiesta' }).click();
      await officer.getByTestId('safety-request-status').filter({ hasText: 'annullata' }).waitFor();
      expect(await region(officer, 'Annulla la richiesta').count()).toBe(0);
      await signOut(officer);
    },
    5 * PATIENCE,
  );
});
