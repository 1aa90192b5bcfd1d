import { DomainError } from '@ferry/contracts';
import { describe, expect, it } from 'vitest';
import { JsonText, JsonTextStream, jsonValueOf, wholeText } from '../wire.ts';
import { type Buses, gate, sleep, subjects } from './support.ts';

const rejection = async (work: Promise<unknown>): Promise<DomainError> => {
  const error = await work.then(
    () => expect.fail('expected a rejection'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
};

export function requestContract(current: () => Buses): void {
  describe('request/reply', () => {
    it('answers with the handler value, payload and headers as JSON', async () => {
      const { bus, other } = current();
      const subject = subjects()('echo');
      await bus.handle(subject, (payload, context) => ({ payload, context }));
      const headers = { 'ferry-request-id': 'req-1', 'ferry-actor': 'alice' };
      const at = new Date('2024-01-02T03:04:05.000Z');
      const reply = await other.request(subject, { at, skipped: undefined, n: 1 }, { headers });
      expect(reply).toEqual({
        payload: { at: '2024-01-02T03:04:05.000Z', n: 1 },
        context: { subject, headers },
      });
    });

    it('answers a JsonText with the text it holds, byte for byte once serialised', async () => {
      const { bus, other } = current();
      const subject = subjects()('text');
      const text = '[{"id":"a","n":1.5,"s":"é\\"x"},null]';
      await bus.handle(subject, () => new JsonText(text));
      const reply = await other.request(subject, {});
      expect(reply instanceof JsonText ? reply.text : JSON.stringify(reply)).toBe(text);
      expect(jsonValueOf(reply)).toEqual(JSON.parse(text));
    });

    it('answers a JsonTextStream with its chunks in-process and their text over the wire', async () => {
      const { bus, other } = current();
      const subject = subjects()('stream');
      let read = 0;
      const chunks = async function* () {
        for (const chunk of ['{"items":[', '{"id":"a"}', ',', '{"id":"é"}', ']}']) {
          read++;
          yield chunk;
        }
      };
      await bus.handle(subject, () => new JsonTextStream(chunks));
      const reply = await other.request(subject, {});
      const text = reply instanceof JsonTextStream ? await wholeText(reply) : JSON.stringify(reply);
      expect(JSON.parse(text)).toEqual({ items: [{ id: 'a' }, { id: 'é' }] });
      expect(read).toBe(5);
      // In-process its text is not there until read: reading it as a value is a defect, said plainly.
      if (reply instanceof JsonTextStream) expect(() => jsonValueOf(reply)).toThrow(/wholeText/);
    });

    it("rejects with the handler's DomainError, every field intact", async () => {
      const { bus, other } = current();
      const subject = subjects()('fails');
      const validationErrors = [{ propertyPath: 'name', message: 'Required', invalidValue: null }];
      const shape = { code: 'source.not_found', category: 'not_found', message: 'no such source' } as const;
      await bus.handle(subject, () => {
        throw new DomainError({ ...shape, id: 'src-1', validationErrors });
      });
      const error = await rejection(other.request(subject, {}));
      expect(error.toJSON()).toEqual({ ...shape, id: 'src-1', validationErrors });
    });

    it('turns any other failure into an internal error that tells nothing of it', async () => {
      const { bus, other } = current();
      const subject = subjects()('defect');
      await bus.handle(subject, () => {
        throw new Error('secret table missing');
      });
      const error = await rejection(other.request(subject, {}));
      expect({ code: error.code, category: error.category }).toEqual({
        code: 'internal',
        category: 'internal',
      });
      expect(error.message).not.toContain('secret');
    });

    it('rejects as unavailable, well before the timeout, when nobody handles the subject', async () => {
      const started = Date.now();
      const error = await rejection(current().other.request(subjects()('nobody'), {}, { timeoutMs: 5_000 }));
      expect({ code: error.code, category: error.category }).toEqual({
        code: 'bus.no_responders',
        category: 'unavailable',
      });
      expect(Date.now() - started).toBeLessThan(2_500);
    });

    it('rejects as timeout when the handler is late', async () => {
      const { bus, other } = current();
      const subject = subjects()('slow');
      await bus.handle(subject, () => sleep(400));
      const error = await rejection(other.request(subject, {}, { timeoutMs: 50 }));
      expect({ code: error.code, category: error.category }).toEqual({
        code: 'bus.timeout',
        category: 'timeout',
      });
    });

    it('shares requests among a queue group, each answered exactly once', async () => {
      const { bus, other } = current();
      const subject = subjects()('shared');
      const seen: string[] = [];
      const member = (name: string) => (payload: unknown) => {
        seen.push(name);
        return payload;
      };
      await bus.handle(subject, member('a'), { queue: 'workers' });
      await other.handle(subject, member('b'), { queue: 'workers' });
      const requests = Array.from({ length: 20 }, (_, i) => other.request(subject, i));
      expect(await Promise.all(requests)).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(seen).toHaveLength(20);
      expect(new Set(seen)).toEqual(new Set(['a', 'b']));
    });

    it('lets an in-flight handler finish and reply when the bus closes', async () => {
      const { bus, other } = current();
      const subject = subjects()('closing');
      const started = gate();
      let finished = false;
      await bus.handle(subject, async () => {
        started.open();
        await sleep(200);
        finished = true;
        return 'done';
      });
      const reply = other.request(subject, {});
      await started.opened;
      await bus.close();
      expect(finished).toBe(true);
      expect(await reply).toBe('done');
    });
  });
}
