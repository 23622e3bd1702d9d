/**
 * The queue port: the failure queue the status-change rule feeds. SQS in AWS (sqs.ts), files on a laptop (local.ts);
 * both pass the same contract suite (test/tasks/queue/queue.contract.ts).
 */
export interface QueueMessage { id: string; receipt: string; body: string }

/** A message looked at without being received: nothing is hidden or leased. */
export interface PeekedMessage { id: string; sentAt?: string; body: string }

export interface Queue {
  send(body: string): Promise<string>;
  /** Receives up to `max` visible messages, hiding each for the visibility timeout. */
  receive(max: number): Promise<QueueMessage[]>;
  delete(receipt: string): Promise<void>;
  /** Makes a received message visible again at once (it was kept, not handled). */
  release(receipt: string): Promise<void>;
  /** Up to `max` messages, oldest first where the queue can tell, without hiding them: what a listing shows. */
  peek(max: number): Promise<PeekedMessage[]>;
}
