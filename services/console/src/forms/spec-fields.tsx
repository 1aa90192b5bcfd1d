import type { JSX } from 'preact';
import { type Draft, type Field, fieldsOf, type JsonSchema } from './spec-schema.ts';

export interface SpecFieldsProps {
  schema: JsonSchema;
  draft: Draft;
  /** A message per field path, from the form's own check or the API's 422. */
  errors: Record<string, string>;
  onChange(path: string, value: string | boolean): void;
  parent?: string;
}

const idOf = (path: string) => `config-${path.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

const Help = ({ field, id, error }: { field: Field; id: string; error: string | undefined }) => (
  <>
    {field.schema.description && (
      <small class="hint" id={`${id}-help`}>
        {field.schema.description}
      </small>
    )}
    {error && (
      <small class="field-error" id={`${id}-error`}>
        {error}
      </small>
    )}
  </>
);

const describedBy = (field: Field, id: string, error: string | undefined) =>
  [field.schema.description ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') ||
  undefined;

/** One input for one field, labelled with the spec's title; secrets are password inputs, never filled. */
const Input = ({
  field,
  draft,
  error,
  onChange,
}: {
  field: Field;
  draft: Draft;
  error: string | undefined;
  onChange: SpecFieldsProps['onChange'];
}) => {
  const id = idOf(field.path);
  const value = draft.values[field.path];
  const common = {
    id,
    name: field.path,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': describedBy(field, id, error),
    required: field.required && !(field.kind === 'secret' && draft.storedSecrets.has(field.path)),
  };
  const text = typeof value === 'string' ? value : '';
  const set = (event: Event) => onChange(field.path, (event.currentTarget as HTMLInputElement).value);
  const example = field.schema.examples?.[0];
  let input: JSX.Element;
  if (field.kind === 'boolean')
    input = (
      <input
        {...common}
        type="checkbox"
        checked={value === true}
        onChange={(e) => onChange(field.path, e.currentTarget.checked)}
      />
    );
  else if (field.kind === 'choice')
    input = (
      <select {...common} value={text} onChange={set}>
        {!field.required && <option value="">(none)</option>}
        {field.schema.enum!.map((option) => (
          <option key={String(option)} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  else if (field.kind === 'list' || field.kind === 'json' || field.schema.multiline)
    input = (
      <textarea
        {...common}
        rows={field.kind === 'json' ? 6 : 3}
        value={text}
        onInput={set}
        placeholder={field.kind === 'list' ? 'one per line' : undefined}
      />
    );
  else if (field.kind === 'secret')
    input = (
      <input
        {...common}
        type="password"
        autoComplete="new-password"
        value={text}
        onInput={set}
        placeholder={draft.storedSecrets.has(field.path) ? 'stored; leave empty to keep it' : undefined}
      />
    );
  else {
    const placeholder = example !== undefined ? `e.g. ${String(example)}` : undefined;
    input =
      field.kind === 'text' ? (
        <input
          {...common}
          type="text"
          autoComplete="off"
          value={text}
          onInput={set}
          placeholder={placeholder}
        />
      ) : (
        <input
          {...common}
          type="number"
          inputMode={field.kind === 'integer' ? 'numeric' : 'decimal'}
          value={text}
          onInput={set}
          placeholder={placeholder}
        />
      );
  }
  return (
    <div class={`field field-${field.kind}`}>
      <label for={id}>
        {field.label}
        {field.required ? <span class="required"> (required)</span> : null}
      </label>
      {input}
      <Help field={field} id={id} error={error} />
    </div>
  );
};

/** A `oneOf`: the options as radio buttons in a fieldset, then the chosen option's own fields. */
const Options = (props: SpecFieldsProps & { field: Field }) => {
  const { field, draft, onChange } = props;
  const chosen = Number(draft.values[`${field.path}#option`] ?? 0);
  const options = field.schema.oneOf ?? [];
  return (
    <fieldset class="group">
      <legend>{field.label}</legend>
      {options.map((option, index) => (
        <label class="radio" key={option.title ?? index}>
          <input
            type="radio"
            name={`${field.path}#option`}
            checked={chosen === index}
            onChange={() => onChange(`${field.path}#option`, String(index))}
          />
          {option.title ?? `Option ${index + 1}`}
        </label>
      ))}
      <SpecFields {...props} schema={options[chosen] ?? {}} parent={field.path} />
    </fieldset>
  );
};

/** The fields of a connector's spec, nested objects as fieldsets. */
export const SpecFields = (props: SpecFieldsProps) => (
  <>
    {fieldsOf(props.schema, props.parent ?? '').map((field) => {
      if (field.kind === 'group')
        return (
          <fieldset class="group" key={field.path}>
            <legend>{field.label}</legend>
            <SpecFields {...props} schema={field.schema} parent={field.path} />
          </fieldset>
        );
      if (field.kind === 'options') return <Options key={field.path} {...props} field={field} />;
      return (
        <Input
          key={field.path}
          field={field}
          draft={props.draft}
          error={props.errors[field.path]}
          onChange={props.onChange}
        />
      );
    })}
  </>
);
