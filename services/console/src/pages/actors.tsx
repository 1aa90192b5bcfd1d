import { type ActorKind, actorApi, TITLES } from '../actors/kinds.ts';
import { useConsole } from '../context.ts';
import { useResource } from '../live/use-resource.ts';
import { Loading, Problem } from '../ui/feedback.tsx';
import { Page } from '../ui/page.tsx';

/** The sources or the destinations of the workspace, each with its connector and a way to its history. */
export const ActorsPage = ({ kind }: { kind: ActorKind }) => {
  const { call, workspaceId } = useConsole();
  const titles = TITLES[kind];
  const actors = useResource(`${kind}s:${workspaceId}`, () => actorApi(call, kind, workspaceId).list());
  return (
    <Page
      title={titles.many}
      actions={
        <a class="button primary" href={`${titles.path}/new`}>
          New {titles.one}
        </a>
      }
    >
      <Problem error={actors.error} label={`The ${titles.many.toLowerCase()} could not be loaded`} />
      {actors.loading && <Loading what={titles.many.toLowerCase()} />}
      {actors.data?.length === 0 && <p>No {titles.many.toLowerCase()} yet.</p>}
      {actors.data && actors.data.length > 0 && (
        <table>
          <caption class="visually-hidden">{titles.many}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Connector</th>
              <th scope="col">
                <span class="visually-hidden">History</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {actors.data.map((actor) => (
              <tr key={actor.id}>
                <th scope="row">
                  <a href={`${titles.path}/${actor.id}`}>{actor.name}</a>
                </th>
                <td>{actor.connector}</td>
                <td>
                  <a href={`/history/${actor.id}`} aria-label={`History of ${actor.name}`}>
                    History
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
};
