import { useEffect, useState } from 'preact/hooks';
import { useConsole } from '../context.ts';
import { VersionDiff } from '../history/version-diff.tsx';
import { describePatch } from '../history/patch.ts';
import { useResource } from '../live/use-resource.ts';
import { ActionButton } from '../ui/action-button.tsx';
import { isMissingEndpoint, Loading, NotAvailable, Problem } from '../ui/feedback.tsx';
import { actorText, timeText } from '../ui/format.ts';
import { Page } from '../ui/page.tsx';
import { Status } from '../ui/status.tsx';

const PAGE_OF = { source: '/sources/', destination: '/destinations/', connection: '/connections/' } as Record<
  string,
  string
>;

/** Every version of a resource, what changed between any two, and restoring one (a new version, ADR 0010). */
export const HistoryPage = ({ id }: { id: string }) => {
  const { call } = useConsole();
  const history = useResource(`history:${id}`, async () => {
    const list = await call('listResourceHistory', { resourceId: id });
    const last = list.versions.at(-1);
    const current = last ? await call('getResourceVersion', { resourceId: id, version: last.version }) : null;
    return {
      ...list,
      name: (current?.resource as { name?: string } | undefined)?.name ?? id,
      deleted: current?.deleted ?? false,
    };
  });
  const count = history.data?.versions.length ?? 0;
  const [pair, setPair] = useState<{ from: number; to: number } | null>(null);
  useEffect(() => setPair(count > 1 ? { from: count - 1, to: count } : null), [id, count]);

  if (history.loading) return <Loading what="the history" />;
  if (isMissingEndpoint(history.error))
    return (
      <Page title="History">
        <NotAvailable what="History" />
      </Page>
    );
  if (!history.data)
    return (
      <Page title="History">
        <Problem error={history.error} label="The history could not be loaded" />
      </Page>
    );
  const { resourceType, versions, name, deleted } = history.data;
  const link = PAGE_OF[resourceType];
  return (
    <Page title={`History of ${name}`}>
      <p>
        {resourceType.replace('_', ' ')}{' '}
        {deleted ? '(deleted)' : link ? <a href={`${link}${id}`}>open it</a> : null} · {count} versions ·{' '}
        <a href={`/audit?resourceId=${id}`}>its audit trail</a>
      </p>
      <table>
        <caption>Versions</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Change</th>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What changed</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {[...versions].reverse().map((v) => (
            <tr key={v.version}>
              <th scope="row">{v.version}</th>
              <td>
                <Status value={v.type} />
              </td>
              <td>{timeText(v.at)}</td>
              <td>{actorText(v.actor)}</td>
              <td>{describePatch(v.changes)}</td>
              <td>
                {v.version > 1 && (
                  <button
                    type="button"
                    class="link"
                    onClick={() => setPair({ from: v.version - 1, to: v.version })}
                  >
                    Compare version {v.version} with {v.version - 1}
                  </button>
                )}{' '}
                {(v.version < count || deleted) && (
                  <ActionButton
                    label={`Restore version ${v.version}`}
                    busyLabel="Restoring…"
                    confirm={{
                      question: `Make version ${v.version} of ${name} current again? This adds version ${count + 1}; no version is rewritten.`,
                      confirmLabel: `Restore version ${v.version}`,
                    }}
                    action={() => call('restoreResourceVersion', { resourceId: id, version: v.version })}
                    onDone={history.reload}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {pair && <VersionDiff resourceId={id} count={count} pair={pair} onPair={setPair} />}
    </Page>
  );
};
