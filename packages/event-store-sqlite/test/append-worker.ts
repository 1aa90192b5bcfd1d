// A second process writing the same file, driven by cross-process.int.spec.ts.
//   race <file> <stream>:  prints `ready`, waits for a line on stdin, appends at revision 0, prints the outcome.
//   flood <file> <stream>: appends one event at a time forever, printing each acknowledged event id.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { NewEvent } from '@ferry/event-store';
import { createSqliteEventStore } from '../src/index.ts';

const [mode, file, stream] = process.argv.slice(2);
if (!file || !stream) throw new Error('usage: append-worker.ts race|flood <file> <stream>');
const store = createSqliteEventStore({ file });

function event(): NewEvent {
  const metadata = { actor: 'worker', correlationId: randomUUID(), causationId: null, schemaVersion: 1 };
  return {
    id: randomUUID(),
    type: 'Tick',
    data: {},
    metadata: { ...metadata, occurredAt: new Date().toISOString() },
  };
}

if (mode === 'race') {
  process.stdout.write('ready\n');
  await once(process.stdin, 'data');
  const outcome = await store.append(stream, [event()], 0).then(
    () => 'won',
    (error: Error) => error.name,
  );
  process.stdout.write(`${outcome}\n`);
  await store.close();
  process.exit(0);
}

for (let revision = -1; ; revision += 1) {
  const next = event();
  await store.append(stream, [next], revision === -1 ? 'no_stream' : revision);
  process.stdout.write(`${next.id}\n`);
}
