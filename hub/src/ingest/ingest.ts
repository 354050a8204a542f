/**
 * Turns one MQTT message into stored data or a dead letter. Every message gets exactly one
 * outcome and nothing is thrown: a bad message must never stop the hub. The one outcome the
 * broker must NOT acknowledge is `failed` (the store itself failed): the edge then keeps the
 * batch and sends it again later, which the batchId makes harmless.
 */
import { CameraStatus, CountBatch, describeIssues, parseTopic, type ParsedTopic } from '@byliv/protocol';
import type { HubStore } from '../store/index.ts';

export const DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;

export interface InboundMessage {
  topic: string;
  payload: Buffer;
  /** Who sent it, where the broker knows (the embedded broker's authenticated username). */
  sender?: string | null;
}

export type IngestOutcome =
  | { kind: 'stored'; batchId: string }
  /** Already stored: acknowledged and ignored. `sameContent` false also wrote a dead letter. */
  | { kind: 'duplicate'; batchId: string; sameContent: boolean }
  /** A camera status; `kept` false when the same status was already in the history. */
  | { kind: 'status'; site: string; camera: string; kept: boolean }
  | { kind: 'dead-letter'; reason: string; deadLetterId: number }
  /** The store failed (disk full, file gone): do not acknowledge, so the sender retries. */
  | { kind: 'failed'; error: Error };

export interface IngestOptions {
  store: HubStore;
  clock?: () => Date;
  maxPayloadBytes?: number;
  /** Called with every outcome (logging, counters); its errors are swallowed. */
  onOutcome?: (outcome: IngestOutcome, message: InboundMessage) => void;
}

class Rejected extends Error {}

const MAX_REASON_CHARS = 2000;

export class Ingest {
  private readonly store: HubStore;
  private readonly clock: () => Date;
  readonly maxPayloadBytes: number;
  private pending: { message: InboundMessage; resolve: (outcome: IngestOutcome) => void }[] = [];

  constructor(private readonly options: IngestOptions) {
    this.store = options.store;
    this.clock = options.clock ?? (() => new Date());
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  }

  handle(message: InboundMessage): IngestOutcome {
    let outcome: IngestOutcome;
    try {
      outcome = this.accept(message);
    } catch (error) {
      outcome = error instanceof Rejected ? this.deadLetter(message, error.message) : { kind: 'failed', error: asError(error) };
    }
    try {
      this.options.onOutcome?.(outcome, message);
    } catch {
      // a logger's failure is not the message's
    }
    return outcome;
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
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const group = this.pending;
    this.pending = [];
    let outcomes: IngestOutcome[];
    try {
      outcomes = this.store.db.transaction(() => group.map((g) => this.handle(g.message)))();
    } catch (error) {
      outcomes = group.map(() => ({ kind: 'failed', error: asError(error) }));
    }
    group.forEach((g, i) => g.resolve(outcomes[i]));
  }

  /** Records a message that will not be taken; `failed` if even that cannot be written. */
  deadLetter(message: InboundMessage, reason: string): IngestOutcome {
    const cut = reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS)}…` : reason;
    try {
      const deadLetterId = this.store.deadLetters.add({ topic: message.topic, reason: cut, payload: message.payload, sender: message.sender }, this.clock());
      return { kind: 'dead-letter', reason: cut, deadLetterId };
    } catch (error) {
      return { kind: 'failed', error: asError(error) };
    }
  }

  private accept(message: InboundMessage): IngestOutcome {
    const { topic, payload } = message;
    if (payload.length > this.maxPayloadBytes) throw new Rejected(`payload too large: ${payload.length} bytes, the limit is ${this.maxPayloadBytes}`);
    const parsed = parseTopic(topic);
    if (!parsed) throw new Rejected(`not a Byliv topic: expected byliv/v1/{site}/{camera}/counts or …/status`);
    const json = parseJson(payload);
    return parsed.kind === 'counts' ? this.acceptBatch(parsed, json, message) : this.acceptStatus(parsed, json);
  }

  private acceptBatch(topic: ParsedTopic, json: unknown, message: InboundMessage): IngestOutcome {
    const result = CountBatch.safeParse(json);
    if (!result.success) throw new Rejected(`not a valid CountBatch:\n${describeIssues(result.error)}`);
    const batch = result.data;
    this.checkOwner(topic, batch);
    if (batch.quality.gapSeconds > batch.binSeconds) {
      throw new Rejected(`quality.gapSeconds (${batch.quality.gapSeconds}) is longer than the bin (binSeconds ${batch.binSeconds})`);
    }
    const outcome = this.store.bins.insert(batch, this.clock());
    if (outcome.kind === 'stored') return { kind: 'stored', batchId: batch.batchId };
    if (!outcome.sameContent) {
      // Still acknowledged (resending will not change anything), but visible to an operator.
      this.deadLetter(message, `duplicate batchId "${batch.batchId}" with different counts: the first copy is kept`);
    }
    return { kind: 'duplicate', batchId: batch.batchId, sameContent: outcome.sameContent };
  }

  private acceptStatus(topic: ParsedTopic, json: unknown): IngestOutcome {
    const result = CameraStatus.safeParse(json);
    if (!result.success) throw new Rejected(`not a valid CameraStatus:\n${describeIssues(result.error)}`);
    this.checkOwner(topic, result.data);
    const kept = this.store.statuses.add(result.data, this.clock());
    return { kind: 'status', site: topic.site, camera: topic.camera, kept };
  }

  /** The payload must be for the camera its topic names, and that camera must be registered. */
  private checkOwner(topic: ParsedTopic, payload: { site: string; camera: string }): void {
    if (payload.site !== topic.site || payload.camera !== topic.camera) {
      throw new Rejected(`payload is for ${payload.site}/${payload.camera} but was published on the topic of ${topic.site}/${topic.camera}`);
    }
    if (!this.store.cameras.get(topic.site, topic.camera)) throw new Rejected(`unregistered camera ${topic.site}/${topic.camera}`);
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
