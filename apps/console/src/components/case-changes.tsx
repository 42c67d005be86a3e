import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Alert, Button } from 'design-react-kit';
import { answer, api, ApiProblem } from '../api/client';
import { formatInstant } from '../lib/time';

/**
 * A step refused because the case changed after the form was filled in (412 on `If-Match`, or 409 on a stale
 * version): it remembers which version the form was based on, so that the page can show what changed since.
 */
export class StaleCaseProblem extends ApiProblem {
  constructor(
    problem: ApiProblem,
    readonly caseId: string,
    readonly basedOnVersion: number,
  ) {
    super(problem.status, problem.code, problem.detail, problem.errors);
  }
}

/** The case's history read again, and the events recorded after the form's version, in the user's words. */
export function CaseChangesSince({ problem, retry }: { problem: StaleCaseProblem; retry: boolean }) {
  const { t, i18n } = useTranslation();
  const history = useQuery({
    queryKey: ['history', problem.caseId],
    queryFn: () => answer(api.GET('/cases/{caseId}/history', { params: { path: { caseId: problem.caseId } } })),
  });
  const changes = (history.data?.events ?? []).filter((event) => event.version > problem.basedOnVersion);
  return (
    <Alert color="warning" role="alert">
      <p className="mb-1 fw-semibold">{t('case.staleTitle')}</p>
      {changes.length > 0 && (
        <ul className="mb-2" aria-label={t('case.staleChanges')}>
          {changes.map((event) => (
            <li key={event.version}>
              {t('case.staleChange', {
                what: t(`vocab.event.${event.type}`, { defaultValue: event.type }),
                when: formatInstant(event.occurredAt, i18n.language),
                who: t('case.by', { actor: event.actor.id, role: t(`roles.${event.actor.role}`) }),
              })}
            </li>
          ))}
        </ul>
      )}
      <p className="mb-2">{t('case.staleReloaded')}</p>
      {retry && (
        <Button type="submit" color="primary" outline size="sm">
          {t('case.staleRetry')}
        </Button>
      )}
    </Alert>
  );
}
