import { Query, QueryHandler, IQueryHandler } from '@nestjs/cqrs';
import type { Principal } from '@helpline/auth';
import { CaseAccessLogRepository, CaseStreamRepository, handoffView, HandoffView } from '@helpline/cases';
import type { ReferralStatus } from '@helpline/domain';
import { PersonalDataVault } from '@helpline/privacy';
import { ReferralPipelineQueries } from '@helpline/projections';
import { ApplicationError } from '@helpline/kernel';

export class HandoffNotFoundError extends ApplicationError {
  readonly code = 'HANDOFF_NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor() {
    super('no handoff with this id was sent to your service', 'referralId');
  }
}

export interface HandoffInboxPage {
  items: HandoffView[];
  nextCursor: string | null;
}

/** The handoffs sent to the caller's service, the longest waiting first, each with what was shared. */
export class GetHandoffInboxQuery extends Query<HandoffInboxPage> {
  constructor(
    readonly principal: Principal & { serviceId: string },
    readonly statuses: readonly ReferralStatus[],
    readonly page: { limit?: number; after?: string },
    readonly requestId?: string,
  ) {
    super();
  }
}

export class GetHandoffQuery extends Query<HandoffView> {
  constructor(
    readonly principal: Principal & { serviceId: string },
    readonly caseId: string,
    readonly referralId: string,
    readonly requestId?: string,
  ) {
    super();
  }
}

/**
 * Reads one handoff from its case stream (the stream, not the read model, decides what the service may see), and
 * records the read in the case's access log. Anything not sent to the caller's service is "not found".
 */
async function readHandoff(
  streams: CaseStreamRepository,
  vault: PersonalDataVault,
  accessLog: CaseAccessLogRepository,
  principal: Principal & { serviceId: string },
  caseId: string,
  referralId: string,
  requestId?: string,
): Promise<HandoffView | undefined> {
  const loaded = await streams.load(caseId);
  const view = await handoffView(loaded, referralId, vault);
  if (!view || view.serviceId !== principal.serviceId || !loaded.state.lineId) return undefined;
  await accessLog.record(caseId, loaded.state.lineId, principal, 'handoff', requestId);
  return view;
}

@QueryHandler(GetHandoffInboxQuery)
export class GetHandoffInboxHandler implements IQueryHandler<GetHandoffInboxQuery> {
  constructor(
    private readonly pipeline: ReferralPipelineQueries,
    private readonly streams: CaseStreamRepository,
    private readonly vault: PersonalDataVault,
    private readonly accessLog: CaseAccessLogRepository,
  ) {}

  async execute(query: GetHandoffInboxQuery): Promise<HandoffInboxPage> {
    const page = await this.pipeline.handoffInbox(query.principal.serviceId, query.statuses, query.page);
    const items: HandoffView[] = [];
    for (const item of page.items) {
      const view = await readHandoff(
        this.streams,
        this.vault,
        this.accessLog,
        query.principal,
        item.caseId,
        item.referralId,
        query.requestId,
      );
      if (view) items.push(view);
    }
    return { items, nextCursor: page.nextCursor };
  }
}

@QueryHandler(GetHandoffQuery)
export class GetHandoffHandler implements IQueryHandler<GetHandoffQuery> {
  constructor(
    private readonly streams: CaseStreamRepository,
    private readonly vault: PersonalDataVault,
    private readonly accessLog: CaseAccessLogRepository,
  ) {}

  async execute(query: GetHandoffQuery): Promise<HandoffView> {
    const view = await readHandoff(
      this.streams,
      this.vault,
      this.accessLog,
      query.principal,
      query.caseId,
      query.referralId,
      query.requestId,
    );
    if (!view) throw new HandoffNotFoundError();
    return view;
  }
}
