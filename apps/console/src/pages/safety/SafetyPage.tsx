import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Button, Table } from 'design-react-kit';
import { answer, api } from '../../api/client';
import { useMe } from '../../auth/session';
import { PageButtons, useCursorPages } from '../../components/paging';
import { ProblemMessage, TextField } from '../../components/fields';
import { formatInstant } from '../../lib/time';
import { EmergencyPanel, RecordEmergencyForm } from './EmergencyPanel';
import { DraftForm, RequestPanel } from './RequestPanel';
import { mayTake, type RegisterItem } from './safety-steps';

const REGISTER_ROLES = ['social_worker', 'unit_officer', 'area_director'];

/**
 * The safety protocol for each of its roles: the register (the unit's, or the area's), or the police liaison's
 * requests waiting for an answer; a request or an emergency opened (?request= or ?emergency=) with the steps this
 * role may take; a new request or emergency for the unit's staff.
 */
export function SafetyPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const [position, setPosition] = useState<string>();
  const requestId = params.get('request');
  const emergencyId = params.get('emergency');
  const open = (kind: 'request' | 'emergency', id: string) => setParams({ [kind]: id });
  return (
    <>
      <h1>{t('safety.title')}</h1>
      {(requestId || emergencyId) && (
        <p>
          <Link to="/safety">{t('safety.backToList')}</Link>
        </p>
      )}
      {requestId && <RequestPanel key={requestId} requestId={requestId} role={me.role} onPosition={setPosition} />}
      {emergencyId && (
        <EmergencyPanel key={emergencyId} emergencyId={emergencyId} role={me.role} onPosition={setPosition} />
      )}
      {!requestId && !emergencyId && (
        <>
          {REGISTER_ROLES.includes(me.role) && <Register waitFor={position} />}
          {me.role === 'police_liaison' && <Worklist waitFor={position} />}
          <div className="row">
            {mayTake(me.role, 'draft') && (
              <div className="col-lg-6">
                <DraftForm onPosition={setPosition} onDrafted={(id) => open('request', id)} />
              </div>
            )}
            {mayTake(me.role, 'recordEmergency') && (
              <div className="col-lg-6">
                <RecordEmergencyForm onPosition={setPosition} onRecorded={(id) => open('emergency', id)} />
              </div>
            )}
            <div className="col-lg-6">
              <OpenById onOpen={open} />
            </div>
          </div>
        </>
      )}
    </>
  );
}

function Register({ waitFor }: { waitFor?: string }) {
  const { t } = useTranslation();
  const pages = useCursorPages();
  const after = pages.after;
  const listing = useQuery({
    queryKey: ['safety', 'register', waitFor, after],
    queryFn: () =>
      answer(
        api.GET('/safety/register', {
          params: { query: { limit: 50, ...(waitFor ? { waitFor } : {}), ...(after ? { after } : {}) } },
        }),
      ),
    refetchInterval: 15_000,
  });
  return (
    <section aria-labelledby="safety-register">
      <h2 id="safety-register" className="h4">
        {t('safety.register')}
      </h2>
      <ProblemMessage error={listing.error} />
      {listing.data && <Items items={listing.data.items} caption={t('safety.register')} />}
      <PageButtons pages={pages} nextCursor={listing.data?.nextCursor} />
    </section>
  );
}

function Worklist({ waitFor }: { waitFor?: string }) {
  const { t } = useTranslation();
  const listing = useQuery({
    queryKey: ['safety', 'worklist', waitFor],
    queryFn: () => answer(api.GET('/safety/liaison/worklist', { params: { query: waitFor ? { waitFor } : {} } })),
    refetchInterval: 15_000,
  });
  return (
    <section aria-labelledby="safety-worklist" className="mb-4">
      <h2 id="safety-worklist" className="h4">
        {t('safety.worklist')}
      </h2>
      <ProblemMessage error={listing.error} />
      {listing.data && <Items items={listing.data.items} caption={t('safety.worklist')} />}
    </section>
  );
}

function Items({ items, caption }: { items: readonly RegisterItem[]; caption: string }) {
  const { t, i18n } = useTranslation();
  if (items.length === 0) return <p>{t('app.none')}</p>;
  return (
    <Table responsive>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('safety.record')}</th>
          <th scope="col">{t('safety.unit')}</th>
          <th scope="col">{t('safety.status')}</th>
          <th scope="col">{t('safety.risk')}</th>
          <th scope="col">{t('safety.meetingAt')}</th>
          <th scope="col">{t('safety.sentAt')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => {
          const reference = item.id.slice(0, 8);
          return (
            <tr key={item.id}>
              <th scope="row">
                <Link to={`/safety?${item.kind}=${item.id}`}>
                  {t(item.kind === 'request' ? 'safety.openRequest' : 'safety.openEmergency', { reference })}
                </Link>
              </th>
              <td>{item.unitId}</td>
              <td>{t(`safety.statusOf.${item.status}`)}</td>
              <td>{item.risk ? t(`safety.riskOf.${item.risk}`) : '—'}</td>
              <td>{formatInstant(item.meetingAt, i18n.language)}</td>
              <td>
                {formatInstant(item.sentAt, i18n.language)}
                {item.late && <> — {t('safety.late')}</>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

/** A record named by its id (how the operations centre, which has no register, reaches an emergency it is told of). */
function OpenById({ onOpen }: { onOpen: (kind: 'request' | 'emergency', id: string) => void }) {
  const { t } = useTranslation();
  const [id, setId] = useState('');
  return (
    <section aria-labelledby="safety-open" className="card card-bg mb-4">
      <div className="card-body">
        <h3 id="safety-open" className="h5 card-title">
          {t('safety.openById')}
        </h3>
        <TextField label={t('safety.recordId')} value={id} onChange={setId} />
        <div className="d-flex flex-wrap gap-2">
          <Button color="primary" outline disabled={!id.trim()} onClick={() => onOpen('request', id.trim())}>
            {t('safety.openAsRequest')}
          </Button>
          <Button color="primary" outline disabled={!id.trim()} onClick={() => onOpen('emergency', id.trim())}>
            {t('safety.openAsEmergency')}
          </Button>
        </div>
      </div>
    </section>
  );
}
