import { useEffect, useState } from 'preact/hooks';
import { ApiError, messageOf } from '../api/client.ts';
import { useConsole } from '../context.ts';
import { configurationOf, fieldPathOf } from '../forms/configuration.ts';
import { SpecFields } from '../forms/spec-fields.tsx';
import { type Draft, draftOf, type JsonSchema } from '../forms/spec-schema.ts';
import { Problem } from '../ui/feedback.tsx';
import type { ActorInput } from './kinds.ts';

export interface ActorFormProps {
  /** "source" or "destination", for the words on the form. */
  noun: string;
  definitionId: string;
  schema: JsonSchema;
  initial?: { name: string; configuration: Record<string, unknown> };
  submitLabel: string;
  onSubmit(input: ActorInput): Promise<unknown>;
}

/**
 * A source's or destination's name and configuration, the fields generated from its connector's spec. The
 * form checks what it can (required fields, numbers) before sending; the API's 422 lands on its fields.
 */
export const ActorForm = (props: ActorFormProps) => {
  const { session } = useConsole();
  const [name, setName] = useState(props.initial?.name ?? '');
  const [draft, setDraft] = useState<Draft>(() => draftOf(props.schema, props.initial?.configuration));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<Error | string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(draftOf(props.schema, props.initial?.configuration)), [props.schema]);

  const change = (path: string, value: string | boolean) => {
    setDraft((d) => ({ ...d, values: { ...d.values, [path]: value } }));
    setErrors(({ [path]: _, ...rest }) => rest);
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    setFailure(null);
    const parsed = configurationOf(props.schema, draft);
    setErrors(parsed.errors);
    if (Object.keys(parsed.errors).length > 0) {
      setFailure('Some fields need a change; see the messages beside them.');
      return;
    }
    setBusy(true);
    try {
      await props.onSubmit({
        name: name.trim(),
        definitionId: props.definitionId,
        configuration: parsed.configuration,
      });
    } catch (error) {
      if (error instanceof ApiError)
        setErrors(Object.fromEntries(error.fields.map((f) => [fieldPathOf(f.propertyPath), f.message])));
      setFailure(error instanceof Error ? error : messageOf(error));
    } finally {
      setBusy(false);
    }
  };
  const readOnly = session.role === 'read';
  return (
    <form class="form" onSubmit={submit} noValidate>
      <div class="field">
        <label for="actor-name">
          Name<span class="required"> (required)</span>
        </label>
        <input id="actor-name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <fieldset class="group">
        <legend>Configuration</legend>
        <SpecFields schema={props.schema} draft={draft} errors={errors} onChange={change} />
      </fieldset>
      <Problem error={failure} label={`The ${props.noun} was not saved`} />
      <button
        type="submit"
        class="primary"
        disabled={busy || readOnly || !name.trim()}
        aria-describedby={readOnly ? 'actor-admin' : undefined}
      >
        {busy ? 'Saving…' : props.submitLabel}
      </button>
      {readOnly && (
        <small class="hint" id="actor-admin">
          {' '}
          needs the admin role
        </small>
      )}
    </form>
  );
};
