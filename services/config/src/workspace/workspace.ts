import { notFound } from '@ferry/contracts';
import { exhaustive, type Decider } from '@ferry/eventsourcing';

export interface WorkspaceFields {
  workspaceId: string;
  customerId: string;
  name: string;
  slug: string;
  email: string | null;
  initialSetupComplete: boolean;
  onboardingComplete: boolean;
  anonymousDataCollection: boolean;
  news: boolean;
  securityUpdates: boolean;
}
type Preferences = Omit<WorkspaceFields, 'workspaceId' | 'customerId' | 'name' | 'slug'>;

/** A past version's preferences made current again (history/restore). */
type Restored = Preferences & { workspaceId: string; restoredVersion: number };

export type WorkspaceCommand =
  | { type: 'CreateWorkspace'; data: Pick<WorkspaceFields, 'workspaceId' | 'customerId' | 'name' | 'slug'> }
  | {
      type: 'UpdateWorkspace';
      data: { workspaceId: string } & Omit<Preferences, 'email'> & { email?: string | null };
    }
  | { type: 'RestoreWorkspace'; data: Restored };

export type WorkspaceEvent =
  | { type: 'WorkspaceCreated'; data: WorkspaceFields }
  | { type: 'WorkspaceUpdated'; data: Preferences & { workspaceId: string } }
  | { type: 'WorkspaceRestored'; data: Restored };

export type WorkspaceState = { status: 'absent' } | ({ status: 'active' } & WorkspaceFields);

export const workspaceStream = (id: string) => `workspace-${id}`;

export const workspaceDecider: Decider<WorkspaceCommand, WorkspaceState, WorkspaceEvent> = {
  initialState: { status: 'absent' },
  decide(command, state) {
    switch (command.type) {
      case 'CreateWorkspace':
        // Creating an existing workspace is a no-op: the default workspace is seeded at every start.
        if (state.status === 'active') return [];
        return [{ type: 'WorkspaceCreated', data: { ...command.data, ...defaultPreferences } }];
      case 'UpdateWorkspace': {
        if (state.status === 'absent') throw notFound('workspace', command.data.workspaceId);
        // An empty or missing email keeps the stored one (Airbyte's web app sends "" when left blank).
        const email = command.data.email ? command.data.email : state.email;
        return [{ type: 'WorkspaceUpdated', data: { ...command.data, email } }];
      }
      case 'RestoreWorkspace':
        if (state.status === 'absent') throw notFound('workspace', command.data.workspaceId);
        return [{ type: 'WorkspaceRestored', data: command.data }];
      default:
        return exhaustive(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'WorkspaceCreated':
        return { status: 'active', ...event.data };
      case 'WorkspaceUpdated':
        return state.status === 'active' ? { ...state, ...event.data } : state;
      case 'WorkspaceRestored': {
        const { restoredVersion: _version, ...preferences } = event.data;
        return state.status === 'active' ? { ...state, ...preferences } : state;
      }
      default:
        return exhaustive(event);
    }
  },
};

const defaultPreferences: Preferences = {
  email: null,
  initialSetupComplete: false,
  onboardingComplete: false,
  anonymousDataCollection: false,
  news: false,
  securityUpdates: false,
};
