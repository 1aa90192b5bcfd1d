import { type ScheduleDraft, TIME_UNITS } from './schedule.ts';

/** The schedule as a fieldset: manual, every N units, or a cron expression in a time zone. */
export const ScheduleFields = ({
  value,
  onChange,
}: {
  value: ScheduleDraft;
  onChange(next: ScheduleDraft): void;
}) => {
  const set = (patch: Partial<ScheduleDraft>) => onChange({ ...value, ...patch });
  return (
    <fieldset class="group">
      <legend>Schedule</legend>
      {(['manual', 'basic', 'cron'] as const).map((type) => (
        <label class="radio" key={type}>
          <input
            type="radio"
            name="schedule-type"
            checked={value.type === type}
            onChange={() => set({ type })}
          />
          {type === 'manual' ? 'Manual (sync now only)' : type === 'basic' ? 'Every…' : 'Cron expression'}
        </label>
      ))}
      {value.type === 'basic' && (
        <div class="inline">
          <div class="field">
            <label for="schedule-units">Every how many</label>
            <input
              id="schedule-units"
              type="number"
              min={1}
              required
              value={value.units}
              onInput={(e) => set({ units: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for="schedule-unit">Time unit</label>
            <select
              id="schedule-unit"
              value={value.timeUnit}
              onChange={(e) => set({ timeUnit: e.currentTarget.value as ScheduleDraft['timeUnit'] })}
            >
              {TIME_UNITS.map((unit) => (
                <option key={unit} value={unit}>
                  {unit}
                </option>
              ))}
            </select>
          </div>
        </div>
      )}
      {value.type === 'cron' && (
        <div class="inline">
          <div class="field">
            <label for="schedule-cron">Cron expression</label>
            <input
              id="schedule-cron"
              required
              value={value.cronExpression}
              onInput={(e) => set({ cronExpression: e.currentTarget.value })}
              aria-describedby="schedule-cron-help"
            />
            <small class="hint" id="schedule-cron-help">
              Five fields: minute hour day-of-month month day-of-week, e.g. 0 3 * * * for 03:00 daily.
            </small>
          </div>
          <div class="field">
            <label for="schedule-zone">Time zone</label>
            <input
              id="schedule-zone"
              required
              value={value.cronTimeZone}
              onInput={(e) => set({ cronTimeZone: e.currentTarget.value })}
            />
          </div>
        </div>
      )}
    </fieldset>
  );
};
