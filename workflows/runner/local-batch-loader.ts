/**
 * The load queue's consumer on a laptop, as Lambda's SQS event source runs the batch loader in AWS: once a message is
 * waiting it gathers messages for the batching window (0: takes what is there at once) or until the batch size is
 * reached, hands the batch to the loader (tasks/load/batch.ts: one warehouse session, each file answered on its own
 * token), deletes what was answered (or whose token is gone), and leaves an unanswered message leased, so it comes
 * back once its visibility timeout passes, as SQS delivers it again. One batch at a time: the next one gathers while
 * this one loads.
 */
import type { Queue } from '../../tasks/queue/port';
import type { BatchResult, LoadMessage } from '../../tasks/load/batch';

export interface LocalBatchLoaderOptions {
  queue: Queue;
  /** How long the first waiting message waits for others (the event source's MaximumBatchingWindowInSeconds). */
  windowMs: number;
  /** The most messages in one batch (the event source's BatchSize). */
  batchSize: number;
  /** The batch loader over these messages. */
  loadBatch(messages: readonly LoadMessage[]): Promise<BatchResult>;
  /** When an unanswered message is looked for again (the queue's visibility timeout). */
  retryAfterMs: number;
  /** Told of each batch's result (the command line's summary, tests). */
  onBatch?(result: BatchResult): void;
  /** Told of what went wrong outside any file (the queue itself failing). */
  onError?(error: unknown): void;
}

export interface LoaderStats { batches: number; sessions: number; messages: number }

export class LocalBatchLoader {
  readonly stats: LoaderStats = { batches: 0, sessions: 0, messages: 0 };
  private waiting = 0;
  private gathering: { timer: NodeJS.Timeout; fire(): void } | undefined;
  private running: Promise<void> | undefined;
  private paused = false;

  constructor(private options: LocalBatchLoaderOptions) {}

  /** A message was sent to the queue. */
  notify(): void {
    this.waiting++;
    this.schedule();
  }

  /** The batching window from now on (`cafe-etl run --load-window`). */
  configure(settings: { windowMs?: number; batchSize?: number }): void {
    this.options = { ...this.options, ...settings };
  }

  /** Stops taking batches (a loader that is down); `resume` takes them again. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.schedule();
  }

  /** Resolves once no batch is running or gathering. */
  async idle(): Promise<void> {
    while (this.running || this.gathering) await (this.running ?? new Promise((resolve) => setTimeout(resolve, 10)));
  }

  private schedule(): void {
    if (this.paused || this.running || this.waiting === 0) return;
    if (this.gathering) {
      if (this.waiting >= this.options.batchSize) this.gathering.fire();
      return;
    }
    const fire = (): void => {
      if (this.gathering?.timer) clearTimeout(this.gathering.timer);
      this.gathering = undefined;
      this.running = this.take().finally(() => {
        this.running = undefined;
        this.schedule();
      });
    };
    if (this.options.windowMs <= 0 || this.waiting >= this.options.batchSize) {
      fire();
      return;
    }
    const timer = setTimeout(fire, this.options.windowMs);
    timer.unref();
    this.gathering = { timer, fire };
  }

  private async take(): Promise<void> {
    try {
      const received = await this.options.queue.receive(this.options.batchSize);
      this.waiting = Math.max(0, this.waiting - received.length);
      if (received.length === 0) {
        this.waiting = 0;
        return;
      }
      const result = await this.options.loadBatch(received.map((m) => ({ id: m.id, body: m.body })));
      this.stats.batches++;
      this.stats.sessions += result.sessions;
      this.stats.messages += received.length;
      this.options.onBatch?.(result);
      const unanswered = new Set(result.outcomes.filter((o) => o.status === 'unanswered').map((o) => o.id));
      for (const message of received) {
        if (!unanswered.has(message.id)) await this.options.queue.delete(message.receipt);
      }
      if (unanswered.size > 0) {
        setTimeout(() => {
          this.waiting += unanswered.size;
          this.schedule();
        }, this.options.retryAfterMs).unref();
      }
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
