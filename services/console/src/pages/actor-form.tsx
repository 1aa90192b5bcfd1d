import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ActorForm } from '../actors/actor-form.tsx';
import { type ActorKind, actorApi, TITLES } from '../actors/kinds.ts';
import { useConsole } from '../context.ts';
import { useResource } from '../live/use-resource.ts';
import { ActionButton } from '../ui/action-button.tsx';
import { Loading, Problem } from '../ui/feedback.tsx';
import { Page } from '../ui/page.tsx';

/** A new source or destination: choose its connector, then fill in the form its spec makes. */
export const ActorNewPage = ({ kind }: { kind: ActorKind }) => {
  const { call, workspaceId } = useConsole();
  const { route } = useLocation();
  const api = actorApi(call, kind, workspaceId);
  const titles = TITLES[kind];
  const definitions = useResource(`definitions:${kind}`, api.definitions, { live: false });
  const [definitionId, setDefinitionId] = useState('');
  const spec = useResource(
    `spec:${definitionId}`,
    () => (definitionId ? api.spec(definitionId) : Promise.resolve(null)),
    { live: false },
  );
  return (
    <Page title={`New ${titles.one}`}>
      <Problem error={definitions.error} label="The connectors could not be loaded" />
      <div class="field">
        <label for="connector">Connector</label>
        <select id="connector" value={definitionId} onChange={(e) => setDefinitionId(e.currentTarget.value)}>
          <option value="">Choose a connector</option>
          {(definitions.data ?? []).map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </div>
      {definitionId && spec.loading && <Loading what="the connector’s specification" />}
      <Problem error={spec.error} label="The connector’s specification could not be loaded" />
      {spec.data && (
        <ActorForm
          key={definitionId}
          noun={titles.one}
          definitionId={definitionId}
          schema={spec.data}
          submitLabel={`Create ${titles.one}`}
          onSubmit={async (input) => route(`${titles.path}/${await api.create(input)}`)}
        />
      )}
    </Page>
  );
};

/** A source or destination: its settings (secrets never shown), a connection check, history and delete. */
export const ActorEditPage = ({ kind, id }: { kind: ActorKind; id: string }) => {
  const { call, workspaceId } = useConsole();
  const { route } = useLocation();
  const api = actorApi(call, kind, workspaceId);
  const titles = TITLES[kind];
  const loaded = useResource(`${kind}:${id}`, () => api.get(id));
  const definitionId = loaded.data?.definitionId;
  const spec = useResource(
    `spec:${definitionId}`,
    () => (definitionId ? api.spec(definitionId) : Promise.resolve(null)),
    {
      live: false,
    },
  );
  const [check, setCheck] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  if (loaded.loading || spec.loading) return <Loading what={`the ${titles.one}`} />;
  if (!loaded.data || !spec.data)
    return (
      <Page title={titles.many}>
        <Problem error={loaded.error ?? spec.error} label={`The ${titles.one} could not be loaded`} />
      </Page>
    );
  const actor = loaded.data;
  const schema = spec.data;
  return (
    <Page
      title={actor.name}
      actions={
        <>
          <ActionButton
            label="Test the connection"
            busyLabel="Testing…"
            action={() => api.check(id)}
            onDone={(answer) => {
              const { status, message } = answer as { status: string; message?: string | null };
              setCheck(
                status === 'succeeded'
                  ? 'The connection test succeeded.'
                  : `The connection test failed: ${message ?? 'no reason given'}`,
              );
            }}
          />
          <a class="button secondary" href={`/history/${id}`}>
            History
          </a>
          <ActionButton
            label={`Delete ${titles.one}`}
            kind="danger"
            confirm={{
              question: `Delete ${actor.name}? Its history keeps it and it can be restored.`,
              confirmLabel: 'Delete',
            }}
            action={() => api.remove(id)}
            onDone={() => route(titles.path)}
          />
        </>
      }
    >
      <p>
        {actor.connector} {titles.one}.
      </p>
      {check && <p role="status">{check}</p>}
      <ActorForm
        key={`${id}:${JSON.stringify(actor.configuration)}:${actor.name}`}
        noun={titles.one}
        definitionId={actor.definitionId}
        schema={schema}
        initial={{ name: actor.name, configuration: actor.configuration }}
        submitLabel="Save changes"
        onSubmit={async (input) => {
          await api.update(id, input);
          setSaved(true);
          loaded.reload();
        }}
      />
      {saved && <p role="status">Saved.</p>}
    </Page>
  );
};
