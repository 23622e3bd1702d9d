/**
 * The dead-letter queue in AWS: one SQS queue. Receiving loops over ReceiveMessage (at most 10 a call) until
 * `max` messages are in hand or the queue has none visible left.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Queue, QueueMessage } from '../ports';

const SQS_MAX_BATCH = 10;

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
}
