import type { components } from './schema';

/**
 * Names for the answers the console reads, every one the generated type of the API's own response schema
 * (schema.d.ts, `npm run openapi`): a route whose answer changes breaks the console's type check.
 */
type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

export type Me = Schema<'Principal'>;
export type Role = Me['role'];
export type DemoIdentity = Schema<'DemoIdentity'>;
export type CommandAnswer = Schema<'CaseCommandAnswer'>;
export type CaseView = Schema<'CaseView'>;
export type CaseCallback = Schema<'CaseCallback'>;
export type CaseReferral = Schema<'CaseReferral'>;
export type CaseHistory = Schema<'CaseHistory'>;
export type HistoryEvent = CaseHistory['events'][number];
export type OpenedValue = Schema<'OpenedValue'>;
export type QueueItem = Schema<'CaseQueueItem'>;
export type QueuePage = Schema<'CaseQueuePage'>;
export type PipelineReferral = Schema<'ReferralPipelineItem'>;
export type DirectoryService = Schema<'DirectoryServiceView'>;
export type DirectoryServicePage = Schema<'DirectoryServicePage'>;
export type Handoff = Schema<'HandoffView'>;
export type AccessLogEntry = Schema<'AccessLogPage'>['entries'][number];
export type ProjectionStatus = Schema<'ProjectionStatus'>;

/** The shape the API's pages share (`items`, `nextCursor`), for a page read without naming its route's own type. */
export type Page<T> = { items: T[]; nextCursor: string | null };
