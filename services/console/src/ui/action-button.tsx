import type { ComponentChildren } from 'preact';
import { useId, useRef, useState } from 'preact/hooks';
import { messageOf } from '../api/client.ts';
import { useConsole } from '../context.ts';
import { Problem } from './feedback.tsx';

export interface ActionButtonProps {
  /** The button's visible text, e.g. "Sync now". */
  label: string;
  /** A fuller accessible name when the text alone is ambiguous (one "Sync now" per row); it starts with `label`. */
  name?: string;
  /** What the button says while the action runs, e.g. "Starting sync…". */
  busyLabel?: string;
  action(): Promise<unknown>;
  /** Default true: the action changes something, so a `read` token may not do it and the button says so. */
  needsAdmin?: boolean;
  /** When set, a dialog asks this question first; the action runs only on "confirmLabel". */
  confirm?: { question: ComponentChildren; confirmLabel: string };
  kind?: 'primary' | 'secondary' | 'danger';
  onDone?(result: unknown): void;
}

/**
 * A button for something that calls the API: disabled while it runs, its error shown right under it, and for
 * a read-only principal disabled with the reason as visible text, tied to it by aria-describedby.
 */
export const ActionButton = (props: ActionButtonProps) => {
  const { session } = useConsole();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const hintId = useId();
  const forbidden = (props.needsAdmin ?? true) && session.role === 'read';

  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      props.onDone?.(await props.action());
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setBusy(false);
    }
  };
  const click = () => (props.confirm ? dialog.current?.showModal() : void run());

  return (
    <span class="action">
      <button
        type="button"
        class={props.kind ?? 'secondary'}
        disabled={busy || forbidden}
        aria-busy={busy}
        aria-label={props.name}
        aria-describedby={forbidden ? hintId : undefined}
        onClick={click}
      >
        {busy ? (props.busyLabel ?? `${props.label}…`) : props.label}
      </button>
      {forbidden && (
        <small id={hintId} class="hint">
          needs the admin role
        </small>
      )}
      {props.confirm && (
        <dialog ref={dialog} aria-labelledby={`${hintId}-q`} onClose={() => undefined}>
          <form method="dialog">
            <p id={`${hintId}-q`}>{props.confirm.question}</p>
            <div class="dialog-actions">
              <button type="submit" value="cancel" class="secondary">
                Cancel
              </button>
              <button
                type="submit"
                class={props.kind === 'danger' ? 'danger' : 'primary'}
                onClick={(event) => {
                  event.preventDefault();
                  dialog.current?.close();
                  void run();
                }}
              >
                {props.confirm.confirmLabel}
              </button>
            </div>
          </form>
        </dialog>
      )}
      <Problem error={error} label={props.label} />
    </span>
  );
};
