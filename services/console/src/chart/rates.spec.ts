import { describe, expect, it } from 'vitest';
import { addSample, MAX_SAMPLES, polylinePoints, ratesOf } from './rates.ts';

describe('live rates', () => {
  it('turns counts seen over time into records and bytes per second', () => {
    let samples = addSample([], { at: 0, records: 0, bytes: 0 });
    samples = addSample(samples, { at: 2_000, records: 1_000, bytes: 50_000 });
    samples = addSample(samples, { at: 3_000, records: 1_500, bytes: 60_000 });
    expect(ratesOf(samples)).toEqual([
      { at: 2_000, recordsPerSecond: 500, bytesPerSecond: 25_000 },
      { at: 3_000, recordsPerSecond: 500, bytesPerSecond: 10_000 },
    ]);
  });

  it('ignores a repeat within a second, starts over for a new attempt, keeps a bounded window', () => {
    const one = addSample([], { at: 0, records: 10, bytes: 1 });
    expect(addSample(one, { at: 500, records: 10, bytes: 1 })).toHaveLength(1);
    expect(addSample(one, { at: 5_000, records: 2, bytes: 1 })).toEqual([
      { at: 5_000, records: 2, bytes: 1 },
    ]);
    let many = one;
    for (let i = 1; i <= MAX_SAMPLES + 10; i++)
      many = addSample(many, { at: i * 1_000, records: 10 + i, bytes: i });
    expect(many).toHaveLength(MAX_SAMPLES);
  });

  it('scales points into the chart, the highest at the top', () => {
    expect(
      polylinePoints(
        [
          { x: 0, y: 0 },
          { x: 10, y: 5 },
        ],
        100,
        50,
      ),
    ).toBe('0.0,50.0 100.0,0.0');
  });
});
