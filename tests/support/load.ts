import { DEFAULT_WORKSPACE_ID } from './ferry.ts';
import { post } from './processes.ts';

/** One request the load made: what, its answer's status and how long the caller waited. */
export interface Call {
  path: string;
  status: number;
  ms: number;
  at: number;
  /** For a create: the name it asked for and the id it got. */
  name?: string;
  id?: string;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A steady load of creates and reads through the gateway from `workers` loops, as a busy team's scripts
 * would make it. Each create carries an Idempotency-Key and is sent again once with the same key when the
 * answer is 503/504 (ADR 0006: applied once), so "acknowledged" means what a careful client would see.
 * A request the client gave up on (no answer in 30 s) counts as status 0.
 */
export function startLoad(url: string, workers = 3) {
  const calls: Call[] = [];
  let running = true;
  let sourceDefinitionId: string | undefined;
  const send = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const at = Date.now();
    const answer = await post(url, path, body, 30_000, headers).catch(() => ({
      status: 0,
      body: null,
      ms: Date.now() - at,
    }));
    const call: Call = { path, status: answer.status, ms: answer.ms, at };
    calls.push(call);
    return { call, body: answer.body };
  };
  const create = async (name: string) => {
    const body = {
      workspaceId: DEFAULT_WORKSPACE_ID,
      sourceDefinitionId,
      name,
      connectionConfiguration: { count: 1 },
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      const { call, body: answer } = await send('sources/create', body, {
        'idempotency-key': `load-${name}`,
      });
      if (call.status === 200) Object.assign(call, { name, id: answer.sourceId });
      if (call.status !== 503 && call.status !== 504) return answer?.sourceId as string | undefined;
    }
    return undefined;
  };
  const loop = async (worker: number) => {
    const created: string[] = [];
    for (let n = 0; running; n++) {
      const id = await create(`load-${worker}-${n}`);
      if (id) created.push(id);
      const some = created[Math.floor(Math.random() * created.length)];
      if (some) await send('sources/get', { sourceId: some });
      await pause(50);
    }
  };
  const started = (async () => {
    const list = await post(url, 'source_definitions/list');
    sourceDefinitionId = list.body.sourceDefinitions.find(
      (d: { name: string }) => d.name === 'Faker',
    ).sourceDefinitionId;
    await Promise.all(Array.from({ length: workers }, (_, worker) => loop(worker)));
  })();
  return {
    /** The longest wait of a request sent since `since` (ms since the epoch). */
    worstSince: (since: number) =>
      Math.round(Math.max(0, ...calls.filter((c) => c.at >= since).map((c) => c.ms))),
    async stop(): Promise<Call[]> {
      running = false;
      await started;
      return calls;
    },
  };
}
