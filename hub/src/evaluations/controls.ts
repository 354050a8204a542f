/**
 * Which places may serve as an evaluation's control. Pure: the picker's subjects and what the
 * installation covers in, candidates out. A control that contains the installation (its own
 * site, its own lines and zones, a district holding its site) would compare the change with
 * itself, so it is left out; each subject is offered once.
 */
export interface ControlSubject {
  subject: string;
  kind: 'site' | 'zone' | 'line' | 'installation' | 'district';
  name: string;
  site: string | null;
  camera?: string;
  installation?: string;
}

export interface Treated {
  installation: string;
  site: string;
  /** Subject strings of the installation's own lines and zones ("zone:park/cam1/z1"). */
  features: ReadonlySet<string>;
  /** Districts whose area holds the installation's site. */
  districts: ReadonlySet<string>;
}

export function controlCandidates(subjects: readonly ControlSubject[], treated: Treated): ControlSubject[] {
  const seen = new Set<string>();
  const out: ControlSubject[] = [];
  for (const s of subjects) {
    if (seen.has(s.subject)) continue;
    seen.add(s.subject);
    // another installation is an intervention itself, not a place to compare with
    if (s.kind === 'installation') continue;
    if (s.kind === 'site' && s.site === treated.site) continue;
    if ((s.kind === 'zone' || s.kind === 'line') && (s.installation === treated.installation || treated.features.has(s.subject))) continue;
    if (s.kind === 'district' && treated.districts.has(s.subject)) continue;
    out.push(s);
  }
  return out;
}
