import { mintDevelopmentToken, Role } from '@helpline/auth';
import type { Settings } from '@helpline/config';

const DEMO_USERS: Array<{ label: string; sub: string; role: Role; lines?: string[]; serviceId?: string }> = [
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
];

/** In the embedded development mode only: ready-to-use bearer tokens for each kind of user. */
export async function printDemoTokens(settings: Settings): Promise<void> {
  if (settings.auth.kind !== 'hs256') return;
  const lines = [
    '',
    'Development tokens (embedded mode only; valid 12 hours; use as "Authorization: Bearer <token>"):',
  ];
  for (const user of DEMO_USERS) {
    const token = await mintDevelopmentToken(settings.auth.secret, {
      sub: user.sub,
      role: user.role,
      lines: user.lines,
      serviceId: user.serviceId,
      issuer: settings.auth.issuer,
      audience: settings.auth.audience,
    });
    lines.push(`  ${user.label.padEnd(24)} ${token}`);
  }
  lines.push(
    'Mint others with: npm run cli -- token --role <role> [--line <line>] [--service <service-id>] [--sub <id>]',
    '',
  );
  process.stdout.write(lines.join('\n') + '\n');
}
