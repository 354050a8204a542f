/**
 * Evaluating an installation: before/after (and against a control) for passers-by, staying
 * visits and person-minutes, with 95 % intervals in a small forest plot and a plain-language
 * summary that says what the numbers do and do not show. `print` is the A4 report.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, query } from '../api/client.ts';
import type { Evaluation, Installation } from '../api/types.ts';
import type { components } from '../api/schema.gen.ts';
import { MEASURES, effectBasis, measureName, summarizeEvaluation, verdictOf } from '../evaluation/summary.ts';
import { niceTicks, linearScale } from '../charts/scale.ts';
import { addDays, formatChange, formatDate, formatDateTime, formatNumber, formatSigned, localDate, type Lang } from '../format.ts';
import { useLang, useLoad, useRoute } from '../hooks.ts';
import { hashFor } from '../router.ts';
import { ErrorBox, Field, Loading, Page } from '../ui/common.tsx';

const PARAMS = ['installation', 'baselineFrom', 'baselineTo', 'interventionFrom', 'interventionTo', 'control'] as const;
type Form = Record<(typeof PARAMS)[number], string>;

/** The form's shown defaults: 28 days before and after the install date (the hub's own defaults). */
export function defaultDates(inst: Installation, today: string) {
  const day = localDate(inst.installedAt);
  const removed = inst.removedAt ? localDate(inst.removedAt) : null;
  const end = [addDays(day, 28), removed, today].filter((d): d is string => !!d).sort()[0];
  return { baselineFrom: addDays(day, -28), baselineTo: day, interventionFrom: day, interventionTo: end };
}

function ForestPlot(props: { ev: Evaluation; lang: Lang; label: string; didLabel: string }) {
  const rows = MEASURES.flatMap((m) => {
    const e = props.ev.measures[m];
    if (!e) return []; // no data for this measure (no zones: no staying visits)
    const out = [{ name: measureName(m, props.lang), ci: e.relativeCi95, value: e.relativeChange, did: false }];
    if (e.did) out.push({ name: `${measureName(m, props.lang)} – ${props.didLabel}`, ci: e.did.relativeCi95, value: e.did.relativeChange, did: true });
    return out;
  });
  const values = rows.flatMap((r) => (r.ci ? [r.ci[0], r.ci[1]] : [])).concat([0]);
  const { ticks, domain } = niceTicks(Math.min(...values), Math.max(...values), 6);
  const W = 720;
  const left = 230;
  const rowH = 30;
  const H = rows.length * rowH + 40;
  // 40 px on the right: the last tick's label ("+400 %") is centred on it and was cut off at 20.
  const x = linearScale(domain, [left, W - 40]);
  return (
    <svg class="chart forest" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={props.label}>
      <title>{props.label}</title>
      {ticks.map((v) => (
        <g key={v} class="axis">
          <line x1={x(v)} x2={x(v)} y1={8} y2={H - 28} class={v === 0 ? 'zero' : 'grid'} />
          <text x={x(v)} y={H - 10} text-anchor="middle">
            {formatChange(v, props.lang)}
          </text>
        </g>
      ))}
      {rows.map((r, i) => {
        const cy = 20 + i * rowH;
        const verdict = verdictOf(r.ci);
        return (
          <g key={r.name} class={`forest-row verdict-${verdict}`}>
            <text x={left - 10} y={cy + 4} text-anchor="end" class={r.did ? 'did' : ''}>
              {r.name}
            </text>
            {r.ci && <line x1={x(r.ci[0])} x2={x(r.ci[1])} y1={cy} y2={cy} class="ci" />}
            {r.value !== null && (
              <rect x={x(r.value) - 5} y={cy - 5} width="10" height="10" class="est">
                <title>{`${r.name}: ${formatChange(r.value, props.lang)}${r.ci ? ` (${formatChange(r.ci[0], props.lang)} … ${formatChange(r.ci[1], props.lang)})` : ''}`}</title>
              </rect>
            )}
          </g>
        );
      })}
    </svg>
  );
}

function Result(props: { ev: Evaluation }) {
  const { lang, t } = useLang();
  const ev = props.ev;
  const s = summarizeEvaluation(ev, lang);
  return (
    <section data-testid="evaluation-result" class="eval-result" aria-live="polite">
      <h2>{t('eval.summary')}</h2>
      <p class="headline">{s.headline}</p>
      <ul class="verdicts">
        {s.measures.map((m) => (
          <li key={m.measure} class={`verdict verdict-${m.verdict}`}>
            <span class="verdict-mark" aria-hidden="true">
              {m.verdict === 'increase' ? '▲' : m.verdict === 'decrease' ? '▼' : '◯'}
            </span>{' '}
            {m.sentence}
          </li>
        ))}
      </ul>
      <div class="panel">
        <h3>{t('eval.forest')}</h3>
        <ForestPlot ev={ev} lang={lang} label={t('eval.forest')} didLabel={t('eval.did')} />
      </div>
      <table class="data-table">
        <caption class="muted">
          {t('eval.baseline')}: {formatDate(ev.baseline.from, lang)} – {formatDate(ev.baseline.to, lang)} ({t('eval.hours', { n: formatNumber(ev.baseline.hours, lang) })}) · {t('eval.intervention')}:{' '}
          {formatDate(ev.intervention.from, lang)} – {formatDate(ev.intervention.to, lang)} ({t('eval.hours', { n: formatNumber(ev.intervention.hours, lang) })}) · {ev.matchedCells} {t('eval.matched')}
        </caption>
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">{t('eval.before')} <span class="muted small">{t('eval.perWeek')}</span></th>
            <th scope="col">{t('eval.after')}</th>
            <th scope="col">{t('eval.change')}</th>
            <th scope="col">{t('eval.ci')}</th>
            {ev.control && <th scope="col">{t('eval.did')} ({t('eval.ci')})</th>}
          </tr>
        </thead>
        <tbody>
          {MEASURES.map((m) => {
            const e = ev.measures[m];
            if (!e) {
              // the installation has no data for this measure (no zones: no staying visits)
              return (
                <tr key={m}>
                  <th scope="row">{measureName(m, lang)}</th>
                  <td class="num">–</td>
                  <td class="num">–</td>
                  <td class="num">–</td>
                  <td class="num">–</td>
                  {ev.control && <td class="num">–</td>}
                </tr>
              );
            }
            const b = effectBasis({ ...e, did: null });
            return (
              <tr key={m}>
                <th scope="row">{measureName(m, lang)}</th>
                <td class="num">{formatNumber(e.baselinePerWeek, lang)}</td>
                <td class="num">{formatNumber(e.interventionPerWeek, lang)}</td>
                <td class="num">
                  {formatSigned(e.change, lang)} ({formatChange(e.relativeChange, lang)})
                </td>
                <td class="num">{b.ci ? `${b.relative ? formatChange(b.ci[0], lang) : formatSigned(b.ci[0], lang)} … ${b.relative ? formatChange(b.ci[1], lang) : formatSigned(b.ci[1], lang)}` : '–'}</td>
                {ev.control && (
                  <td class="num">
                    {e.did ? `${formatChange(e.did.relativeChange, lang)} (${e.did.relativeCi95 ? `${formatChange(e.did.relativeCi95[0], lang)} … ${formatChange(e.did.relativeCi95[1], lang)}` : '–'})` : '–'}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>{t('eval.limits')}</h3>
      <ul>
        {s.limits.map((l) => (
          <li key={l}>{l}</li>
        ))}
      </ul>
      {s.caveats.length > 0 && (
        <>
          <h3>{t('eval.caveats')}</h3>
          <ul class="caveats">
            {s.caveats.map((c) => (
              <li key={c.code}>
                {c.text} <code class="muted small">{c.code}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

type EvaluationControl = components['schemas']['EvaluationControl'];

/** A control's label: the place's name with its site (a district says it is one); never a raw null. */
export function controlLabel(c: EvaluationControl, t: (key: 'eval.district') => string): string {
  if (c.kind === 'site') return c.name;
  if (c.kind === 'district') return `${t('eval.district')} ${c.name}`;
  return `${c.siteName ?? c.site ?? ''} · ${c.name}`;
}

/** Which of the two periods the control saw nothing in, or null when it has data in both. */
function missingPeriods(c: EvaluationControl): 'eval.controlNoDataBoth' | 'eval.controlNoDataBaseline' | 'eval.controlNoDataIntervention' | null {
  if (c.baselineHours === 0 && c.interventionHours === 0) return 'eval.controlNoDataBoth';
  if (c.baselineHours === 0) return 'eval.controlNoDataBaseline';
  if (c.interventionHours === 0) return 'eval.controlNoDataIntervention';
  return null;
}

export function EvaluationPage(props: { print: boolean }) {
  const { lang, t } = useLang();
  const { params } = useRoute();
  const installations = useLoad(() => api.get<{ installations: Installation[] }>('/installations'), []);
  const fromUrl = Object.fromEntries(PARAMS.map((p) => [p, params.get(p) ?? ''])) as Form;
  const [form, setForm] = useState<Form>(fromUrl);
  const [run, setRun] = useState<Form | null>(fromUrl.installation && (props.print || params.get('run')) ? fromUrl : null);
  const list = installations.data?.installations ?? [];
  const selected = form.installation || list[0]?.id || '';
  const inst = list.find((i) => i.id === selected);
  const defaults = inst ? defaultDates(inst, localDate(new Date())) : null;
  // The hub leaves out the installation's own site, zones and district, and counts each control's hours in these periods.
  const periods = { baselineFrom: form.baselineFrom || defaults?.baselineFrom, baselineTo: form.baselineTo || defaults?.baselineTo, interventionFrom: form.interventionFrom || defaults?.interventionFrom, interventionTo: form.interventionTo || defaults?.interventionTo };
  const controls = useLoad(
    () => (props.print || !selected ? Promise.resolve([]) : api.get<{ controls: EvaluationControl[] }>(`/evaluations/controls${query({ installation: selected, ...periods })}`).then((r) => r.controls)),
    [props.print, selected, JSON.stringify(periods)],
  );
  const chosenControl = (controls.data ?? []).find((c) => c.subject === form.control);
  const chosenMissing = chosenControl ? missingPeriods(chosenControl) : null;

  const result = useLoad(
    () => (run ? api.get<Evaluation>(`/evaluations${query({ ...run })}`) : Promise.resolve(null)),
    [run ? JSON.stringify(run) : ''],
  );
  useEffect(() => {
    if (!form.installation && list[0]) setForm((f) => ({ ...f, installation: list[0].id }));
  }, [list.length]);

  const submit = (e: Event) => {
    e.preventDefault();
    const r = { ...form, installation: selected };
    setRun(r);
    history.replaceState(null, '', hashFor('evaluation', { ...r, run: '1' }));
  };
  const set = (k: keyof Form) => (e: Event) => setForm({ ...form, [k]: (e.currentTarget as HTMLInputElement).value });
  const ready = !installations.loading && (!run || !result.loading);
  const printHref = run ? hashFor('evaluation/print', run) : hashFor('evaluation/print', { installation: selected });

  return (
    <Page
      name={props.print ? 'evaluation-print' : 'evaluation'}
      ready={ready}
      title={props.print ? `${t('eval.report')}${inst ? `: ${inst.name}` : ''}` : t('eval.title')}
      class={props.print ? 'print-page' : ''}
      actions={
        props.print ? (
          <div class="no-print">
            <button type="button" onClick={() => print()}>
              {t('print')}
            </button>{' '}
            <a href={hashFor('evaluation', { ...(run ?? {}), run: '1' })}>{t('back')}</a>
          </div>
        ) : (
          result.data && (
            <a class="button" href={printHref}>
              {t('printVersion')}
            </a>
          )
        )
      }
    >
      {!props.print && <p class="intro">{t('eval.intro')}</p>}
      <ErrorBox error={installations.error} onRetry={installations.reload} />
      {installations.data && list.length === 0 && <p class="muted">{t('eval.none')}</p>}
      {props.print && inst && (
        <p class="muted print-meta">
          {inst.kind} · {inst.site} · {t('eval.installedAt')} {formatDate(inst.installedAt, lang)}
          {inst.removedAt ? ` · ${t('eval.removedAt')} ${formatDate(inst.removedAt, lang)}` : ''} · {t('cards.printedAt')} {formatDateTime(new Date(), lang)}
        </p>
      )}
      {!props.print && list.length > 0 && (
        <form class="controls" onSubmit={submit}>
          <Field label={t('eval.installation')}>
            <select name="installation" value={selected} onChange={(e) => setForm({ ...form, installation: e.currentTarget.value, baselineFrom: '', baselineTo: '', interventionFrom: '', interventionTo: '' })}>
              {list.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name} ({i.site}, {formatDate(i.installedAt, lang)})
                </option>
              ))}
            </select>
          </Field>
          <fieldset class="dates">
            <legend>{t('eval.baseline')}</legend>
            <input type="date" aria-label={`${t('eval.baseline')} ${t('eval.from')}`} name="baselineFrom" value={form.baselineFrom || defaults?.baselineFrom} onChange={set('baselineFrom')} /> –{' '}
            <input type="date" aria-label={`${t('eval.baseline')} ${t('eval.to')}`} name="baselineTo" value={form.baselineTo || defaults?.baselineTo} onChange={set('baselineTo')} />
          </fieldset>
          <fieldset class="dates">
            <legend>{t('eval.intervention')}</legend>
            <input type="date" aria-label={`${t('eval.intervention')} ${t('eval.from')}`} name="interventionFrom" value={form.interventionFrom || defaults?.interventionFrom} onChange={set('interventionFrom')} /> –{' '}
            <input type="date" aria-label={`${t('eval.intervention')} ${t('eval.to')}`} name="interventionTo" value={form.interventionTo || defaults?.interventionTo} onChange={set('interventionTo')} />
          </fieldset>
          <Field label={t('eval.control')}>
            <select name="control" value={form.control} onChange={set('control')}>
              <option value="">{t('eval.noControl')}</option>
              {(controls.data ?? []).map((c) => (
                <option key={c.subject} value={c.subject}>
                  {controlLabel(c, t)}
                  {missingPeriods(c) ? ` (${t('eval.controlNoDataShort')})` : ''}
                </option>
              ))}
            </select>
          </Field>
          {chosenControl && chosenMissing && (
            <p class="error-box full" role="status" data-testid="control-no-data">
              {t('eval.controlNoData', { control: controlLabel(chosenControl, t), periods: t(chosenMissing) })}
            </p>
          )}
          <button type="submit" class="primary" data-testid="run-evaluation">
            {t('eval.run')}
          </button>
          <p class="muted small full">{t('eval.defaultsNote')}</p>
        </form>
      )}
      <ErrorBox error={result.error} />
      {run && result.loading && <Loading />}
      {result.data && <Result ev={result.data} />}
    </Page>
  );
}
