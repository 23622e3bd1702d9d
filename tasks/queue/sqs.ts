/**
 * A queue in AWS: one SQS queue (the failure queue, for the CLI's and the console's aws target). Receiving loops
 * over ReceiveMessage (at most 10 a call) until `max` messages are in hand or the queue has none visible left.
 */
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { PeekedMessage, Queue, QueueMessage } from './port';

const SQS_MAX_BATCH = 10;
const PEEK_ROUNDS = 10;

export class SqsQueue implements Queue {
  /**
   * @param waitTimeSeconds long-poll wait per ReceiveMessage: with 0, SQS samples a subset of its servers and
   *   may answer empty while messages exist; 1 s asks all of them for the price of one second on an empty queue.
   */
  constructor(
    private readonly client: SQSClient,
    readonly queueUrl: string,
    private readonly waitTimeSeconds = 1,
  ) {}

  async send(body: string): Promise<string> {
    const out = await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body }));
    if (out.MessageId === undefined) throw new Error(`SQS SendMessage to ${this.queueUrl} returned no MessageId`);
    return out.MessageId;
  }

  async receive(max: number): Promise<QueueMessage[]> {
    const received: QueueMessage[] = [];
    while (received.length < max) {
      const out = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: Math.min(SQS_MAX_BATCH, max - received.length),
          WaitTimeSeconds: this.waitTimeSeconds,
        }),
      );
      const batch = out.Messages ?? [];
      if (batch.length === 0) break;
      for (const m of batch) {
        if (m.MessageId === undefined || m.ReceiptHandle === undefined) continue;
        received.push({ id: m.MessageId, receipt: m.ReceiptHandle, body: m.Body ?? '' });
      }
    }
    return received;
  }

  async delete(receipt: string): Promise<void> {
    await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt }));
  }

  async release(receipt: string): Promise<void> {
    await this.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt, VisibilityTimeout: 0 }));
  }

  /**
   * SQS has no peek: receive with a visibility timeout of 0 (nothing is hidden) until a round brings no message not
   * seen yet. Sampling may miss a message on a large queue; a listing is a view, not a drain.
   */
  async peek(max: number): Promise<PeekedMessage[]> {
    const seen = new Map<string, PeekedMessage>();
    for (let round = 0; round < PEEK_ROUNDS && seen.size < max; round++) {
      const out = await this.client.send(new ReceiveMessageCommand({
        QueueUrl: this.queueUrl, MaxNumberOfMessages: SQS_MAX_BATCH, VisibilityTimeout: 0, WaitTimeSeconds: this.waitTimeSeconds,
        MessageSystemAttributeNames: ['SentTimestamp'],
      }));
      const fresh = (out.Messages ?? []).filter((m) => m.MessageId !== undefined && !seen.has(m.MessageId));
      if (fresh.length === 0) break;
      for (const m of fresh) {
        const sent = m.Attributes?.SentTimestamp;
        seen.set(m.MessageId!, { id: m.MessageId!, body: m.Body ?? '', ...(sent ? { sentAt: new Date(Number(sent)).toISOString() } : {}) });
      }
    }
    return [...seen.values()].sort((a, b) => (a.sentAt ?? '').localeCompare(b.sentAt ?? '')).slice(0, max);
  }
}
