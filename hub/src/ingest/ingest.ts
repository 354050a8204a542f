/**
 * Turns one MQTT message into stored data or a dead letter. Every message gets exactly one
 * outcome and nothing is thrown: a bad message must never stop the hub. The one outcome the
 * broker must NOT acknowledge is `failed` (the store itself failed): the edge then keeps the
 * batch and sends it again later, which the batchId makes harmless.
 *
 * Dead letters are capped per sender (flood-sampler.ts): a camera flooding its topic with
 * garbage gets its first few kept each minute and the rest counted, then one dead letter and
 * one log line that say how many were not kept. Nothing goes unmentioned, and the disk and the
 * log do not fill at the flood's pace.
 */
import { CameraStatus, CountBatch, describeIssues, parseTopic, type ParsedTopic } from '@byliv/protocol';
import type { DeadLetterInput, HubStore, IngestWrite, IngestWriteResult } from '../store/index.ts';
import { DEAD_LETTER_FLOOD_LIMITS, FloodSampler, type FloodLimits, type FloodReport, type Verdict } from './flood-sampler.ts';

export const DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

export interface InboundMessage {
  topic: string;
  payload: Buffer;
  /** Who sent it, where the broker knows (the embedded broker's authenticated username). */
  sender?: string | null;
}

export type IngestOutcome =
  | { kind: 'stored'; batchId: string }
  /** It replaced the camera's stored partial batch of the same id (the agent had been stopped mid-bin). */
  | { kind: 'superseded'; batchId: string }
  /**
   * Already stored: acknowledged and ignored. `sameContent` false also wrote a dead letter,
   * unless `lessComplete` (a partial batch whose complete one is stored: expected, not a conflict).
   */
  | { kind: 'duplicate'; batchId: string; sameContent: boolean; lessComplete?: boolean }
  /** A camera status; `kept` false when the same status was already in the history. */
  | { kind: 'status'; site: string; camera: string; kept: boolean }
  /**
   * deadLetterId null: counted, not kept (the sender is flooding; its flood report says how many).
   * quiet: not worth a log line of its own (the flood report covers it).
   */
  | { kind: 'dead-letter'; reason: string; deadLetterId: number | null; quiet: boolean }
  /** The store failed (disk full, file gone): do not acknowledge, so the sender retries. */
  | { kind: 'failed'; error: Error };

export interface IngestOptions {
  store: HubStore;
  clock?: () => Date;
  maxPayloadBytes?: number;
  /** Called with every outcome (logging, counters); its errors are swallowed. */
  onOutcome?: (outcome: IngestOutcome, message: InboundMessage) => void;
  /** Dead letters kept per sender and window (default DEAD_LETTER_FLOOD_LIMITS). */
  floodLimits?: FloodLimits;
  /** Where a flood's one line goes. */
  log?: (line: string) => void;
}

class Rejected extends Error {}

const MAX_REASON_CHARS = 2000;

/** A message read and checked: what to write, or why it is refused. */
type Decision = { write: IngestWrite } | { rejected: string } | { failed: Error };

/** Who a dead letter is counted against: the authenticated camera, else the camera its topic names. */
function senderOf(message: InboundMessage): string {
  if (message.sender) return message.sender;
  const topic = parseTopic(message.topic);
  // Topics that are not Byliv's share one sender: their number is the sender's to choose.
  return topic ? `${topic.site}/${topic.camera}` : '(other topics)';
}

export class Ingest {
  private readonly store: HubStore;
  private readonly clock: () => Date;
  readonly maxPayloadBytes: number;
  private readonly floods: FloodSampler;
  private pending: { message: InboundMessage; resolve: (outcome: IngestOutcome) => void }[] = [];

  constructor(private readonly options: IngestOptions) {
    this.store = options.store;
    this.clock = options.clock ?? (() => new Date());
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.floods = new FloodSampler(options.floodLimits ?? DEAD_LETTER_FLOOD_LIMITS);
  }

  /**
   * Writes the report of every flood whose window is over (every open one with `all`, when the
   * hub stops): one dead letter and one log line each. Ingest also does this on each write;
   * the hub calls it on a timer too, so a flood that stopped is reported without new traffic.
   */
  async reportFloods(options: { all?: boolean } = {}): Promise<void> {
    const reports = this.floods.reports(this.clock(), options);
    if (reports.length === 0) return;
    // Logged whether or not the write succeeds: then the line is all the report there is.
    for (const r of reports) this.logFlood(r);
    await this.store.ingestWrites.apply(reports.map((r) => this.floodLetter(r)), this.clock());
  }

  /** One message on its own: its outcome once it is stored (or refused). Never rejects. */
  async handle(message: InboundMessage): Promise<IngestOutcome> {
    return (await this.process([message]))[0];
  }

  /**
   * Like `handle`, but messages arriving in the same turn of the event loop (several cameras,
   * or one camera's window of in-flight batches) share one transaction: with synchronous=FULL
   * that is one disk sync for the group instead of one per batch. Each message still gets its
   * own outcome (a savepoint each); a failed commit makes every outcome of the group `failed`.
   */
  submit(message: InboundMessage): Promise<IngestOutcome> {
    return new Promise((resolve) => {
      this.pending.push({ message, resolve });
      if (this.pending.length === 1) setImmediate(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const group = this.pending;
    this.pending = [];
    const outcomes = await this.process(group.map((g) => g.message));
    group.forEach((g, i) => g.resolve(outcomes[i]));
  }

  /** Records a message that will not be taken; `failed` if even that cannot be written. */
  async deadLetter(message: InboundMessage, reason: string): Promise<IngestOutcome> {
    return (await this.write([message], [{ rejected: reason }]))[0];
  }

  private async process(messages: readonly InboundMessage[]): Promise<IngestOutcome[]> {
    const decisions: Decision[] = [];
    for (const message of messages) {
      try {
        decisions.push({ write: await this.accept(message) });
      } catch (error) {
        decisions.push(error instanceof Rejected ? { rejected: error.message } : { failed: asError(error) });
      }
    }
    return this.write(messages, decisions);
  }

  private async write(messages: readonly InboundMessage[], decisions: readonly Decision[]): Promise<IngestOutcome[]> {
    const now = this.clock();
    const verdicts = decisions.map((d, i): Verdict | null => ('rejected' in d ? this.floods.offer(senderOf(messages[i]), messages[i].topic, d.rejected, now) : null));
    // null: the store could not even be read for it (a lookup failed), so nothing is written;
    // 'dropped': a dead letter counted against its sender's flood, not kept.
    const writes = decisions.map((d, i): IngestWrite | 'dropped' | null =>
      'write' in d ? d.write : 'rejected' in d ? (verdicts[i]!.keep ? { kind: 'dead-letter', letter: this.letter(messages[i], d.rejected) } : 'dropped') : null,
    );
    const toWrite = writes.filter((w): w is IngestWrite => w !== null && w !== 'dropped');
    const reports = this.floods.reports(now);
    let outcomes: IngestOutcome[];
    try {
      const all = [...toWrite, ...reports.map((r) => this.floodLetter(r))];
      const results = all.length > 0 ? await this.store.ingestWrites.apply(all, now) : [];
      let next = 0;
      outcomes = [];
      for (const [i, w] of writes.entries()) {
        const d = decisions[i];
        if (w === 'dropped') outcomes.push({ kind: 'dead-letter', reason: (d as { rejected: string }).rejected, deadLetterId: null, quiet: true });
        else if (w === null) outcomes.push({ kind: 'failed', error: (d as { failed: Error }).failed });
        else outcomes.push(await this.outcomeOf(results[next++], w, messages[i], verdicts[i]?.quiet ?? false));
      }
    } catch (error) {
      outcomes = messages.map(() => ({ kind: 'failed', error: asError(error) }));
    }
    // Logged even when the write failed: then the line is all the report there is.
    for (const r of reports) this.logFlood(r);
    outcomes.forEach((outcome, i) => {
      try {
        this.options.onOutcome?.(outcome, messages[i]);
      } catch {
        // a logger's failure is not the message's
      }
    });
    return outcomes;
  }

  private floodLetter(r: FloodReport): IngestWrite {
    const when = `${new Date(r.fromMs).toISOString()} to ${new Date(r.toMs).toISOString()}`;
    const reason = `flood from ${r.sender}: ${r.kept + r.dropped} dead letters from ${when}; the first ${r.kept} were kept, ${r.dropped} more were counted and not kept. The last: ${r.lastReason.split('\n')[0]}`;
    return { kind: 'dead-letter', letter: { topic: r.topic, reason: this.cut(reason), payload: Buffer.alloc(0), sender: r.sender } };
  }

  private logFlood(r: FloodReport): void {
    this.options.log?.(`dead letters: ${r.sender} sent ${r.kept + r.dropped} bad messages in ${Math.round((r.toMs - r.fromMs) / 1000)} s; kept ${r.kept}, counted ${r.dropped} more (last: ${r.lastReason.split('\n')[0]})`);
  }

  private async outcomeOf(result: IngestWriteResult, write: IngestWrite, message: InboundMessage, quiet: boolean): Promise<IngestOutcome> {
    if (result.kind === 'failed') return { kind: 'failed', error: result.error };
    if (result.kind === 'dead-letter') return { kind: 'dead-letter', reason: (write as { letter: DeadLetterInput }).letter.reason, deadLetterId: result.id, quiet };
    if (result.kind === 'status') {
      const { status } = write as { status: { site: string; camera: string } };
      return { kind: 'status', site: status.site, camera: status.camera, kept: result.kept };
    }
    const { batch } = write as { batch: { batchId: string; site: string; camera: string } };
    if (result.outcome.kind === 'stored') return { kind: 'stored', batchId: batch.batchId };
    if (result.outcome.kind === 'superseded') return { kind: 'superseded', batchId: batch.batchId };
    if (result.outcome.kind === 'too-old') {
      // Its hour was already rolled up (retention): storing it now would count it twice.
      const reason = `batch ${batch.batchId} is older than the camera's retention horizon ${result.outcome.horizon}: that time is already rolled up, so it was not stored`;
      const kept = await this.keepLetter(message, reason);
      return { kind: 'dead-letter', reason, deadLetterId: kept.id, quiet: kept.quiet };
    }
    const { sameContent, lessComplete } = result.outcome;
    if (!sameContent && !lessComplete) {
      // Still acknowledged (resending will not change anything), but visible to an operator.
      // The key is the camera's own, so only this camera can have sent the stored copy.
      await this.keepLetter(
        message,
        `duplicate batchId "${batch.batchId}" from ${batch.site}/${batch.camera} with different counts: the first copy is kept. This camera already sent this id with other content (an agent reusing ids, or two agents set up as the same camera)`,
      );
    }
    return { kind: 'duplicate', batchId: batch.batchId, sameContent, ...(lessComplete ? { lessComplete } : {}) };
  }

  /** A dead letter found after the write (too old, a different duplicate), under the same cap. */
  private async keepLetter(message: InboundMessage, reason: string): Promise<{ id: number | null; quiet: boolean }> {
    const verdict = this.floods.offer(senderOf(message), message.topic, reason, this.clock());
    return { id: verdict.keep ? await this.store.deadLetters.add(this.letter(message, reason), this.clock()) : null, quiet: verdict.quiet };
  }

  private letter(message: InboundMessage, reason: string): DeadLetterInput {
    return { topic: message.topic, reason: this.cut(reason), payload: message.payload, sender: message.sender };
  }

  private cut(reason: string): string {
    return reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS)}…` : reason;
  }

  private async accept(message: InboundMessage): Promise<IngestWrite> {
    const { topic, payload } = message;
    if (payload.length > this.maxPayloadBytes) throw new Rejected(`payload too large: ${payload.length} bytes, the limit is ${this.maxPayloadBytes}`);
    const parsed = parseTopic(topic);
    if (!parsed) throw new Rejected(`not a Byliv topic: expected byliv/v1/{site}/{camera}/counts or …/status`);
    const json = parseJson(payload);
    return parsed.kind === 'counts' ? this.acceptBatch(parsed, json, message.sender) : this.acceptStatus(parsed, json, message.sender);
  }

  private async acceptBatch(topic: ParsedTopic, json: unknown, sender: string | null | undefined): Promise<IngestWrite> {
    const result = CountBatch.safeParse(json);
    if (!result.success) throw new Rejected(`not a valid CountBatch:\n${describeIssues(result.error)}`);
    const batch = result.data;
    await this.checkOwner(topic, batch, sender);
    if (batch.quality.gapSeconds > batch.binSeconds) {
      throw new Rejected(`quality.gapSeconds (${batch.quality.gapSeconds}) is longer than the bin (binSeconds ${batch.binSeconds})`);
    }
    return { kind: 'batch', batch };
  }

  private async acceptStatus(topic: ParsedTopic, json: unknown, sender: string | null | undefined): Promise<IngestWrite> {
    const result = CameraStatus.safeParse(json);
    if (!result.success) throw new Rejected(`not a valid CameraStatus:\n${describeIssues(result.error)}`);
    await this.checkOwner(topic, result.data, sender);
    return { kind: 'status', status: result.data };
  }

  /**
   * The payload must be for the camera its topic names, that camera must be registered, and
   * where the broker says who published (the embedded broker), it must be that camera's
   * account: the store keys batches by this camera, so no other account may speak for it.
   * (Mosquitto's ACL ties topics to accounts; its messages come without a sender.)
   */
  private async checkOwner(topic: ParsedTopic, payload: { site: string; camera: string }, sender: string | null | undefined): Promise<void> {
    if (payload.site !== topic.site || payload.camera !== topic.camera) {
      throw new Rejected(`payload is for ${payload.site}/${payload.camera} but was published on the topic of ${topic.site}/${topic.camera}`);
    }
    const camera = await this.store.cameras.get(topic.site, topic.camera);
    if (!camera) throw new Rejected(`unregistered camera ${topic.site}/${topic.camera}`);
    // camera remove: an external broker may still let it in until its password file is reloaded.
    if (camera.removedAt !== null) throw new Rejected(`camera ${topic.site}/${topic.camera} was removed (byliv-hub camera remove) at ${camera.removedAt}`);
    if (sender && camera.mqttUsername !== sender) {
      throw new Rejected(`published by the account ${JSON.stringify(sender)}, which is not the account of ${topic.site}/${topic.camera}`);
    }
  }
}

function parseJson(payload: Buffer): unknown {
  const text = new TextDecoder('utf-8', { fatal: true });
  let body: string;
  try {
    body = text.decode(payload);
  } catch {
    throw new Rejected('payload is not UTF-8 text');
  }
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new Rejected(`payload is not JSON: ${(error as Error).message}`);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
