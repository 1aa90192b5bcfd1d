import { notFound } from '@ferry/contracts';
import { exhaustive, type Decider } from '@ferry/eventsourcing';

/** Source and destination definitions behave alike; `kind` names which. */
export type DefinitionKind = 'source' | 'destination';

export interface DefinitionFields {
  definitionId: string;
  kind: DefinitionKind;
  name: string;
  dockerRepository: string;
  dockerImageTag: string;
  documentationUrl: string | null;
}

/** A past version's image made current again (history/restore). */
type Restored = {
  definitionId: string;
  kind: DefinitionKind;
  dockerImageTag: string;
  restoredVersion: number;
};

export type DefinitionCommand =
  | { type: 'CreateDefinition'; data: DefinitionFields }
  | {
      type: 'UpdateDefinitionImage';
      data: { definitionId: string; kind: DefinitionKind; dockerImageTag: string };
    }
  | { type: 'RestoreDefinition'; data: Restored };

export type DefinitionEvent =
  | { type: 'DefinitionCreated'; data: DefinitionFields }
  | {
      type: 'DefinitionImageUpdated';
      data: { definitionId: string; kind: DefinitionKind; dockerImageTag: string };
    }
  | { type: 'DefinitionRestored'; data: Restored };

export type DefinitionState = { status: 'absent' } | ({ status: 'active' } & DefinitionFields);

export const definitionStream = (id: string) => `definition-${id}`;

export const definitionDecider: Decider<DefinitionCommand, DefinitionState, DefinitionEvent> = {
  initialState: { status: 'absent' },
  decide(command, state) {
    switch (command.type) {
      case 'CreateDefinition':
        // Seeding the built-in catalog at every start must not duplicate anything.
        if (state.status === 'active') return [];
        return [{ type: 'DefinitionCreated', data: command.data }];
      case 'UpdateDefinitionImage':
        if (state.status === 'absent' || state.kind !== command.data.kind) {
          throw notFound(`${command.data.kind}_definition`, command.data.definitionId);
        }
        if (state.dockerImageTag === command.data.dockerImageTag) return [];
        return [{ type: 'DefinitionImageUpdated', data: command.data }];
      case 'RestoreDefinition':
        if (state.status === 'absent')
          throw notFound(`${command.data.kind}_definition`, command.data.definitionId);
        return [{ type: 'DefinitionRestored', data: command.data }];
      default:
        return exhaustive(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'DefinitionCreated':
        return { status: 'active', ...event.data };
      case 'DefinitionImageUpdated':
      case 'DefinitionRestored':
        return state.status === 'active' ? { ...state, dockerImageTag: event.data.dockerImageTag } : state;
      default:
        return exhaustive(event);
    }
  },
};
