import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge, Button } from 'design-react-kit';
import { answer, api } from '../../api/client';
import type { Handoff } from '../../api/responses';
import { DECLINE_REASONS } from '../../api/vocabularies';
import { ProblemMessage, TextField, VocabularySelect } from '../../components/fields';
import { PageButtons, useCursorPages } from '../../components/paging';
import { formatInstant, instantFromLineTime, lineTimeFromNow } from '../../lib/time';

/** The handoffs sent to the user's service, oldest first, with only what the caller agreed to share. */
export function InboxPage() {
  const { t } = useTranslation();
  // After a step, the inbox is read once the read model has reached it (the API's `waitFor`): read your writes.
  const [position, setPosition] = useState<string>();
  const pages = useCursorPages();
  const page = useQuery({
    queryKey: ['handoffs', position, pages.after],
    queryFn: () =>
      answer(
        api.GET('/handoffs', {
          params: {
            query: {
              limit: 50,
              ...(position ? { waitFor: position } : {}),
              ...(pages.after ? { after: pages.after } : {}),
            },
          },
        }),
      ),
    refetchInterval: 15_000,
  });
  const items = [...(page.data?.items ?? [])].sort((a, b) => a.sentAt.localeCompare(b.sentAt));
  return (
    <>
      <h1>{t('inbox.title')}</h1>
      <p>{t('inbox.oldestFirst')}</p>
      <ProblemMessage error={page.error} />
      {page.data && items.length === 0 && <p>{t('app.none')}</p>}
      {items.map((handoff) => (
        <HandoffCard key={handoff.referralId} handoff={handoff} onRecorded={setPosition} />
      ))}
      <PageButtons pages={pages} nextCursor={page.data?.nextCursor} />
    </>
  );
}

function HandoffCard({ handoff, onRecorded }: { handoff: Handoff; onRecorded: (position: string) => void }) {
  const { t, i18n } = useTranslation();
  const [appointment, setAppointment] = useState(lineTimeFromNow({ days: 3 }));
  const [reason, setReason] = useState<(typeof DECLINE_REASONS)[number]>('no_capacity');
  const [betterService, setBetterService] = useState('');
  const ids = { caseId: handoff.caseId, referralId: handoff.referralId };
  const act = useMutation({
    mutationFn: (action: 'accept' | 'decline' | 'move' | 'attended' | 'noShow' | 'care') => {
      const params = { path: ids };
      switch (action) {
        case 'accept':
          return answer(
            api.POST('/handoffs/{caseId}/{referralId}/acceptance', {
              params,
              body: { appointmentAt: instantFromLineTime(appointment) },
            }),
          );
        case 'decline':
          return answer(
            api.POST('/handoffs/{caseId}/{referralId}/decline', {
              params,
              body: { reason, ...(betterService ? { suggestedServiceId: betterService } : {}) },
            }),
          );
        case 'move':
          return answer(
            api.POST('/handoffs/{caseId}/{referralId}/appointment', {
              params,
              body: { appointmentAt: instantFromLineTime(appointment) },
            }),
          );
        case 'attended':
          return answer(api.POST('/handoffs/{caseId}/{referralId}/appointment/attendance', { params, body: {} }));
        case 'noShow':
          return answer(api.POST('/handoffs/{caseId}/{referralId}/appointment/no-show', { params, body: {} }));
        case 'care':
          return answer(api.POST('/handoffs/{caseId}/{referralId}/taken-into-care', { params, body: {} }));
      }
    },
    onSuccess: (recorded) => recorded.position && onRecorded(recorded.position),
  });
  const overdue = handoff.escalations > 0 && handoff.status === 'sent';
  const shared = handoff.shared;
  const titleId = `handoff-${handoff.referralId}`;
  return (
    <section aria-labelledby={titleId} className={`card card-bg mb-4 ${overdue ? 'handoff-overdue' : ''}`}>
      <div className="card-body">
        <h2 id={titleId} className="h5">
          {t('inbox.handoff', { reference: handoff.referralId.slice(0, 8) })}{' '}
          {overdue && <Badge color="warning">{t('inbox.overdue')}</Badge>}
        </h2>
        <p className="mb-1">
          {t('inbox.status')}:{' '}
          <strong>{t(`vocab.referralStatus.${handoff.status}`, { defaultValue: handoff.status })}</strong> ·{' '}
          {t('inbox.sentAt')} {formatInstant(handoff.sentAt, i18n.language)}
          {handoff.appointmentAt &&
            ` · ${t('inbox.appointment')} ${formatInstant(handoff.appointmentAt, i18n.language)}`}
        </p>
        <p className="mb-2">
          {t('inbox.shared')}:{' '}
          {[
            shared.ageBand && t(`vocab.ageBand.${shared.ageBand}`),
            shared.gender && t(`vocab.gender.${shared.gender}`),
            shared.concern && t(`vocab.concern.${shared.concern}`),
            shared.callbackNumber?.value,
            shared.firstNameAlias?.value,
            shared.summaryNote?.value,
          ]
            .filter(Boolean)
            .join(' · ') || '—'}
          {handoff.personalValuesWithheld && ` (${t('inbox.withheld')})`}
        </p>
        {(handoff.status === 'sent' || handoff.status === 'accepted' || handoff.status === 'appointment_set') && (
          <TextField
            label={t('inbox.appointment')}
            type="datetime-local"
            value={appointment}
            onChange={setAppointment}
          />
        )}
        <div className="d-flex flex-wrap gap-2 mb-2">
          {handoff.status === 'sent' && (
            <Button color="primary" onClick={() => act.mutate('accept')} disabled={act.isPending}>
              {t('inbox.accept')}
            </Button>
          )}
          {(handoff.status === 'accepted' || handoff.status === 'appointment_set') && (
            <Button color="primary" outline onClick={() => act.mutate('move')} disabled={act.isPending}>
              {t('inbox.move')}
            </Button>
          )}
          {handoff.status === 'appointment_set' && (
            <>
              <Button color="primary" outline onClick={() => act.mutate('attended')} disabled={act.isPending}>
                {t('inbox.attended')}
              </Button>
              <Button color="secondary" outline onClick={() => act.mutate('noShow')} disabled={act.isPending}>
                {t('inbox.noShow')}
              </Button>
            </>
          )}
          {(handoff.status === 'accepted' || handoff.status === 'appointment_set' || handoff.status === 'attended') && (
            <Button color="success" onClick={() => act.mutate('care')} disabled={act.isPending}>
              {t('inbox.care')}
            </Button>
          )}
        </div>
        {handoff.status === 'sent' && (
          <form
            className="border-top pt-3"
            onSubmit={(event) => {
              event.preventDefault();
              act.mutate('decline');
            }}
          >
            <VocabularySelect
              label={t('inbox.reason')}
              vocabulary="declineReason"
              values={DECLINE_REASONS}
              value={reason}
              onChange={setReason}
            />
            <TextField label={t('inbox.betterService')} value={betterService} onChange={setBetterService} />
            <Button type="submit" color="danger" outline disabled={act.isPending}>
              {t('inbox.decline')}
            </Button>
          </form>
        )}
        <ProblemMessage error={act.error} />
      </div>
    </section>
  );
}
