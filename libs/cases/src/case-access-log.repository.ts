import { Inject, Injectable } from '@nestjs/common';
import type { Kysely } from 'kysely';
import type { Principal } from '@helpline/auth';
import type { Database } from '@helpline/database';
import { DATABASE } from '@helpline/kernel';

interface CaseAccessLogTable {
  id: number;
  case_id: string;
  line_id: string;
  actor_id: string;
  actor_role: string;
  what: string;
  request_id: string | null;
  accessed_at: Date;
}

export type CaseAccessKind = 'case_state' | 'case_history' | 'handoff';

export interface CaseAccessEntry {
  caseId: string;
  lineId: string;
  actorId: string;
  actorRole: string;
  what: string;
  accessedAt: string;
}

export interface AccessLogFilter {
  /** Only entries of these lines (a supervisor's); undefined for every line (an administrator). */
  lines?: readonly string[];
  caseId?: string;
  actorId?: string;
  from?: string;
  to?: string;
  limit: number;
  /** Keyset: entries older than this id. */
  beforeId?: number;
}

@Injectable()
export class CaseAccessLogRepository {
  private readonly db: Kysely<{ case_access_log: CaseAccessLogTable }>;

  constructor(@Inject(DATABASE) database: Database) {
    this.db = database.db as Kysely<{ case_access_log: CaseAccessLogTable }>;
  }

  async record(
    caseId: string,
    lineId: string,
    principal: Principal,
    what: CaseAccessKind,
    requestId?: string,
  ): Promise<void> {
    await this.db
      .insertInto('case_access_log')
      .values({
        case_id: caseId,
        line_id: lineId,
        actor_id: principal.id,
        actor_role: principal.role,
        what,
        request_id: requestId ?? null,
      } as never)
      .execute();
  }

  async find(
    filter: AccessLogFilter,
  ): Promise<{ entries: Array<CaseAccessEntry & { id: number }>; nextBefore?: number }> {
    let query = this.db.selectFrom('case_access_log').selectAll();
    if (filter.lines)
      query = filter.lines.includes('*')
        ? query
        : query.where('line_id', 'in', filter.lines.length > 0 ? [...filter.lines] : ['']);
    if (filter.caseId) query = query.where('case_id', '=', filter.caseId);
    if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
    if (filter.from) query = query.where('accessed_at', '>=', new Date(filter.from));
    if (filter.to) query = query.where('accessed_at', '<', new Date(filter.to));
    if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(filter.limit + 1)
      .execute();
    const page = rows.slice(0, filter.limit);
    return {
      entries: page.map((row) => ({
        id: Number(row.id),
        caseId: row.case_id,
        lineId: row.line_id,
        actorId: row.actor_id,
        actorRole: row.actor_role,
        what: row.what,
        accessedAt: new Date(row.accessed_at).toISOString(),
      })),
      nextBefore: rows.length > filter.limit ? Number(page.at(-1)!.id) : undefined,
    };
  }
}
