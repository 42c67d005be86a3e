import { backoffMs } from './safety-mail.dispatcher';
import { renderSafetyRequestNotice, SAFETY_MAIL_RECIPIENTS, type SafetyMailNotice } from './safety-mail';

const settings = {
  mailFrom: 'protocollo-sicurezza@comune.test',
  publicBaseUrl: 'https://helpline.comune.test/',
  safetyPoliceCommandEmail: 'pl.gabinettocomando@comune.test',
  safetyAreaDirectorEmail: 'direzione.territorialita@comune.test',
};

const notice: SafetyMailNotice = {
  eventId: '0e6c1f0a-6a57-4a0e-9d52-5f2a1b3c4d5e',
  recipient: 'police_command',
  requestId: '6f2a1c3e-8b4d-4e5f-9a6b-7c8d9e0f1a2b',
  unitId: 'unit-municipio-4',
  late: false,
  sentAt: '2026-11-25T09:30:00.000Z',
};

// What a request holds that must never travel by e-mail (seed 002's "dati anagrafici" and "sommaria descrizione").
const personal = {
  serviceUser: 'Mario Rossi, nato il 01/01/1970, CF RSSMRA70A01F205X',
  address: 'Via Rubattino 81, Milano',
  factsSummary: 'Ha minacciato la collega con un coltello',
  question: 'Ha precedenti per violenza?',
  information: 'Due denunce nel 2025',
};

describe('the e-mail announcing a sent safety request', () => {
  it('goes to the police command, and in copy to the area director, from the configured addresses', () => {
    const [police, director] = SAFETY_MAIL_RECIPIENTS.map((recipient) =>
      renderSafetyRequestNotice({ ...notice, recipient }, settings),
    );
    expect(police!.to).toBe('pl.gabinettocomando@comune.test');
    expect(director!.to).toBe('direzione.territorialita@comune.test');
    expect(police!.from).toBe('protocollo-sicurezza@comune.test');
    expect(director!.text).toMatch(/per conoscenza/);
    expect(police!.messageId).not.toBe(director!.messageId);
  });

  it('carries the reference and the link to the request, and says when it was sent (Milan time) and whether late', () => {
    const mail = renderSafetyRequestNotice(notice, settings);
    expect(mail.subject).toContain(`SR-${notice.requestId}`);
    expect(mail.text).toContain(`Riferimento: SR-${notice.requestId}`);
    expect(mail.text).toContain(`https://helpline.comune.test/safety/requests/${notice.requestId}`);
    expect(mail.text).toContain('25/11/2026 alle 10:30');
    expect(mail.text).not.toMatch(/preavviso inferiore/);
    const late = renderSafetyRequestNotice({ ...notice, late: true }, settings);
    expect(late.text).toMatch(/preavviso inferiore/);
    expect(late.subject).toMatch(/preavviso breve/);
  });

  it('carries no personal value, even when the notice it is given holds more than it should', () => {
    const overfull = { ...notice, ...personal, data: personal } as SafetyMailNotice;
    for (const recipient of SAFETY_MAIL_RECIPIENTS) {
      const mail = renderSafetyRequestNotice({ ...overfull, recipient }, settings);
      const everything = JSON.stringify(mail);
      for (const value of Object.values(personal)) {
        expect(everything).not.toContain(value);
        for (const word of value.split(/[\s,/]+/).filter((w) => w.length >= 5)) expect(everything).not.toContain(word);
      }
    }
  });

  it('keeps the same Message-ID for the same event and recipient, so a repeated delivery can be recognised', () => {
    expect(renderSafetyRequestNotice(notice, settings).messageId).toBe(
      renderSafetyRequestNotice({ ...notice }, settings).messageId,
    );
    expect(renderSafetyRequestNotice(notice, settings).messageId).toMatch(
      /^<safety-request-sent\.[0-9a-f-]+\.police_command@[^>]+>$/,
    );
  });
});

describe('the retry back-off of a failed delivery', () => {
  it('doubles from the base at each attempt and stops growing at the maximum', () => {
    expect([1, 2, 3, 4, 5].map((attempts) => backoffMs(attempts, 10_000, 60_000))).toEqual([
      10_000, 20_000, 40_000, 60_000, 60_000,
    ]);
    expect(backoffMs(0, 10_000, 60_000)).toBe(10_000);
    expect(backoffMs(60, 10_000, 15 * 60_000)).toBe(15 * 60_000);
  });
});
