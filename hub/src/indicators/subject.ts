/**
 * What an indicator is about, as the query parameter `subject` spells it:
 * `site:<site>` | `zone:<site>/<camera>/<zone>` | `line:<site>/<camera>/<line>` |
 * `installation:<id>` | `district:<id>`. Every id follows the protocol's Id rule.
 */
import { DISTRICT_ID_PATTERN, ID_PATTERN } from '@byliv/protocol';

export const SUBJECT_KINDS = ['site', 'zone', 'line', 'installation', 'district'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export type Subject =
  | { kind: 'site'; site: string }
  | { kind: 'zone' | 'line'; site: string; camera: string; feature: string }
  | { kind: 'installation'; installation: string }
  | { kind: 'district'; district: string };

export type SubjectParse = { ok: true; subject: Subject } | { ok: false; reason: string };

const FORM: Record<SubjectKind, string> = {
  site: 'site:<site>',
  zone: 'zone:<site>/<camera>/<zone>',
  line: 'line:<site>/<camera>/<line>',
  installation: 'installation:<id>',
  district: 'district:<id>',
};
const FORMS = `${Object.values(FORM).slice(0, -1).join(', ')} or ${FORM.district}`;

/** Parses a subject string; the reason of a failure says which part is wrong. */
export function parseSubject(text: string): SubjectParse {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? '' : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  if (!(SUBJECT_KINDS as readonly string[]).includes(kind)) return { ok: false, reason: `"${text}" is not a subject: use ${FORMS}` };
  const parts = rest.split('/');
  const want = kind === 'zone' || kind === 'line' ? 3 : 1;
  if (parts.length !== want) return { ok: false, reason: `a ${kind} subject is ${FORM[kind as SubjectKind]}, got "${text}"` };
  const bad = parts.find((p) => !(kind === 'district' ? DISTRICT_ID_PATTERN : ID_PATTERN).test(p));
  if (bad !== undefined) return { ok: false, reason: `"${bad}" in subject "${text}" is not a valid id (letters, digits, _ . -; at most 64)` };
  switch (kind) {
    case 'site':
      return { ok: true, subject: { kind, site: parts[0] } };
    case 'zone':
    case 'line':
      return { ok: true, subject: { kind, site: parts[0], camera: parts[1], feature: parts[2] } };
    case 'installation':
      return { ok: true, subject: { kind, installation: parts[0] } };
    default:
      return { ok: true, subject: { kind: 'district', district: parts[0] } };
  }
}

/** The subject's canonical string (what parseSubject reads back). */
export function formatSubject(s: Subject): string {
  switch (s.kind) {
    case 'site':
      return `site:${s.site}`;
    case 'zone':
    case 'line':
      return `${s.kind}:${s.site}/${s.camera}/${s.feature}`;
    case 'installation':
      return `installation:${s.installation}`;
    case 'district':
      return `district:${s.district}`;
  }
}

/** The id part of a subject, as the API shows it (`subject.id`). */
export function subjectId(s: Subject): string {
  return formatSubject(s).slice(s.kind.length + 1);
}
