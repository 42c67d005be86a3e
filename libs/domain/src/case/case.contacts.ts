// Contacts: the first contact that opens a case, and every contact after it.
import { findLine } from '../lines/lines';
import type { CaseCommandOf, RecordFirstContact, RecordFollowUpContact } from './case.commands';
import type { CaseEvent, CaseEventOf } from './case.events';
import {
  event,
  lineOf,
  optional,
  refuse,
  requireBoolean,
  requireChannelOf,
  requireCollectedOrUnknown,
  requireInstant,
  requireOneOf,
  requireText,
} from './case.rules';
import type { CaseState } from './case.state';
import { AGE_BANDS, CALLER_TYPES, CONCERNS, CONTACT_DIRECTIONS, GENDERS, HEARD_OF_LINE_SOURCES } from './vocabularies';

export type ContactCommand = CaseCommandOf<'RecordFirstContact' | 'RecordFollowUpContact'>;
export type ContactEvent = CaseEventOf<'FirstContactRecorded' | 'FollowUpContactRecorded'>;

export function decideContacts(command: ContactCommand, state: CaseState): CaseEvent[] {
  switch (command.type) {
    case 'RecordFirstContact':
      return recordFirstContact(command, state);
    case 'RecordFollowUpContact':
      return recordFollowUpContact(command, state);
  }
}

export function evolveContacts(state: CaseState, fact: ContactEvent): CaseState {
  switch (fact.type) {
    case 'FirstContactRecorded':
      return {
        ...state,
        status: 'open',
        caseId: fact.data.caseId,
        lineId: fact.data.lineId,
        openedAt: fact.data.occurredAt,
        contacts: state.contacts + 1,
        lastContactAt: fact.data.occurredAt,
        assignedOperatorId: fact.data.assignedOperatorId ?? null,
      };
    case 'FollowUpContactRecorded':
      return { ...state, contacts: state.contacts + 1, lastContactAt: fact.data.occurredAt };
  }
}

function recordFirstContact(command: RecordFirstContact, state: CaseState): CaseEvent[] {
  if (state.status !== 'not_opened') refuse('CASE_ALREADY_OPENED', 'The case already has its first contact');
  const caseId = requireText(command.caseId, 'caseId');
  requireInstant(command.occurredAt, 'occurredAt');
  const line = findLine(command.lineId);
  if (!line) return refuse('UNKNOWN_LINE', 'No line has this id', 'lineId');
  const channel = requireChannelOf(line, command.channel, 'channel');
  const ageBand = requireOneOf(AGE_BANDS, command.ageBand, 'ageBand');
  const gender = requireOneOf(GENDERS, command.gender, 'gender');
  const concern = requireOneOf(CONCERNS, command.concern, 'concern');
  const heardOfLine = requireOneOf(HEARD_OF_LINE_SOURCES, command.heardOfLine, 'heardOfLine');
  requireCollectedOrUnknown(line, 'age_band', ageBand !== 'unknown', 'ageBand');
  requireCollectedOrUnknown(line, 'gender', gender !== 'not_stated', 'gender');
  requireCollectedOrUnknown(line, 'concern', concern !== 'not_stated', 'concern');
  requireCollectedOrUnknown(line, 'heard_of_line', heardOfLine !== 'not_stated', 'heardOfLine');
  return [
    event('FirstContactRecorded', {
      caseId,
      lineId: line.id,
      channel,
      callerType: requireOneOf(CALLER_TYPES, command.callerType, 'callerType'),
      ageBand,
      gender,
      concern,
      heardOfLine,
      outOfHours: requireBoolean(command.outOfHours, 'outOfHours'),
      ...optional(
        'assignedOperatorId',
        command.assignTo === undefined ? undefined : requireText(command.assignTo, 'assignTo'),
      ),
      occurredAt: command.occurredAt,
    }),
  ];
}

function recordFollowUpContact(command: RecordFollowUpContact, state: CaseState): CaseEvent[] {
  return [
    event('FollowUpContactRecorded', {
      channel: requireChannelOf(lineOf(state), command.channel, 'channel'),
      direction: requireOneOf(CONTACT_DIRECTIONS, command.direction, 'direction'),
      outOfHours: requireBoolean(command.outOfHours, 'outOfHours'),
      occurredAt: command.occurredAt,
    }),
  ];
}
