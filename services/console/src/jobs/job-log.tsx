import { useEffect, useId, useRef, useState } from 'preact/hooks';

/** The last lines shown; the whole log stays in the job's attempt (jobs/get). */
const MAX_LINES = 2_000;

/**
 * An attempt's log in a scrollable, focusable region. While the attempt runs, "Follow" keeps the newest line
 * in view; scrolling up stops following, so reading an earlier line is not interrupted.
 */
export const JobLog = ({
  lines,
  live,
  label,
}: {
  lines: readonly string[];
  live: boolean;
  label: string;
}) => {
  const box = useRef<HTMLPreElement>(null);
  const [follow, setFollow] = useState(true);
  const id = useId();
  const shown = lines.length > MAX_LINES ? lines.slice(-MAX_LINES) : lines;
  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [shown.length, follow]);
  return (
    <section class="log" aria-labelledby={id}>
      <div class="log-header">
        <h4 id={id}>
          {label}
          {live ? ' (live)' : ''}
        </h4>
        <label class="radio">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.currentTarget.checked)} />{' '}
          Follow the newest line
        </label>
      </div>
      <pre
        ref={box}
        role="log"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to be read
        tabIndex={0}
        aria-label={label}
        onScroll={(e) => {
          const el = e.currentTarget;
          const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < 8;
          if (!atEnd && follow && live) setFollow(false);
        }}
      >
        {shown.length === 0 ? 'No log lines yet.' : shown.join('\n')}
      </pre>
      {lines.length > MAX_LINES && (
        <small class="hint">
          Showing the last {MAX_LINES} of {lines.length} lines.
        </small>
      )}
    </section>
  );
};
