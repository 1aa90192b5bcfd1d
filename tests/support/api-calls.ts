import { expect } from 'vitest';
import { post } from './processes.ts';

/**
 * Calls to a Ferry gateway at `url()` that must answer 200, with the answer's body; `after` runs once a call
 * has answered (a test's check that holds after every command).
 */
export const apiCalls = (url: () => string, after: (path: string) => void = () => {}) => {
  const ok = async (path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const answer = await post(url(), path, body, 60_000, headers);
    expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(200);
    after(path);
    return answer.body;
  };
  /** The id of the built-in definition with this name. */
  const definitionId = async (kind: 'source' | 'destination', name: string): Promise<string> => {
    const list = await ok(`${kind}_definitions/list`);
    return list[`${kind}Definitions`].find((d: { name: string }) => d.name === name)[`${kind}DefinitionId`];
  };
  return { ok, definitionId };
};
