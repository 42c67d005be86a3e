import { mintDevelopmentToken, Role } from '@helpline/auth';
import type { Settings } from '@helpline/config';

export interface DemoUser {
  label: string;
  sub: string;
  role: Role;
  lines?: string[];
  serviceId?: string;
  unitId?: string;
}

/** The sample unit of the safety protocol the demo's social services staff belong to. */
const DEMO_UNIT = 'unit-municipio-4';

export const DEMO_USERS: readonly DemoUser[] = [
  { label: 'operator (SostieniMi)', sub: 'demo-operator', role: 'operator', lines: ['sostienimi'] },
  {
    label: 'supervisor (all lines)',
    sub: 'demo-supervisor',
    role: 'supervisor',
    lines: ['sostienimi', 'employee-support', 'psych-emergency'],
  },
  { label: 'SerD staff', sub: 'demo-serd-staff', role: 'service_staff', serviceId: 'esempio-serd-centro' },
  { label: 'evaluator', sub: 'demo-evaluator', role: 'evaluator' },
  { label: 'administrator', sub: 'demo-admin', role: 'admin' },
  { label: 'social worker (unit 4)', sub: 'demo-social-worker', role: 'social_worker', unitId: DEMO_UNIT },
  { label: 'unit officer (unit 4)', sub: 'demo-unit-officer', role: 'unit_officer', unitId: DEMO_UNIT },
  { label: 'police liaison', sub: 'demo-police-liaison', role: 'police_liaison' },
  { label: 'police operations', sub: 'demo-police-operations', role: 'police_operations' },
  { label: 'area director', sub: 'demo-area-director', role: 'area_director' },
];

/** A bearer token for each kind of user, in the embedded development mode only (HS256); none otherwise. */
export async function demoTokens(settings: Settings): Promise<Array<{ label: string; role: Role; token: string }>> {
  const auth = settings.auth;
  if (auth.kind !== 'hs256') return [];
  return Promise.all(
    DEMO_USERS.map(async (user) => ({
      label: user.label,
      role: user.role,
      token: await mintDemoToken(auth, user),
    })),
  );
}

/** A development token for one demo user, signed with the embedded mode's own secret. */
export function mintDemoToken(auth: Extract<Settings['auth'], { kind: 'hs256' }>, user: DemoUser): Promise<string> {
  return mintDevelopmentToken(auth.secret, {
    sub: user.sub,
    role: user.role,
    lines: user.lines,
    serviceId: user.serviceId,
    unitId: user.unitId,
    issuer: auth.issuer,
    audience: auth.audience,
  });
}

/** In the embedded development mode only: ready-to-use bearer tokens for each kind of user. */
export async function printDemoTokens(settings: Settings): Promise<void> {
  if (settings.auth.kind !== 'hs256') return;
  const lines = [
    '',
    'Development tokens (embedded mode only; valid 12 hours; use as "Authorization: Bearer <token>"):',
  ];
  for (const { label, token } of await demoTokens(settings)) lines.push(`  ${label.padEnd(24)} ${token}`);
  lines.push(
    'Mint others with: npm run cli -- token --role <role> [--line <line>] [--service <service-id>] [--unit <unit-id>] [--sub <id>]',
    '',
  );
  process.stdout.write(lines.join('\n') + '\n');
}
