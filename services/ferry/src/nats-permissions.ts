import {
  ALL_EVENTS_SUBJECT,
  allOperations,
  type Operation,
  type OperationId,
  operations,
  RUNNER_CANCEL_SUBJECT,
  subjectOf,
} from '@ferry/contracts';
import { natsConnectionName } from './nats-connection.ts';
import { SERVICES, type ServiceRole } from './settings.ts';

/** What one service's NATS user may publish and subscribe to, as nats-server's `permissions` take them. */
export interface Permissions {
  publish: string[];
  subscribe: string[];
}

/** The gateway's readiness route asks these besides the public operations (services/gateway/src/readiness.ts). */
const READINESS_PROBES: readonly OperationId[] = ['checkConfigReadiness', 'checkJobsReadiness', 'pingRunner'];
const RUNNER_REPORTS: readonly OperationId[] = ['reportAttemptProgress', 'reportAttemptOutcome'];
/** The gateway's event stream reads the log from the audit service (services/gateway/src/events.ts). */
const EVENT_STREAM_READS: readonly OperationId[] = ['readEvents'];
/**
 * With FERRY_JETSTREAM=true the audit relay manages and publishes to the stream FERRY_EVENTS through the
 * JetStream API (packages/bus/src/jetstream.ts); its acknowledgements come back to the audit's inbox.
 */
const JETSTREAM_API = [
  '$JS.API.INFO',
  ...['INFO', 'CREATE', 'UPDATE', 'MSG.GET'].map((call) => `$JS.API.STREAM.${call}.FERRY_EVENTS`),
];
const publicOperations = new Set<Operation>(operations);

/**
 * Which operations a service asks for; the table says only who answers them. The gateway asks for every
 * public operation; the other services call each other's operations. tests/secured-bus.spec.ts runs Ferry
 * under the permissions derived from this, so a call missing here fails there.
 */
const asks: Record<ServiceRole, (operation: Operation) => boolean> = {
  gateway: (op) =>
    publicOperations.has(op) ||
    READINESS_PROBES.includes(op.operationId as OperationId) ||
    EVENT_STREAM_READS.includes(op.operationId as OperationId),
  config: (op) => op.service === 'jobs', // connector specs, checks and job lists
  // Actors and connections from config, work for the runners, and, for the scheduler, its own public syncs.
  jobs: (op) => op.service === 'config' || op.service === 'runner' || publicOperations.has(op),
  // Only an attempt's progress and outcome: the runner runs connector code, so it gets the least.
  runner: (op) => RUNNER_REPORTS.includes(op.operationId as OperationId),
  audit: () => false, // it only publishes events
};

/** `_INBOX.ferry-config`: where a service's answers arrive (the bus names inboxes after the connection). */
export const inboxOf = (service: ServiceRole) => `_INBOX.${natsConnectionName([service])}`;

const subjectsAnsweredBy = (service: ServiceRole) =>
  allOperations.filter((op) => op.service === service).map(subjectOf);

const calls = (caller: ServiceRole, callee: ServiceRole) =>
  allOperations.some((op) => op.service === callee && asks[caller](op));

/**
 * Each service may subscribe to the subjects it answers and to its own inbox, and publish to the
 * subjects it asks for and to the inboxes of the services it talks with: replies, heartbeats and chunks go
 * to the caller's inbox, and a large request body is fetched from the caller's inbox into the responder's.
 * (nats-server's `allow_responses` would not do: it allows one reply message per request by default, and
 * Ferry streams heartbeats and chunks.) No service may read another's inbox, so a configuration sent to
 * the jobs service is read by nobody else.
 */
export function natsPermissions(): Record<ServiceRole, Permissions> {
  const entries = SERVICES.map((service): [ServiceRole, Permissions] => {
    const peers = SERVICES.filter((other) => calls(service, other) || calls(other, service));
    const asked = allOperations.filter((op) => asks[service](op)).map(subjectOf);
    const published = [...asked, ...extraPublishes[service]];
    const subscribed = [...subjectsAnsweredBy(service), ...extraSubscriptions[service]];
    return [
      service,
      {
        publish: [...withWildcards(published), ...peers.map((peer) => `${inboxOf(peer)}.>`)],
        subscribe: [...withWildcards(subscribed), `${inboxOf(service)}.>`],
      },
    ];
  });
  return Object.fromEntries(entries) as Record<ServiceRole, Permissions>;
}

/** The subjects outside the operation table: the runners' cancel and the events. */
const extraPublishes: Record<ServiceRole, string[]> = {
  gateway: [],
  config: [],
  jobs: [RUNNER_CANCEL_SUBJECT],
  runner: [],
  audit: [ALL_EVENTS_SUBJECT, ...JETSTREAM_API],
};
const extraSubscriptions: Record<ServiceRole, string[]> = {
  // The event stream's wake-ups, and revoked API tokens.
  gateway: [ALL_EVENTS_SUBJECT],
  config: [],
  jobs: [],
  runner: [RUNNER_CANCEL_SUBJECT],
  audit: [],
};

/** Every single subject Ferry uses; a wildcard may stand for a group only when it covers all of them. */
const known = [...allOperations.map(subjectOf), RUNNER_CANCEL_SUBJECT];

/**
 * `ferry.v1.workspaces.>` instead of each workspace subject, where the list holds every known subject under
 * that prefix, so the file stays readable and grants nothing the list did not.
 */
function withWildcards(subjects: string[]): string[] {
  const wanted = new Set(subjects);
  // Wildcards as given, and subjects outside Ferry's own (the JetStream API) as they are.
  const out = subjects.filter((subject) => subject.endsWith('>') || !subject.startsWith('ferry.'));
  const visit = (prefix: string) => {
    if (wanted.has(prefix)) out.push(prefix);
    const under = known.filter((subject) => subject.startsWith(`${prefix}.`));
    if (under.length === 0) return;
    if (under.every((subject) => wanted.has(subject))) return void out.push(`${prefix}.>`);
    const next = new Set(under.map((subject) => subject.slice(prefix.length + 1).split('.')[0]!));
    for (const token of next) visit(`${prefix}.${token}`);
  };
  visit('ferry');
  return out;
}
