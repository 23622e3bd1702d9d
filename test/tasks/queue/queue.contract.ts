/**
 * The behaviour every Queue must have (the local file queue, SQS against an emulator).
 * `visibilityMs` is the visibility timeout the factory configured, so redelivery can be observed.
 */
import type { Queue } from '../../../tasks/queue/port';

export function queueContract(name: string, makeQueue: () => Promise<{ queue: Queue; visibilityMs: number }>): void {
  describe(`${name} honours the Queue contract`, () => {
    it('delivers what was sent, oldest first, and forgets a deleted message', async () => {
      const { queue } = await makeQueue();
      await queue.send('{"n":1}');
      await queue.send('{"n":2}');
      const got = await queue.receive(10);
      expect(got.map((m) => m.body)).toEqual(['{"n":1}', '{"n":2}']);
      for (const m of got) await queue.delete(m.receipt);
      expect(await queue.receive(10)).toEqual([]);
    });

    it('hides a received message until its visibility timeout passes', async () => {
      const { queue, visibilityMs } = await makeQueue();
      await queue.send('again');
      expect(await queue.receive(1)).toHaveLength(1);
      expect(await queue.receive(1)).toHaveLength(0);
      await new Promise((r) => setTimeout(r, visibilityMs + 300));
      const redelivered = await queue.receive(1);
      expect(redelivered.map((m) => m.body)).toEqual(['again']);
    });

    it('makes a released message visible again at once', async () => {
      const { queue } = await makeQueue();
      await queue.send('kept');
      const [message] = await queue.receive(1);
      await queue.release(message!.receipt);
      expect((await queue.receive(1)).map((m) => m.body)).toEqual(['kept']);
    });

    it('peeks at messages without hiding them', async () => {
      const { queue } = await makeQueue();
      await queue.send('{"n":1}');
      await queue.send('{"n":2}');
      expect((await queue.peek(10)).map((m) => m.body).sort()).toEqual(['{"n":1}', '{"n":2}']);
      expect((await queue.receive(10)).map((m) => m.body).sort()).toEqual(['{"n":1}', '{"n":2}']);
    });
  });
}
