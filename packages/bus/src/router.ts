import { subjectMatches } from './subject.ts';

/**
 * The in-process transport's subscription table, routing like nats-server: every plain subscription whose
 * pattern matches gets the message, and each queue group (same pattern, same queue name) gets it once, its
 * members taking turns.
 */
export interface Router<T> {
  add(pattern: string, queue: string | undefined, target: T): () => void;
  route(subject: string): T[];
  clear(): void;
}

interface Entry<T> {
  pattern: string;
  group: string | undefined;
  target: T;
}

export function createRouter<T>(): Router<T> {
  const entries = new Set<Entry<T>>();
  const turns = new Map<string, number>();
  return {
    add(pattern, queue, target) {
      const entry = { pattern, group: queue ? `${pattern} ${queue}` : undefined, target };
      entries.add(entry);
      return () => entries.delete(entry);
    },
    route(subject) {
      const plain: T[] = [];
      const groups = new Map<string, T[]>();
      for (const { pattern, group, target } of entries) {
        if (!subjectMatches(pattern, subject)) continue;
        if (group === undefined) plain.push(target);
        else groups.set(group, [...(groups.get(group) ?? []), target]);
      }
      return [...plain, ...[...groups].map(([group, members]) => takeTurn(turns, group, members))];
    },
    clear: () => entries.clear(),
  };
}

function takeTurn<T>(turns: Map<string, number>, group: string, members: T[]): T {
  const turn = turns.get(group) ?? 0;
  turns.set(group, turn + 1);
  return members[turn % members.length]!;
}
