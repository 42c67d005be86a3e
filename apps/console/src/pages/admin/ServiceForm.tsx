import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from 'design-react-kit';
import { answer, api, ApiProblem } from '../../api/client';
import { AREAS, SERVICE_TYPES } from '../../api/vocabularies';
import { ChecksField, FormProblem, InputField, SelectField, faultsOf } from '../../components/field-faults';
import { StaleEdit } from './StaleEdit';
import {
  CONCERNS_TREATED,
  TARGET_GROUPS,
  type Area,
  type ConcernTreated,
  type ServiceChange,
  type ServiceCreation,
  type ServiceType,
  type ServiceView,
  type TargetGroup,
} from './directory-types';

/** What the form holds: text as typed (numbers too), lists as chosen. */
interface Draft {
  id: string;
  organizationId: string;
  name: string;
  serviceType: ServiceType | '';
  description: string;
  email: string;
  url: string;
  minimumAge: string;
  maximumAge: string;
  targetGroups: TargetGroup[];
  concernsTreated: ConcernTreated[];
  areas: Area[];
  deskName: string;
  deskPhone: string;
  deskEmail: string;
  responseTimeHours: string;
}

const EMPTY: Draft = {
  id: '',
  organizationId: '',
  name: '',
  serviceType: '',
  description: '',
  email: '',
  url: '',
  minimumAge: '',
  maximumAge: '',
  targetGroups: [],
  concernsTreated: [],
  areas: [],
  deskName: '',
  deskPhone: '',
  deskEmail: '',
  responseTimeHours: '',
};

function draftOf(service: ServiceView): Draft {
  return {
    id: service.id,
    organizationId: service.organizationId,
    name: service.name,
    serviceType: service.serviceType,
    description: service.description ?? '',
    email: service.email ?? '',
    url: service.url ?? '',
    minimumAge: service.minimumAge?.toString() ?? '',
    maximumAge: service.maximumAge?.toString() ?? '',
    targetGroups: [...service.targetGroups],
    concernsTreated: [...service.concernsTreated],
    areas: [...service.areas],
    deskName: service.handoffContact?.deskName ?? '',
    deskPhone: service.handoffContact?.phone ?? '',
    deskEmail: service.handoffContact?.email ?? '',
    responseTimeHours: service.handoffContact?.responseTimeHours?.toString() ?? '',
  };
}

const textOrNull = (value: string) => (value.trim() === '' ? null : value.trim());
/** A number field's value (a number input holds a number or nothing); 1.5 years goes as such, for the API to refuse. */
const numberOrNull = (value: string) => (value.trim() === '' ? null : Number(value));

/** The fields both a creation and a change send (a change sends them all: the form shows them all). */
function fieldsOf(draft: Draft) {
  const desk = [draft.deskName, draft.deskPhone, draft.deskEmail, draft.responseTimeHours].some((v) => v.trim());
  return {
    name: draft.name.trim(),
    description: textOrNull(draft.description),
    email: textOrNull(draft.email),
    url: textOrNull(draft.url),
    minimumAge: numberOrNull(draft.minimumAge),
    maximumAge: numberOrNull(draft.maximumAge),
    targetGroups: draft.targetGroups,
    concernsTreated: draft.concernsTreated,
    areas: draft.areas,
    handoffContact: desk
      ? {
          deskName: draft.deskName.trim(),
          phone: textOrNull(draft.deskPhone),
          email: textOrNull(draft.deskEmail),
          responseTimeHours: numberOrNull(draft.responseTimeHours),
        }
      : null,
  };
}

/** The fields this form shows, by the names the API gives them in its refusals. */
const SHOWN_FIELDS = [
  'id',
  'organizationId',
  'name',
  'serviceType',
  'description',
  'email',
  'url',
  'minimumAge',
  'maximumAge',
  'targetGroups',
  'concernsTreated',
  'areas',
  'handoffContact',
  'handoffContact.deskName',
  'handoffContact.phone',
  'handoffContact.email',
  'handoffContact.responseTimeHours',
];

/**
 * A service of the directory as a form: a new one (`editing` absent) or a change to the one read, sent with the
 * version read as If-Match, so that someone else's change meanwhile is refused and shown rather than overwritten.
 */
export function ServiceForm(props: { editing?: ServiceView; onDone: (message: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const titleId = useId();
  const [base, setBase] = useState(props.editing);
  const [draft, setDraft] = useState<Draft>(props.editing ? draftOf(props.editing) : EMPTY);
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setDraft((now) => ({ ...now, [key]: value }));
  const organizations = useQuery({
    queryKey: ['directory', 'organizations'],
    queryFn: () => answer(api.GET('/directory/organizations')),
    enabled: !base,
  });
  const save = useMutation({
    mutationFn: async () => {
      if (base) {
        const body: ServiceChange = {
          ...fieldsOf(draft),
          ...(draft.serviceType ? { serviceType: draft.serviceType } : {}),
        };
        return answer(
          api.PATCH('/directory/services/{id}', {
            params: { path: { id: base.id }, header: { 'If-Match': `"${base.version}"` } },
            body,
          }),
        );
      }
      const body: ServiceCreation = {
        ...fieldsOf(draft),
        ...(draft.id.trim() ? { id: draft.id.trim() } : {}),
        organizationId: draft.organizationId,
        // An empty choice goes as such: the API names the field and says which values it takes.
        serviceType: draft.serviceType as ServiceType,
      };
      return answer(api.POST('/directory/services', { body }));
    },
    onSuccess: async (saved) => {
      await client.invalidateQueries({ queryKey: ['directory'] });
      props.onDone(t(base ? 'directory.changed' : 'directory.created', { name: saved.name, version: saved.version }));
    },
  });
  const reload = async () => {
    if (!base) return;
    const current = await answer(api.GET('/directory/services/{id}', { params: { path: { id: base.id } } }));
    setBase(current);
    setDraft(draftOf(current));
    save.reset();
  };
  const faults = faultsOf(save.error);
  const stale = save.error instanceof ApiProblem && save.error.isStale && base;
  return (
    <section aria-labelledby={titleId} className="card card-bg mb-4">
      <div className="card-body">
        <h2 id={titleId} className="h4 card-title">
          {base ? t('directory.editTitle', { name: base.name, version: base.version }) : t('directory.createTitle')}
        </h2>
        <form
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate();
          }}
        >
          <div className="row">
            {!base && (
              <>
                <div className="col-md-6">
                  <SelectField
                    label={t('directory.organization')}
                    value={draft.organizationId}
                    onChange={set('organizationId')}
                    emptyLabel={t('directory.choose')}
                    options={(organizations.data ?? []).map((org) => [org.id, org.name] as const)}
                    fault={faults.organizationId}
                  />
                </div>
                <div className="col-md-6">
                  <InputField
                    label={t('directory.id')}
                    hint={t('directory.idHint')}
                    value={draft.id}
                    onChange={set('id')}
                    fault={faults.id}
                  />
                </div>
              </>
            )}
            <div className="col-md-6">
              <InputField
                label={t('directory.name')}
                value={draft.name}
                onChange={set('name')}
                required
                fault={faults.name}
              />
            </div>
            <div className="col-md-6">
              <SelectField
                label={t('directory.type')}
                value={draft.serviceType}
                onChange={(value) => set('serviceType')(value as ServiceType)}
                emptyLabel={t('directory.choose')}
                options={SERVICE_TYPES.map((type) => [type, t(`vocab.serviceType.${type}`)] as const)}
                fault={faults.serviceType}
              />
            </div>
            <div className="col-12">
              <InputField
                label={t('directory.description')}
                value={draft.description}
                onChange={set('description')}
                multiline
                fault={faults.description}
              />
            </div>
            <div className="col-md-6">
              <InputField
                label={t('directory.email')}
                type="email"
                value={draft.email}
                onChange={set('email')}
                fault={faults.email}
              />
            </div>
            <div className="col-md-6">
              <InputField
                label={t('directory.url')}
                type="url"
                value={draft.url}
                onChange={set('url')}
                fault={faults.url}
              />
            </div>
            <div className="col-md-3">
              <InputField
                label={t('directory.minimumAge')}
                type="number"
                value={draft.minimumAge}
                onChange={set('minimumAge')}
                fault={faults.minimumAge}
              />
            </div>
            <div className="col-md-3">
              <InputField
                label={t('directory.maximumAge')}
                type="number"
                value={draft.maximumAge}
                onChange={set('maximumAge')}
                fault={faults.maximumAge}
              />
            </div>
          </div>
          <ChecksField
            label={t('directory.areas')}
            values={AREAS}
            chosen={draft.areas}
            onChange={set('areas')}
            wordsOf={(area) => t(`vocab.area.${area}`)}
            fault={faults.areas}
          />
          <ChecksField
            label={t('directory.concernsTreated')}
            values={CONCERNS_TREATED}
            chosen={draft.concernsTreated}
            onChange={set('concernsTreated')}
            wordsOf={(concern) => t(`vocab.concern.${concern}`)}
            fault={faults.concernsTreated}
          />
          <ChecksField
            label={t('directory.targetGroups')}
            values={TARGET_GROUPS}
            chosen={draft.targetGroups}
            onChange={set('targetGroups')}
            wordsOf={(group) => t(`directory.targetGroup.${group}`)}
            fault={faults.targetGroups}
          />
          <fieldset className="mb-2">
            <legend className="h6">{t('directory.desk')}</legend>
            <div className="row">
              <div className="col-md-6">
                <InputField
                  label={t('directory.deskName')}
                  value={draft.deskName}
                  onChange={set('deskName')}
                  fault={faults['handoffContact.deskName'] ?? faults.handoffContact}
                />
              </div>
              <div className="col-md-6">
                <InputField
                  label={t('directory.deskPhone')}
                  type="tel"
                  value={draft.deskPhone}
                  onChange={set('deskPhone')}
                  fault={faults['handoffContact.phone']}
                />
              </div>
              <div className="col-md-6">
                <InputField
                  label={t('directory.deskEmail')}
                  type="email"
                  value={draft.deskEmail}
                  onChange={set('deskEmail')}
                  fault={faults['handoffContact.email']}
                />
              </div>
              <div className="col-md-6">
                <InputField
                  label={t('directory.responseTimeHours')}
                  type="number"
                  value={draft.responseTimeHours}
                  onChange={set('responseTimeHours')}
                  fault={faults['handoffContact.responseTimeHours']}
                />
              </div>
            </div>
          </fieldset>
          <FormProblem
            error={save.error}
            shownFields={SHOWN_FIELDS}
            stale={
              stale ? (
                <StaleEdit serviceId={base.id} readVersion={base.version} onReload={() => void reload()} />
              ) : undefined
            }
          />
          <div className="d-flex gap-2">
            <Button type="submit" color="primary" disabled={save.isPending}>
              {base ? t('directory.save') : t('directory.createSubmit')}
            </Button>
            <Button type="button" color="secondary" outline onClick={props.onCancel}>
              {t('app.cancel')}
            </Button>
          </div>
        </form>
      </div>
    </section>
  );
}
