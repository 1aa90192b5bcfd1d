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

/** Which entries a subject matches, grouped: plain ones, and each queue group's members in order. */
interface Matches<T> {
  plain: T[];
  groups: Array<[group: string, members: T[]]>;
}

/** Subjects are few (one per operation, event type and job), so their matches are kept until a subscription changes. */
const MAX_CACHED_SUBJECTS = 10_000;

export function createRouter<T>(): Router<T> {
  const entries = new Set<Entry<T>>();
  const turns = new Map<string, number>();
  // Matching every pattern against every request's subject was a tenth of a web_backend list's CPU time.
  const cache = new Map<string, Matches<T>>();
  const matchesOf = (subject: string): Matches<T> => {
    const cached = cache.get(subject);
    if (cached) return cached;
    const plain: T[] = [];
    const groups = new Map<string, T[]>();
    for (const { pattern, group, target } of entries) {
      if (!subjectMatches(pattern, subject)) continue;
      if (group === undefined) plain.push(target);
      else groups.set(group, [...(groups.get(group) ?? []), target]);
    }
    const matches = { plain, groups: [...groups] };
    if (cache.size >= MAX_CACHED_SUBJECTS) cache.clear();
    cache.set(subject, matches);
    return matches;
  };
  return {
    add(pattern, queue, target) {
      const entry = { pattern, group: queue ? `${pattern} ${queue}` : undefined, target };
      entries.add(entry);
      cache.clear();
      return () => {
        entries.delete(entry);
        cache.clear();
      };
    },
    route(subject) {
      const { plain, groups } = matchesOf(subject);
      return [...plain, ...groups.map(([group, members]) => takeTurn(turns, group, members))];
    },
    clear: () => {
      entries.clear();
      cache.clear();
    },
  };
}

function takeTurn<T>(turns: Map<string, number>, group: string, members: T[]): T {
  const turn = turns.get(group) ?? 0;
  turns.set(group, turn + 1);
  return members[turn % members.length]!;
}
