import type { FormInstance } from 'antd';
import { ApiError } from '../api/client.ts';
import type { Translate } from './locale.tsx';

/**
 * The server (and the contract's schemas) speak English. The messages users meet on
 * forms are translated here by pattern; anything unknown is shown as the server said it.
 */
const PATTERNS: Array<[RegExp, (t: Translate, m: RegExpMatchArray) => string]> = [
  [/^must be 18 characters$/, (t) => t('serverMessage.idLength')],
  [/^must be 17 digits followed by a digit or X$/, (t) => t('serverMessage.idCharacters')],
  [/^does not start with a valid region code$/, (t) => t('serverMessage.idRegion')],
  [/^contains an impossible birth date$/, (t) => t('serverMessage.idBirthDate')],
  [/^has a wrong check digit \(GB 11643\)$/, (t) => t('serverMessage.idCheckDigit')],
  [/^must be an 11-digit mainland mobile number starting with 1$/, (t) => t('serverMessage.mobile')],
  [/^is required$/, (t) => t('serverMessage.required')],
  [/^must be at most (\d+) characters$/, (t, m) => t('serverMessage.maxLength', { max: m[1]! })],
  [/^must be at least (\d+) characters$/, (t, m) => t('serverMessage.minLength', { min: m[1]! })],
  [/^must be a 6-digit region code \(GB\/T 2260\)$/, (t) => t('serverMessage.regionCode')],
  [/^must be 3-40 letters, digits, dots, dashes or underscores$/, (t) => t('serverMessage.username')],
  [/^a person with this ID number is already on the roster$/, (t) => t('serverMessage.idTaken')],
  [/^is held by a member of another union; ask that union for a transfer/, (t) => t('serverMessage.idHeldElsewhere')],
  [/^this person is already a member in your subtree \(person (\d+)\)$/, (t, m) => t('serverMessage.idInSubtree', { id: m[1]! })],
  [/^another member in your subtree has this ID number \(person (\d+)\)$/, (t, m) => t('serverMessage.idInSubtree', { id: m[1]! })],
  [/ID numbers held by other unions were looked up in 24 hours/, (t) => t('serverMessage.idLookupsExhausted')],
  [/^no union holds an active membership with this ID number/, (t) => t('serverMessage.idNotHeld')],
  [/^this person is a member in your subtree \(person (\d+)\); transfer them directly$/, (t, m) => t('serverMessage.idInSubtree', { id: m[1]! })],
  [/^a transfer request for this person is already waiting/, (t) => t('serverMessage.transferPending')],
  [/^account (\d+) was not found$/, (t) => t('serverMessage.accountMissing')],
  [/^no such person is on the roster of your organizations$/, (t) => t('serverMessage.notOnRoster')],
  [/^(gender )?does not match the ID number(?: \((\d{4}-\d{2}-\d{2})\))?$/, (t, m) => (m[2] ? t('serverMessage.birthMismatch', { date: m[2] }) : t('serverMessage.genderMismatch'))],
  [/^members belong to a grassroots union; choose one$/, (t) => t('serverMessage.grassrootsOnly')],
  [/^organization (\d+) does not exist$/, (t) => t('serverMessage.orgMissing')],
  [/^organization (\d+) is closed$/, (t) => t('serverMessage.orgClosed')],
  [/^is before the birth date$/, (t) => t('serverMessage.beforeBirth')],
  [/^is before .*\((\d{4}-\d{2}-\d{2})\)$/, (t, m) => t('serverMessage.beforeDate', { date: m[1]! })],
  [/^is taken$/, (t) => t('serverMessage.usernameTaken')],
  [/^is wrong$/, (t) => t('serverMessage.wrongPassword')],
  [/^organization (\d+) does not exist or is outside your subtree$/, (t) => t('serverMessage.orgOutside')],
  [/^this account already holds this role on this organization$/, (t) => t('serverMessage.grantExists')],
  [/^another organization with this name already stands under the same parent$/, (t) => t('serverMessage.orgNameTaken')],
  [/^a (\w+) organization cannot stand under a (\w+) organization$/, (t) => t('serverMessage.levelOrder')],
  // training
  [/^is not a check-in code of Workers' Home/, (t) => t('serverMessage.checkinNotOurs')],
  [/^belongs to another session/, (t) => t('serverMessage.checkinOtherSession')],
  [/^is not a valid check-in code/, (t) => t('serverMessage.checkinForged')],
  [/^has expired \(codes change/, (t) => t('serverMessage.checkinExpired')],
  [/^is wrong or has expired \(codes change/, (t) => t('serverMessage.checkinWrongCode')],
  [/you are not enrolled in this class/, (t) => t('serverMessage.checkinNotEnrolled')],
  [/^you take part live/, (t) => t('serverMessage.checkinLive')],
  [/^the class is (not open yet|closed)$/, (t) => t('serverMessage.checkinClassState')],
  [/^check-in for this session is open from (.+) to (.+) \(China time\)$/, (t, m) => t('serverMessage.checkinWindow', { from: m[1]!, to: m[2]! })],
  [/^no person with this ID number is on the roster/, (t) => t('serverMessage.enrolNoId')],
  [/^no person with this phone number is on the roster/, (t) => t('serverMessage.enrolNoPhone')],
  [/^this person is already enrolled in the class/, (t) => t('serverMessage.enrolAlready')],
  [/^the (on site|on-site|live) places are full/, (t) => t('serverMessage.enrolFull')],
  [/^this class takes no /, (t) => t('serverMessage.enrolNoPlaces')],
  [/^must fall within the class dates/, (t) => t('serverMessage.sessionDates')],
  [/^give a place \(on site\) or a stream link/, (t) => t('serverMessage.sessionPlace')],
  [/^a live session needs a stream link$/, (t) => t('serverMessage.sessionLiveStream')],
  [/^must be after the start$/, (t) => t('serverMessage.afterStart')],
  [/^must be an http\(s\) address$/, (t) => t('serverMessage.httpUrl')],
  [/^the session is not running now/, (t) => t('serverMessage.liveNotRunning')],
  [/^Invalid ISO date$|^Invalid date$/i, (t) => t('serverMessage.date')],
];

export function translateServerMessage(message: string, t: Translate): string {
  for (const [pattern, render] of PATTERNS) {
    const match = message.match(pattern);
    if (match) return render(t, match);
  }
  return message;
}

/** A whole problem in a sentence, for a toast or an error block. */
export function problemText(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) return t('error.generic');
  if (error.status === 0) return t('error.network');
  if (error.status === 401) return t('error.signedOut');
  if (error.status === 403) return t('error.forbidden');
  if (error.status === 429) return t('error.rateLimited');
  if (error.status >= 500) return t('error.server', { id: error.problem?.requestId ?? '' });
  const fields = error.fieldErrors;
  if (fields.length) return fields.map((f) => translateServerMessage(f.message, t)).join('; ');
  return error.problem?.detail ?? t('error.generic');
}

/**
 * Puts the server's field errors on the form's fields ('body.membership.orgId' ->
 * ['membership', 'orgId']). Returns the errors that match no field on this form, so the
 * caller can show them elsewhere.
 */
export function showServerErrors(form: FormInstance, error: unknown, t: Translate, knownFields: ReadonlyArray<string>): string[] {
  if (!(error instanceof ApiError)) return [t('error.generic')];
  const rest: string[] = [];
  const byField = new Map<string, string[]>();
  for (const fieldError of error.fieldErrors) {
    const name = fieldError.field.replace(/^body\./, '');
    const message = translateServerMessage(fieldError.message, t);
    if (knownFields.includes(name)) byField.set(name, [...(byField.get(name) ?? []), message]);
    else rest.push(message);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name: name.split('.'), errors })));
  if (!error.fieldErrors.length) rest.push(problemText(error, t));
  return rest;
}

/** Renames the server's field names to the form's (e.g. 'body.grant.role' -> 'body.role'). */
export function renameErrorFields(error: unknown, renames: Record<string, string>): unknown {
  if (error instanceof ApiError) {
    for (const fieldError of error.fieldErrors) fieldError.field = renames[fieldError.field] ?? fieldError.field;
  }
  return error;
}
