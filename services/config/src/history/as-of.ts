import { type ConnectionRead, invalid, type RequestOf, type ResponseOf } from '@ferry/contracts';
import type { RecordedEvent } from '@ferry/event-store';
import { streamParts } from '@ferry/history';
import type { Document } from '@ferry/read-store';
import { mask } from '@ferry/secrets';
import { definitionById } from '../handlers/definitions.ts';
import type { ConfigDeps } from '../handlers/deps.ts';
import { workspaceById } from '../handlers/workspaces.ts';
import type { ActorDoc, ConnectionDoc } from '../projections/read-models.ts';
import { actorRead } from '../projections/views.ts';
import { configResourceModels } from './resources.ts';

const PAGE = 1_000;
/**
 * Events are appended in position order, but each carries the time of its decision, taken a little
 * before its append: an event decided before `at` may follow one decided after it. The scan goes on this
 * long past `at` (more than a write's deadline) before it concludes that nothing decided earlier follows.
 */
const DECISION_SKEW_MS = 10_000;
const CATEGORIES = new Set(['source', 'destination', 'connection']);

type Bound = { position: number } | { atMs: number };

/** Whether an event is within the bound, past it, or past it for good (the scan can stop). */
const placeOf = (event: RecordedEvent, bound: Bound): 'within' | 'after' | 'done' => {
  if ('position' in bound) return event.position <= bound.position ? 'within' : 'done';
  const decided = Date.parse(event.metadata.occurredAt);
  if (decided <= bound.atMs) return 'within';
  return decided > bound.atMs + DECISION_SKEW_MS ? 'done' : 'after';
};

/**
 * The workspace's sources, destinations and connections folded from the log up to the bound, through the
 * read models' own projections. Memory holds only this workspace's documents and one page of events.
 */
const foldWorkspace = async (deps: ConfigDeps, workspaceId: string, bound: Bound) => {
  const docs = new Map<string, Document>();
  let last: RecordedEvent | undefined;
  for (let from = 0; ; ) {
    const page = await deps.events.readAll({ fromPosition: from, limit: PAGE });
    for (const event of page) {
      const place = placeOf(event, bound);
      if (place === 'done') return { docs, last };
      if (place === 'after') continue;
      last = event;
      const [category] = streamParts(event.streamName);
      const model = CATEGORIES.has(category) ? configResourceModels.get(category) : undefined;
      if (!model) continue;
      // The projections are pure and copy what they change: no JSON round trip needed between events.
      const previous = docs.get(event.streamName) ?? null;
      const next = model.projection.handles.has(event.type)
        ? model.projection.evolve(previous, event)
        : previous;
      if (next && model.workspaceId(next) === workspaceId) docs.set(event.streamName, next);
    }
    if (page.length < PAGE) return { docs, last };
    from = page.at(-1)!.position;
  }
};

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** `workspaces/as_of`: before the workspace's first event, an empty workspace, not an error. */
export const workspaceAsOf =
  (deps: ConfigDeps) =>
  async (req: RequestOf<'getWorkspaceAsOf'>): Promise<{ body: ResponseOf<'getWorkspaceAsOf'> }> => {
    await workspaceById(deps, req.workspaceId);
    const hasAt = req.at !== undefined && req.at !== null;
    const hasPosition = req.position !== undefined && req.position !== null;
    if (hasAt === hasPosition)
      throw invalid([
        { propertyPath: 'at', message: 'give exactly one of at or position', invalidValue: null },
      ]);
    const bound: Bound = hasPosition ? { position: req.position! } : { atMs: Date.parse(req.at!) };
    const { docs, last } = await foldWorkspace(deps, req.workspaceId, bound);
    const actors = [...docs.values()].filter((d): d is ActorDoc => 'kind' in d && !d.deleted) as ActorDoc[];
    const actorsOf = async (kind: 'source' | 'destination') => {
      const ofKind = actors.filter((d) => d.kind === kind).sort(byName);
      // Each definition once: a workspace's thousand sources name the same few.
      const names = new Map<string, Promise<string>>();
      const nameOf = (id: string) => {
        const known = names.get(id) ?? definitionById(deps, kind, id).then((d) => d.name);
        names.set(id, known);
        return known;
      };
      return Promise.all(
        ofKind.map(async (d) => actorRead(d, await nameOf(d.definitionId), mask(d.configuration))),
      );
    };
    const connections = ([...docs.values()] as ConnectionDoc[])
      .filter((d) => 'view' in d && d.status !== 'deprecated')
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((d) => d.view as ConnectionRead);
    return {
      body: {
        workspaceId: req.workspaceId,
        at: hasAt ? req.at! : (last?.metadata.occurredAt ?? null),
        position: last?.position ?? 0,
        sources: (await actorsOf('source')) as ResponseOf<'getWorkspaceAsOf'>['sources'],
        destinations: (await actorsOf('destination')) as ResponseOf<'getWorkspaceAsOf'>['destinations'],
        connections,
      },
    };
  };
