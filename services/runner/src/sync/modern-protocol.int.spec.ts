import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configured, IMAGES, jsonRows, sync, syncSandbox } from '../../test/sync-support.ts';

/**
 * Today's protocol, the 2020 one kept (issue 12, part C): a source with per-stream STATE, TRACE estimates,
 * stream statuses and errors, into Local JSON (which echoes each state once what precedes it is written).
 */
let box: Awaited<ReturnType<typeof syncSandbox>>;
beforeAll(async () => {
  box = await syncSandbox();
});
afterAll(() => box.remove());

const streams = ['a', 'b'].map((name) => configured(name, 'incremental', 'append', 'id'));
const modern = (config: Record<string, unknown>) => ({ image: IMAGES.modern, config });
const cursors = (state: Record<string, unknown> | null) =>
  Object.fromEntries(
    (
      (state?._ferry_state_messages ?? []) as {
        stream: { stream_descriptor: { name: string }; stream_state: { cursor: number } };
      }[]
    ).map((m) => [m.stream.stream_descriptor.name, m.stream.stream_state.cursor]),
  );

describe('today protocol: per-stream state', () => {
  it('syncs, keeps each stream its own state, and resumes each stream after it', async () => {
    const first = await sync(box.runtime, box.request(modern({ count: 30 }), IMAGES.json, streams));
    expect(first.result).toMatchObject({ succeeded: true, recordsSynced: 60 });
    expect(cursors(first.result.state)).toEqual({ a: 30, b: 30 });
    expect(first.log).toMatch(/source > stream a: STARTED/);
    expect(first.log).toMatch(/source > estimate for stream b: 30 records/);
    // The heartbeats carry the source's estimates: stream a's alone first, then both.
    expect(first.progress.map((p) => p.estimatedRecords)).toContain(30);
    expect(first.progress.at(-1)).toMatchObject({ recordsSynced: 60, estimatedRecords: 60 });

    const next = await sync(
      box.runtime,
      box.request(modern({ count: 35 }), IMAGES.json, streams, first.result.state),
    );
    expect(next.result).toMatchObject({ succeeded: true, recordsSynced: 10 });
    expect(cursors(next.result.state)).toEqual({ a: 35, b: 35 });
    // The source got today's list of state messages, one per stream.
    const rows = await jsonRows(box.rawFile('a', 'jsonl'));
    expect(rows.at(-1)?.given).toEqual(
      (first.result.state as { _ferry_state_messages: unknown })._ferry_state_messages,
    );
  });

  it("a failed stream leaves the others' committed state, and fails with the source's TRACE error", async () => {
    const failed = await sync(
      box.runtime,
      box.request(modern({ count: 30, failStream: 'b', failAfter: 15 }), IMAGES.json, streams),
    );
    expect(failed.result).toMatchObject({
      succeeded: false,
      failureReason: 'source exited with code 1: stream b broke at 15',
    });
    // Stream a was read to its end and committed; b got as far as its last echoed checkpoint.
    expect(cursors(failed.result.state)).toEqual({ a: 30, b: 10 });

    const retried = await sync(
      box.runtime,
      box.request(modern({ count: 30 }), IMAGES.json, streams, failed.result.state),
    );
    expect(retried.result).toMatchObject({ succeeded: true, recordsSynced: 20 });
    expect(cursors(retried.result.state)).toEqual({ a: 30, b: 30 });
  });
});

describe("a connection's namespace rule", () => {
  it('names the streams for the destination, and their states back for the source', async () => {
    const namespacing = {
      definition: 'customformat' as const,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Airbyte's placeholder, written as it is
      format: 'copy_${SOURCE_NAMESPACE}',
      prefix: 'p_',
    };
    const request = { ...box.request(modern({ count: 20 }), IMAGES.json, streams), namespacing };
    const first = await sync(box.runtime, request);
    expect(first.result).toMatchObject({ succeeded: true, recordsSynced: 40 });
    expect(await jsonRows(box.rawFile('p_a', 'jsonl'))).toHaveLength(20);
    // The states kept name the source's streams: the next read resumes each after its cursor.
    expect(cursors(first.result.state)).toEqual({ a: 20, b: 20 });
    const next = await sync(box.runtime, {
      ...box.request(modern({ count: 25 }), IMAGES.json, streams, first.result.state),
      namespacing,
    });
    expect(next.result).toMatchObject({ succeeded: true, recordsSynced: 10 });
    expect(await jsonRows(box.rawFile('p_b', 'jsonl'))).toHaveLength(25);
  });
});
