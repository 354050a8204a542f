/** Small shared pieces: the page frame with its test hooks, errors, traffic lights, badges. */
import type { ComponentChildren } from 'preact';
import type { Light } from '../api/types.ts';
import { ApiFailure } from '../api/client.ts';
import { useLang } from '../hooks.ts';
import { errorText } from './error-text.ts';

/** Every page's root: `<main data-testid="page-<name>" data-ready>` (the e2e test waits on it). */
export function Page(props: { name: string; ready: boolean; title: string; actions?: ComponentChildren; children: ComponentChildren; class?: string }) {
  return (
    <main id="main" data-testid={`page-${props.name}`} data-ready={props.ready ? 'true' : 'false'} aria-busy={props.ready ? 'false' : 'true'} class={`page ${props.class ?? ''}`}>
      <header class="page-head">
        <h1>{props.title}</h1>
        {props.actions && <div class="page-actions">{props.actions}</div>}
      </header>
      {props.children}
    </main>
  );
}

export function ErrorBox(props: { error: Error | null; onRetry?: () => void }) {
  const { t, lang } = useLang();
  if (!props.error) return null;
  const e = props.error;
  const said = errorText(e instanceof ApiFailure ? e.body : null, e.message, lang);
  return (
    <div class="error-box" role="alert">
      <strong>{t('error')}:</strong> {said.text}
      {e instanceof ApiFailure && <span class="muted"> ({e.status} {e.body.problem ?? e.body.error})</span>}
      {said.detail && <ErrorDetail detail={said.detail} />}
      {props.onRetry && (
        <button type="button" class="link" onClick={props.onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

/** The hub's own (English) sentence, folded away: it names the exact field, for whoever fixes it. */
export function ErrorDetail(props: { detail: string }) {
  const { t } = useLang();
  return (
    <details class="error-detail">
      <summary>{t('apiError.detail')}</summary>
      <p lang="en">{props.detail}</p>
    </details>
  );
}

export function Loading() {
  const { t } = useLang();
  return <p class="muted loading">{t('loading')}</p>;
}

// Shape as well as colour: a circle, a diamond and a triangle read apart without colour vision.
const LIGHT_SHAPE: Record<Light, string> = { green: '●', yellow: '◆', red: '▲' };

/** A traffic light: coloured shape plus its word (never colour alone). */
export function LightBadge(props: { light: Light | null; long?: boolean }) {
  const { t } = useLang();
  if (!props.light) return <span class="light light-none">{t('light.none')}</span>;
  const l = props.light;
  return (
    <span class={`light light-${l}`} data-light={l} title={t(`light.${l}.long`)}>
      <span class="light-shape" aria-hidden="true">
        {LIGHT_SHAPE[l]}
      </span>{' '}
      {t(`light.${l}`)}
      {props.long && <span class="light-long"> – {t(`light.${l}.long`)}</span>}
    </span>
  );
}

export function SampleBadge() {
  const { t } = useLang();
  return (
    <span class="badge badge-sample" title={t('sampleNote')}>
      {t('sample')}
    </span>
  );
}

/** A labelled form control in a column. */
export function Field(props: { label: string; children: ComponentChildren; hint?: string }) {
  return (
    <label class="field">
      <span class="field-label">{props.label}</span>
      {props.children}
      {props.hint && <span class="field-hint">{props.hint}</span>}
    </label>
  );
}
