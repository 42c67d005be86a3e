// The case read models: the operator queue and the referral pipeline, with their queries.
import type { AnyProjection } from '../projection';
import { caseQueueProjection } from './case-queue.projection';
import { referralPipelineProjection } from './referral-pipeline.projection';
import { caseLookupProjection } from './case-lookup.projection';

export { caseLookupProjection, caseReference, CASE_LOOKUP_TABLES } from './case-lookup.projection';
export type { CaseLookupTable } from './case-lookup.projection';
export { CaseLookupQueries } from './case-lookup.queries';
export type { CaseLookupItem, CallerCandidate } from './case-lookup.queries';

export { caseQueueProjection, CASE_QUEUE_TABLES } from './case-queue.projection';
export type { CaseQueueTable } from './case-queue.projection';
export { AT_RISK_LEVELS, FOLLOW_UP_AFTER_OPENING_HOURS, FOLLOW_UP_REASONS, NEXT_ACTIONS } from './case-queue.state';
export type { CaseQueueRecord, FollowUpReason, NextAction } from './case-queue.state';
export { CaseQueueQueries, CASE_QUEUE_LIVE_TABLES } from './case-queue.queries';
export type { CaseQueueFilter, CaseQueueItem, CaseQueuePage } from './case-queue.queries';

export { referralPipelineProjection, REFERRAL_PIPELINE_TABLES } from './referral-pipeline.projection';
export type { ReferralPipelineTable, ReferralRecord } from './referral-pipeline.projection';
export { ReferralPipelineQueries, REFERRAL_PIPELINE_LIVE_TABLES } from './referral-pipeline.queries';
export type {
  AgreedHoursByService,
  OverdueHandoff,
  OverdueHandoffsOptions,
  ReferralFunnelQuery,
  ReferralFunnelRow,
  ReferralPipelineFilter,
  ReferralPipelineItem,
} from './referral-pipeline.queries';

export { ALL_LINES, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, ReadModelQueryError } from './read-model-values';
export type { InstantInput, LineScope, Page, PageRequest } from './read-model-values';

/** The case read models, for the projection runner. */
export const caseReadModelProjections: readonly AnyProjection[] = [
  caseQueueProjection,
  referralPipelineProjection,
  caseLookupProjection,
];
