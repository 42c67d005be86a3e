import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { answer, api } from '../../api/client';
import {
  AGE_BANDS,
  CALLER_TYPES,
  CHANNELS,
  CONCERNS,
  GENDERS,
  HEARD_OF_LINE,
  KNOWN_LINES,
} from '../../api/vocabularies';
import { useMe } from '../../auth/session';
import { StepForm, VocabularySelect } from '../../components/fields';

/** A case opened from a contact (a phone call by default), assigned to the operator who opens it. */
export function NewCasePage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const lines = me.lines.includes('*') ? KNOWN_LINES : me.lines;
  const [form, setForm] = useState({
    lineId: lines[0] ?? '',
    channel: 'phone' as (typeof CHANNELS)[number],
    callerType: 'person_concerned' as (typeof CALLER_TYPES)[number],
    ageBand: 'unknown' as (typeof AGE_BANDS)[number],
    gender: 'not_stated' as (typeof GENDERS)[number],
    concern: 'not_stated' as (typeof CONCERNS)[number],
    heardOfLine: 'not_stated' as (typeof HEARD_OF_LINE)[number],
  });
  const open = useMutation({
    mutationFn: () => answer(api.POST('/cases', { body: { ...form, leaveUnassigned: false } })),
    onSuccess: (opened) => navigate(`/cases/${opened.caseId}`),
  });
  const set =
    <K extends keyof typeof form>(key: K) =>
    (value: (typeof form)[K]) =>
      setForm({ ...form, [key]: value });
  return (
    <>
      <h1>{t('newCase.title')}</h1>
      <StepForm
        title={t('newCase.title')}
        submitLabel={t('newCase.submit')}
        onSubmit={() => open.mutate()}
        pending={open.isPending}
        error={open.error}
      >
        <VocabularySelect
          label={t('newCase.line')}
          vocabulary="line"
          values={lines}
          value={form.lineId}
          onChange={set('lineId')}
        />
        <VocabularySelect
          label={t('newCase.channel')}
          vocabulary="channel"
          values={CHANNELS}
          value={form.channel}
          onChange={set('channel')}
        />
        <VocabularySelect
          label={t('newCase.callerType')}
          vocabulary="callerType"
          values={CALLER_TYPES}
          value={form.callerType}
          onChange={set('callerType')}
        />
        <VocabularySelect
          label={t('newCase.ageBand')}
          vocabulary="ageBand"
          values={AGE_BANDS}
          value={form.ageBand}
          onChange={set('ageBand')}
        />
        <VocabularySelect
          label={t('newCase.gender')}
          vocabulary="gender"
          values={GENDERS}
          value={form.gender}
          onChange={set('gender')}
        />
        <VocabularySelect
          label={t('newCase.concern')}
          vocabulary="concern"
          values={CONCERNS}
          value={form.concern}
          onChange={set('concern')}
        />
        <VocabularySelect
          label={t('newCase.heardOfLine')}
          vocabulary="heardOfLine"
          values={HEARD_OF_LINE}
          value={form.heardOfLine}
          onChange={set('heardOfLine')}
        />
      </StepForm>
    </>
  );
}
