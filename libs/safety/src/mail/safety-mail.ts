import { DateTime } from 'luxon';

/** Who the protocol notifies of a sent preventive request: the local police command, and the area director in copy. */
export const SAFETY_MAIL_RECIPIENTS = ['police_command', 'area_director'] as const;
export type SafetyMailRecipient = (typeof SAFETY_MAIL_RECIPIENTS)[number];

/** One e-mail to send, as the outbox holds it: references only, never a personal value or a person's address. */
export interface SafetyMailNotice {
  /** The SafetyRequestSent event it announces: one e-mail per event and recipient, ever. */
  readonly eventId: string;
  readonly recipient: SafetyMailRecipient;
  readonly requestId: string;
  readonly unitId: string;
  readonly late: boolean;
  /** When the unit officer sent the request (ISO-8601). */
  readonly sentAt: string;
}

/** Where the notices go and how they link back, from configuration. */
export interface SafetyMailSettings {
  readonly mailFrom: string;
  readonly publicBaseUrl: string;
  readonly safetyPoliceCommandEmail: string;
  readonly safetyAreaDirectorEmail: string;
}

export interface RenderedSafetyMail {
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** Stable per event and recipient: a delivery repeated after a crash carries the same Message-ID. */
  readonly messageId: string;
}

/** The reference staff quote on the phone or in a reply: the request's id, which names nobody. */
export function safetyRequestReference(requestId: string): string {
  return `SR-${requestId}`;
}

/** The request's page in the API: only someone signed in with a protocol role can open it. */
export function safetyRequestLink(publicBaseUrl: string, requestId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/safety/requests/${encodeURIComponent(requestId)}`;
}

export function recipientAddress(recipient: SafetyMailRecipient, settings: SafetyMailSettings): string {
  return recipient === 'police_command' ? settings.safetyPoliceCommandEmail : settings.safetyAreaDirectorEmail;
}

/**
 * The e-mail announcing a sent request (seed 002: "inoltrerà preventivamente la richiesta via email al Comando ed al
 * Direttore di Area"). It is built from the notice alone, which holds no personal value, so it cannot carry one: the
 * service user's data, the address and the facts are read behind the link, by the roles allowed to.
 */
export function renderSafetyRequestNotice(notice: SafetyMailNotice, settings: SafetyMailSettings): RenderedSafetyMail {
  const reference = safetyRequestReference(notice.requestId);
  const sentAt = DateTime.fromISO(notice.sentAt, { zone: 'Europe/Rome' }).toFormat("dd/LL/yyyy 'alle' HH:mm");
  const lines = [
    notice.recipient === 'police_command'
      ? 'Al Comando di Polizia Locale,'
      : "Al Direttore di Area Territorialita' della Direzione Politiche Sociali, per conoscenza,",
    '',
    `il Servizio Sociale Professionale (unita' ${notice.unitId}) ha inoltrato una richiesta di presenza preventiva`,
    'della Polizia Locale a un colloquio programmato (linee guida del 2 marzo 2021, fase preventiva).',
    '',
    `Riferimento: ${reference}`,
    `Inoltrata il ${sentAt}.`,
    ...(notice.late ? ['Attenzione: inoltrata con un preavviso inferiore a quello previsto dal protocollo.'] : []),
    '',
    'La richiesta, con i dati necessari alla valutazione, si consulta qui (accesso riservato al personale autorizzato):',
    safetyRequestLink(settings.publicBaseUrl, notice.requestId),
    '',
    'Questo messaggio non contiene dati personali.',
  ];
  return {
    from: settings.mailFrom,
    to: recipientAddress(notice.recipient, settings),
    subject: `Protocollo sicurezza operatori: richiesta di presenza preventiva ${reference}${notice.late ? ' (preavviso breve)' : ''}`,
    text: `${lines.join('\n')}\n`,
    messageId: `<safety-request-sent.${notice.eventId}.${notice.recipient}@helpline.invalid>`,
  };
}
