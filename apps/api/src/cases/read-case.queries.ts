import { Query, QueryHandler, IQueryHandler } from '@nestjs/cqrs';
import { Principal, worksOnLine } from '@helpline/auth';
import { PersonalDataVault } from '@helpline/privacy';
import { CaseAccessLogRepository, AccessLogFilter } from '@helpline/cases';
import { CaseNotFoundError } from '@helpline/cases';
import { CaseStreamRepository, LoadedCase } from '@helpline/cases';
import { caseHistory, caseView } from '@helpline/cases';

export class GetCaseQuery extends Query<ReturnType<typeof caseView>> {
  constructor(
    readonly caseId: string,
    readonly principal: Principal,
    readonly requestId?: string,
  ) {
    super();
  }
}

export class GetCaseHistoryQuery extends Query<Awaited<ReturnType<typeof caseHistory>>> {
  constructor(
    readonly caseId: string,
    readonly principal: Principal,
    readonly requestId?: string,
  ) {
    super();
  }
}

export class GetAccessLogQuery extends Query<Awaited<ReturnType<CaseAccessLogRepository['find']>>> {
  constructor(readonly filter: AccessLogFilter) {
    super();
  }
}

/** Loads a case the caller may read (their line), recording the read; anything else is "not found". */
async function loadReadable(
  streams: CaseStreamRepository,
  accessLog: CaseAccessLogRepository,
  caseId: string,
  principal: Principal,
  what: 'case_state' | 'case_history',
  requestId?: string,
): Promise<LoadedCase> {
  const loaded = await streams.load(caseId);
  if (loaded.state.status === 'not_opened' || !loaded.state.lineId || !worksOnLine(principal, loaded.state.lineId))
    throw new CaseNotFoundError();
  await accessLog.record(caseId, loaded.state.lineId, principal, what, requestId);
  return loaded;
}

@QueryHandler(GetCaseQuery)
export class GetCaseHandler implements IQueryHandler<GetCaseQuery> {
  constructor(
    private readonly streams: CaseStreamRepository,
    private readonly accessLog: CaseAccessLogRepository,
  ) {}

  async execute(query: GetCaseQuery) {
    return caseView(
      await loadReadable(this.streams, this.accessLog, query.caseId, query.principal, 'case_state', query.requestId),
    );
  }
}

@QueryHandler(GetCaseHistoryQuery)
export class GetCaseHistoryHandler implements IQueryHandler<GetCaseHistoryQuery> {
  constructor(
    private readonly streams: CaseStreamRepository,
    private readonly accessLog: CaseAccessLogRepository,
    private readonly vault: PersonalDataVault,
  ) {}

  async execute(query: GetCaseHistoryQuery) {
    const loaded = await loadReadable(
      this.streams,
      this.accessLog,
      query.caseId,
      query.principal,
      'case_history',
      query.requestId,
    );
    return caseHistory(loaded, this.vault, query.principal);
  }
}

@QueryHandler(GetAccessLogQuery)
export class GetAccessLogHandler implements IQueryHandler<GetAccessLogQuery> {
  constructor(private readonly accessLog: CaseAccessLogRepository) {}

  execute(query: GetAccessLogQuery) {
    return this.accessLog.find(query.filter);
  }
}
