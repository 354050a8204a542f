/**
 * The plain-language summary of an installation evaluation, in Danish or English.
 * Pure: the API's result in, sentences out. It says what the numbers show (a clear rise, a
 * clear fall, or no clear change when the 95 % interval includes 0), never that the
 * installation caused it, and lists every caveat the hub attached.
 */
import type { Effect, Evaluation, EvaluationMeasure } from '../api/types.ts';
import { formatChange, formatDate, formatNumber, type Lang } from '../format.ts';

export type Verdict = 'increase' | 'decrease' | 'no_clear_change' | 'unknown';

export interface MeasureSummary {
  measure: EvaluationMeasure;
  verdict: Verdict;
  /** true when the verdict is relative to the control subject (difference-in-differences). */
  againstControl: boolean;
  sentence: string;
}

export interface EvaluationSummary {
  headline: string;
  measures: MeasureSummary[];
  /** What the numbers do not say; always includes "not proof of cause". */
  limits: string[];
  caveats: { code: string; text: string }[];
}

export const MEASURES: EvaluationMeasure[] = ['passers', 'stayingVisits', 'personMinutes'];

const MEASURE_NAMES: Record<Lang, Record<EvaluationMeasure, string>> = {
  da: { passers: 'Forbipasserende', stayingVisits: 'Ophold', personMinutes: 'Personminutter' },
  en: { passers: 'Passers-by', stayingVisits: 'Staying visits', personMinutes: 'Person-minutes' },
};
export const measureName = (m: EvaluationMeasure, lang: Lang) => MEASURE_NAMES[lang][m];

const CAVEATS: Record<string, Record<Lang, string>> = {
  few_matched_cells: {
    da: 'Få timer i ugen kunne sammenlignes (samme ugedag og time observeret i begge perioder); resultatet er usikkert.',
    en: 'Few hours of the week could be compared (the same weekday and hour observed in both periods); the result is uncertain.',
  },
  no_control: {
    da: 'Intet kontrolsted: ændringer, der ramte hele byen (vejr, årstid, ferie), kan ikke skilles fra.',
    en: 'No control site: changes that affected the whole town (weather, season, holidays) cannot be separated out.',
  },
  short_baseline: {
    da: 'Kort førperiode: den viser måske ikke et typisk niveau.',
    en: 'Short baseline: it may not show a typical level.',
  },
  hours_treated_independent: {
    da: 'Usikkerheden regner timerne som uafhængige; nabotimer ligner hinanden, så det rigtige interval er nok bredere.',
    en: 'The uncertainty treats hours as independent; neighbouring hours are alike, so the true interval is probably wider.',
  },
  short_intervention: {
    da: 'Kort efterperiode: en nyhedseffekt kan fylde meget.',
    en: 'Short intervention period: a novelty effect may weigh heavily.',
  },
  no_variance: {
    da: 'I mindst én periode er hver time i ugen kun set én gang, så usikkerheden kan ikke beregnes.',
    en: 'In at least one period each hour of the week was seen only once, so the uncertainty cannot be computed.',
  },
  measure_unavailable: {
    da: 'Nogle mål findes ikke for installationen (ophold og personminutter kræver en zone); de er udeladt.',
    en: 'Some measures do not exist for the installation (staying visits and person-minutes need a zone); they are left out.',
  },
  control_measure_unavailable: {
    da: 'Kontrolstedet mangler et af målene; for det mål er sammenligningen med kontrolstedet udeladt.',
    en: 'The control lacks one of the measures; for that measure the comparison with the control is left out.',
  },
  feature_missing_in_baseline: {
    da: 'En af installationens linjer eller zoner blev ikke talt i hele førperioden (tegnet ind senere?); de timer regnes som manglende, ikke som 0.',
    en: 'One of the installation’s lines or zones was not counted throughout the baseline (drawn in later?); those hours count as missing, not as 0.',
  },
  feature_missing_in_intervention: {
    da: 'En af installationens linjer eller zoner blev ikke talt i hele efterperioden (fjernet fra scenen?); de timer regnes som manglende, ikke som 0.',
    en: 'One of the installation’s lines or zones was not counted throughout the period after (removed from the scene?); those hours count as missing, not as 0.',
  },
  zero_baseline: {
    da: 'Førperioden havde 0, så en relativ ændring kan ikke beregnes.',
    en: 'The baseline was 0, so a relative change cannot be computed.',
  },
};

/** The caveat codes the dashboard has words for (the translation test checks the hub's list against it). */
export const KNOWN_CAVEATS: readonly string[] = Object.keys(CAVEATS);

/** The text of a caveat code; an unknown code is shown as itself, so nothing the hub says is dropped. */
export function caveatText(code: string, lang: Lang): string {
  return CAVEATS[code]?.[lang] ?? (lang === 'da' ? `Forbehold fra hubben: ${code}` : `Caveat from the hub: ${code}`);
}

/** Rise, fall, or no clear change, from a 95 % interval of a change (relative or absolute). */
export function verdictOf(ci: [number, number] | null | undefined): Verdict {
  if (!ci || !Number.isFinite(ci[0]) || !Number.isFinite(ci[1])) return 'unknown';
  if (ci[0] > 0) return 'increase';
  if (ci[1] < 0) return 'decrease';
  return 'no_clear_change';
}

/** The interval and change to judge by: the DiD one when there is a control, else the before/after one. */
export function effectBasis(effect: Effect): { againstControl: boolean; change: number | null; ci: [number, number] | null; relative: boolean } {
  const d = effect.did;
  if (d) {
    if (d.relativeCi95) return { againstControl: true, change: d.relativeChange, ci: d.relativeCi95, relative: true };
    if (d.changeCi95) return { againstControl: true, change: d.change, ci: d.changeCi95, relative: false };
  }
  if (effect.relativeCi95) return { againstControl: false, change: effect.relativeChange, ci: effect.relativeCi95, relative: true };
  return { againstControl: false, change: effect.change, ci: effect.changeCi95, relative: false };
}

function measureSentence(m: EvaluationMeasure, e: Effect, lang: Lang): MeasureSummary {
  const basis = effectBasis(e);
  const verdict = verdictOf(basis.ci);
  const fmt = (v: number | null) => (basis.relative ? formatChange(v, lang) : formatNumber(v, lang));
  const name = measureName(m, lang);
  const levels =
    lang === 'da'
      ? `fra ${formatNumber(e.baselinePerWeek, lang)} til ${formatNumber(e.interventionPerWeek, lang)} pr. typisk uge`
      : `from ${formatNumber(e.baselinePerWeek, lang)} to ${formatNumber(e.interventionPerWeek, lang)} per typical week`;
  const ci = basis.ci ? `${fmt(basis.ci[0])} ${lang === 'da' ? 'til' : 'to'} ${fmt(basis.ci[1])}` : '';
  const vs = basis.againstControl ? (lang === 'da' ? ' i forhold til kontrolstedet' : ' relative to the control') : '';
  let judgement: string;
  if (lang === 'da') {
    judgement = {
      increase: `En tydelig stigning${vs}: ${fmt(basis.change)} (95 %-interval ${ci}, helt over 0).`,
      decrease: `Et tydeligt fald${vs}: ${fmt(basis.change)} (95 %-interval ${ci}, helt under 0).`,
      no_clear_change: `Ingen klar ændring${vs}: ${fmt(basis.change)}, men 95 %-intervallet (${ci}) rummer 0.`,
      unknown: 'Ændringen kan ikke beregnes ud fra disse data.',
    }[verdict];
  } else {
    judgement = {
      increase: `A clear increase${vs}: ${fmt(basis.change)} (95 % interval ${ci}, entirely above 0).`,
      decrease: `A clear decrease${vs}: ${fmt(basis.change)} (95 % interval ${ci}, entirely below 0).`,
      no_clear_change: `No clear change${vs}: ${fmt(basis.change)}, but the 95 % interval (${ci}) includes 0.`,
      unknown: 'The change cannot be computed from these data.',
    }[verdict];
  }
  return { measure: m, verdict, againstControl: basis.againstControl, sentence: `${name}: ${levels}. ${judgement}` };
}

export function summarizeEvaluation(ev: Evaluation, lang: Lang): EvaluationSummary {
  // A measure the subject has no data for (no zones: no staying visits) is null: left out.
  const measures = MEASURES.flatMap((m) => {
    const e = ev.measures[m];
    return e ? [measureSentence(m, e, lang)] : [];
  });
  const clear = measures.filter((m) => m.verdict === 'increase' || m.verdict === 'decrease');
  const name = ev.installation.name;
  const period = (p: { from: string; to: string }) => `${formatDate(p.from, lang)} – ${formatDate(p.to, lang)}`;
  const headline =
    lang === 'da'
      ? clear.length === 0
        ? `Ingen klar ændring ved ${name} mellem førperioden (${period(ev.baseline)}) og perioden efter (${period(ev.intervention)}).`
        : `Ved ${name} ændrede ${clear.map((m) => measureName(m.measure, lang).toLowerCase()).join(' og ')} sig tydeligt mellem førperioden (${period(ev.baseline)}) og perioden efter (${period(ev.intervention)}).`
      : clear.length === 0
        ? `No clear change at ${name} between the baseline (${period(ev.baseline)}) and the period after (${period(ev.intervention)}).`
        : `At ${name}, ${clear.map((m) => measureName(m.measure, lang).toLowerCase()).join(' and ')} changed clearly between the baseline (${period(ev.baseline)}) and the period after (${period(ev.intervention)}).`;

  const limits =
    lang === 'da'
      ? [
          'Tallene viser en ændring over tid, ikke at installationen er årsagen. Vejr, årstid, ferier, arrangementer og byggeri kan også have spillet ind.',
          `Sammenligningen bruger kun de ${ev.matchedCells} timer i ugen (ugedag × time), der blev observeret i begge perioder${ev.control ? ' og på kontrolstedet' : ''}; timer uden data tæller ikke som 0.`,
          'Tællingerne er anonyme og siger intet om, hvem der kom, eller om de samme mennesker kom igen.',
        ]
      : [
          'The numbers show a change over time, not that the installation caused it. Weather, season, holidays, events and construction may also have played a part.',
          `The comparison uses only the ${ev.matchedCells} hours of the week (weekday × hour) observed in both periods${ev.control ? ' and at the control' : ''}; hours without data do not count as 0.`,
          'The counts are anonymous and say nothing about who came, or whether the same people came back.',
        ];
  if (ev.control) {
    limits.push(
      lang === 'da'
        ? `Med kontrolstedet (${ev.control}) trækkes den generelle udvikling fra; det forudsætter, at de to steder ellers ville have udviklet sig ens.`
        : `With the control (${ev.control}) the general trend is subtracted; that assumes both places would otherwise have developed alike.`,
    );
  }
  const caveats = ev.caveats.map((code) => ({ code, text: caveatText(code, lang) }));
  return { headline, measures, limits, caveats };
}
