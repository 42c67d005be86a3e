/** Which pages each role works in, the first being where it lands after signing in. */
const PAGES_OF_ROLE: Record<string, readonly string[]> = {
  operator: ['queue', 'cases/new', 'callbacks', 'pipeline'],
  supervisor: ['supervision', 'queue', 'cases/new', 'pipeline', 'access-log'],
  service_staff: ['inbox'],
  evaluator: ['report'],
  admin: ['directory', 'projections', 'access-log'],
  social_worker: ['safety'],
  unit_officer: ['safety'],
  police_liaison: ['safety'],
  police_operations: ['safety'],
  area_director: ['safety'],
};

/** The translation key of each page's name in the navigation. */
export const PAGE_NAMES: Record<string, string> = {
  queue: 'nav.queue',
  'cases/new': 'nav.newCase',
  callbacks: 'nav.callbacks',
  pipeline: 'nav.pipeline',
  inbox: 'nav.inbox',
  report: 'nav.report',
  supervision: 'nav.supervision',
  'access-log': 'nav.accessLog',
  directory: 'nav.directory',
  projections: 'nav.projections',
  safety: 'nav.safety',
};

export function pagesOf(role: string): readonly string[] {
  return PAGES_OF_ROLE[role] ?? [];
}

export function homeOf(role: string): string {
  return `/${pagesOf(role)[0] ?? 'queue'}`;
}
