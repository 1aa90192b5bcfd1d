import { useConsole } from '../context.ts';
import { useResource } from '../live/use-resource.ts';
import { Loading, Problem } from '../ui/feedback.tsx';

export interface VersionDiffProps {
  resourceId: string;
  count: number;
  pair: { from: number; to: number };
  onPair(pair: { from: number; to: number }): void;
}

/** What changed between two versions: the server's one line per field, and the JSON Patch for the exact. */
export const VersionDiff = ({ resourceId, count, pair, onPair }: VersionDiffProps) => {
  const { call } = useConsole();
  const diff = useResource(
    `diff:${resourceId}:${pair.from}:${pair.to}`,
    () => call('diffResourceVersions', { resourceId, ...pair }),
    {
      live: false,
    },
  );
  const versions = Array.from({ length: count }, (_, i) => i + 1);
  const select = (which: 'from' | 'to', label: string) => (
    <div class="field">
      <label for={`diff-${which}`}>{label}</label>
      <select
        id={`diff-${which}`}
        value={pair[which]}
        onChange={(e) => onPair({ ...pair, [which]: Number(e.currentTarget.value) })}
      >
        {versions.map((v) => (
          <option key={v} value={v}>
            version {v}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <section aria-labelledby="diff-title" class="diff">
      <h2 id="diff-title">
        Changes from version {pair.from} to {pair.to}
      </h2>
      <div class="inline">
        {select('from', 'From')}
        {select('to', 'To')}
      </div>
      {diff.loading && <Loading what="the changes" />}
      <Problem error={diff.error} label="The changes could not be loaded" />
      {diff.data && (
        <>
          {diff.data.summary.length === 0 ? (
            <p>No differences.</p>
          ) : (
            <ul class="summary">
              {diff.data.summary.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
          <details>
            <summary>The exact change as a JSON Patch</summary>
            <pre>{JSON.stringify(diff.data.patch, null, 2)}</pre>
          </details>
        </>
      )}
    </section>
  );
};
