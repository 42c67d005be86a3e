/** The report's words in Italian (the municipality's language) and English. Keys are the JSON's keys. */
export type Text = { readonly it: string; readonly en: string };

const t = (it: string, en: string): Text => ({ it, en });

export const TABLE_TITLES = {
  contacts_by_month: t('Contatti per mese', 'Contacts by month'),
  contacts_by_caller_type: t('Contatti per tipo di utente', 'Contacts by type of caller'),
  contacts_by_channel: t('Contatti per canale', 'Contacts by channel'),
  contacts_by_age_band: t('Contatti per fascia di età', 'Contacts by age band'),
  contacts_by_gender: t('Contatti per genere', 'Contacts by gender'),
  contacts_by_concern: t('Contatti per dipendenza o problema', 'Contacts by addiction or concern'),
  contacts_by_heard_of_line: t(
    'Contatti per come hanno conosciuto il servizio',
    'Contacts by how they heard of the line',
  ),
  contacts_by_hours: t('Contatti in orario e fuori orario', 'Contacts in and out of hours'),
  cases_by_caller: t('Nuovi utenti e utenti che ritornano (casi aperti)', 'New and returning callers (cases opened)'),
  cases_by_furthest_phase: t('Casi aperti per fase più avanzata raggiunta', 'Cases opened by furthest phase reached'),
  referral_steps: t('Invii ai servizi: passaggi nel periodo', 'Referrals to services: steps in the period'),
  closings_by_outcome: t('Chiusure per esito', 'Closings by outcome'),
} satisfies Record<string, Text>;

export const COLUMN_LABELS = {
  first: t('Primo contatto', 'First contact'),
  follow_up: t('Contatto successivo', 'Follow-up'),
  cases: t('Casi', 'Cases'),
  referrals: t('Invii', 'Referrals'),
  closings: t('Chiusure', 'Closings'),
  total: t('Totale', 'Total'),
} satisfies Record<string, Text>;

export const ROW_LABELS = {
  // caller types (seed 004's categories)
  person_concerned: t('Diretti interessati', 'People directly concerned'),
  family_or_acquaintance: t('Famigliari e conoscenti', 'Family and acquaintances'),
  social_or_health_worker: t('Operatori sociali e sanitari', 'Social and health workers'),
  media: t('Operatori della comunicazione', 'Media'),
  // channels
  phone: t('Telefono', 'Phone'),
  sms: t('SMS', 'SMS'),
  whatsapp: t('WhatsApp', 'WhatsApp'),
  email: t('E-mail', 'E-mail'),
  chat_social: t('Social e chat', 'Social media and chat'),
  voicemail: t('Segreteria telefonica', 'Answering machine'),
  video: t('Video', 'Video'),
  // age bands
  under_25: t('Meno di 25 anni', 'Under 25'),
  '25_30': t('25-29 anni', '25-29'),
  '30_40': t('30-39 anni', '30-39'),
  '40_50': t('40-49 anni', '40-49'),
  '50_60': t('50-59 anni', '50-59'),
  over_60: t('60 anni e oltre', '60 and over'),
  unknown: t('Non rilevata', 'Not known'),
  // genders
  female: t('Donne', 'Women'),
  male: t('Uomini', 'Men'),
  non_binary: t('Non binario', 'Non-binary'),
  not_stated: t('Non dichiarato', 'Not stated'),
  // concerns
  alcohol: t('Alcol', 'Alcohol'),
  cocaine: t('Cocaina', 'Cocaine'),
  heroin_opioids: t('Eroina e oppiacei', 'Heroin and opioids'),
  cannabis: t('Cannabis', 'Cannabis'),
  synthetic_drugs: t('Droghe sintetiche', 'Synthetic drugs'),
  prescription_drugs: t('Farmaci', 'Prescription drugs'),
  polydrug: t('Poliabuso', 'Polydrug use'),
  gambling: t("Gioco d'azzardo", 'Gambling'),
  gaming_internet: t('Videogiochi e internet', 'Gaming and internet'),
  other_behaviour: t('Altre dipendenze comportamentali', 'Other behavioural addictions'),
  // heard of the line
  web_search: t('Ricerca in rete', 'Web search'),
  social_media: t('Social network', 'Social media'),
  press: t('Stampa', 'Press'),
  services: t('Servizi', 'Services'),
  word_of_mouth: t('Passaparola', 'Word of mouth'),
  posters: t('Cartoline e locandine', 'Postcards and posters'),
  other: t('Altro', 'Other'),
  // hours
  in_hours: t('In orario', 'In hours'),
  out_of_hours_recovered: t('Fuori orario, recuperati con richiamata', 'Out of hours, recovered by a call-back'),
  out_of_hours_not_recovered: t('Fuori orario, non recuperati', 'Out of hours, not recovered'),
  // callers
  new: t('Nuovo utente', 'New caller'),
  returning: t('Utente che ritorna', 'Returning caller'),
  not_identified: t('Senza numero per richiamata', 'No call-back number'),
  // phases
  first_contact: t('Primo contatto', 'First contact'),
  framing: t('Richiesta inquadrata', 'Request framed'),
  reframing: t('"Reale problema" individuato', '"Real problem" identified'),
  goal: t('Obiettivo concordato', 'Goal agreed'),
  orientation: t('Orientamento a un servizio', 'Orientation to a service'),
  accompaniment: t('Accompagnamento', 'Accompaniment'),
  // referral steps and progress
  no_referral: t('Nessun invio', 'No referral'),
  proposed: t('Invio proposto', 'Referral proposed'),
  sent: t('Segnalazione inviata', 'Handoff sent'),
  accepted: t('Accettata dal servizio', 'Accepted by the service'),
  declined: t('Rifiutata (nessuna accettata)', 'Declined (none accepted)'),
  taken_into_care: t('Presa in carico', 'Taken into care'),
  // outcomes
  information_given: t('Informazioni fornite', 'Information given'),
  referred_to_service: t('Inviato a un servizio', 'Referred to a service'),
  taken_in_charge_by_line: t('Preso in carico dalla linea', 'Taken in charge by the line'),
  caller_withdrew: t("Interrotto dall'utente", 'Caller withdrew'),
  not_reachable: t('Non raggiungibile', 'Not reachable'),
  inappropriate_contact: t('Contatto non pertinente', 'Inappropriate contact'),
} satisfies Record<string, Text>;

/** In the referral-steps table, "declined" counts every declined handoff. */
export const STEP_LABELS = {
  ...ROW_LABELS,
  declined: t('Rifiutata dal servizio', 'Declined by the service'),
} satisfies Record<string, Text>;

export const INDICATOR_LABELS = {
  handoff_acceptance_rate: t('Tasso di accettazione delle segnalazioni', 'Handoff acceptance rate'),
  out_of_hours_recovery_rate: t(
    'Contatti fuori orario recuperati con richiamata',
    'Out-of-hours contacts recovered by a call-back',
  ),
  median_days_to_handoff_accepted: t(
    'Giorni (mediana) dal primo contatto alla segnalazione accettata',
    'Median days from first contact to handoff accepted',
  ),
  median_days_to_taken_into_care: t(
    'Giorni (mediana) dal primo contatto alla presa in carico',
    'Median days from first contact to taken into care',
  ),
} satisfies Record<string, Text>;

export const WORDS = {
  title: t('Relazione di valutazione', 'Evaluation report'),
  lineReport: t('Relazione mensile della linea (dati completi)', "The line's monthly report (full figures)"),
  evaluatorReport: t(
    'Relazione per la valutazione (dati aggregati, celle piccole oscurate)',
    'Evaluation report (aggregates, small cells suppressed)',
  ),
  period: t('Periodo', 'Period'),
  asOf: t('Situazione al', 'As of'),
  live: t('Dati correnti', 'Current data'),
  romeTime: t('ora di Roma', 'Rome time'),
  timeZone: t('Mesi di calendario, ora di Roma', 'Calendar months, Rome time'),
  definitions: t('Definizioni', 'Definitions'),
  logState: t('Registro fino alla posizione', 'Log up to position'),
  contacts: t('Contatti', 'Contacts'),
  firstContacts: t('Primi contatti (casi aperti)', 'First contacts (cases opened)'),
  followUps: t('Contatti successivi', 'Follow-up contacts'),
  indicators: t('Indicatori', 'Indicators'),
  value: t('Valore', 'Value'),
  basis: t('Calcolato su', 'Based on'),
  cohorts: t(
    'Coorti: casi aperti nel mese, seguiti a 30, 60 e 90 giorni',
    'Cohorts: cases opened in the month, followed at 30, 60 and 90 days',
  ),
  cohortMonth: t('Mese di apertura', 'Month opened'),
  cohortSize: t('Casi', 'Cases'),
  reachedWithin: t('Raggiunto entro 30 / 60 / 90 giorni', 'Reached within 30 / 60 / 90 days'),
  incomplete: t('periodo non ancora trascorso per tutti i casi', 'horizon not yet elapsed for every case'),
  suppressed: t('oscurato', 'suppressed'),
  suppressionTitle: t('Celle oscurate', 'Suppressed cells'),
  suppressionText: t(
    'I valori inferiori a {threshold} non sono pubblicati (—), per non rendere riconoscibili le persone. Sono oscurati anche altri valori della stessa riga o colonna (soppressione complementare), scelti in modo che nessun valore oscurato si possa ricavare dai totali o dalle altre celle: la somma delle celle oscurate di un totale pubblicato non è mai inferiore a {threshold}. Le mediane calcolate su meno di {threshold} casi e i tassi che dipendono da un valore oscurato non sono pubblicati. Questa relazione ha {count} celle oscurate.',
    'Figures below {threshold} are not published (—), so that no one can be recognised. Other figures of the same row or column are suppressed too (complementary suppression), chosen so that no suppressed figure can be worked out from the totals or from the other cells: the suppressed cells under a published total never add up to less than {threshold}. Medians over fewer than {threshold} cases and rates that depend on a suppressed figure are not published. This report has {count} suppressed cells.',
  ),
  fullFiguresText: t(
    'Dati completi, per la linea e per il Comune. Non contiene dati personali, ma le celle piccole non sono oscurate: non diffondere.',
    'Full figures, for the line and the municipality. It holds nothing personal, but small cells are not suppressed: do not publish.',
  ),
  noLines: t('Nessuna linea da riportare.', 'No line to report.'),
  noContacts: t('Nessun contatto nel periodo.', 'No contacts in the period.'),
  language: t('Lingua', 'Language'),
  notesTitle: t('Note sulle definizioni', 'Notes on the definitions'),
  notes: t(
    "Un contatto è il primo contatto di un caso o un contatto successivo; il profilo (tipo di utente, età, genere, dipendenza, come ha conosciuto il servizio) è quello rilevato al primo contatto. Un contatto fuori orario è recuperato quando una richiamata chiesta dopo di esso ha raggiunto l'utente. Un utente è riconosciuto come già noto quando il suo numero per la richiamata (mai conservato in chiaro) era già stato dato in un caso precedente. I passaggi degli invii sono contati nel mese in cui avvengono; il tasso di accettazione è accettate / (accettate + rifiutate). Le mediane sono calcolate sui casi la cui prima segnalazione accettata (o presa in carico) cade nel periodo. Le coorti seguono ogni caso per 30, 60 e 90 giorni dal suo primo contatto.",
    "A contact is a case's first contact or a follow-up; its profile (type of caller, age, gender, concern, how they heard of the line) is the one recorded at the first contact. An out-of-hours contact is recovered when a call-back requested after it reached the caller. A caller is returning when their call-back number (never kept in clear) had been given in an earlier case. Referral steps are counted in the month they happen; the acceptance rate is accepted / (accepted + declined). Medians are over the cases whose first accepted handoff (or taking into care) falls in the period. Cohorts follow each case for 30, 60 and 90 days from its first contact.",
  ),
  days: t('giorni', 'days'),
} as const;

export function label(map: Record<string, Text>, key: string): Text {
  return map[key] ?? t(key, key);
}
