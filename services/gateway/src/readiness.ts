import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type OperationId } from '@ferry/contracts';
import type { Bus } from '@ferry/bus';
import { callOperation } from '@ferry/rpc';

/** A readiness probe answers quickly or counts as not ready: Kubernetes probes time out after seconds. */
const PROBE_DEADLINE_MS = 3_000;

const probes = {
  config: 'checkConfigReadiness',
  jobs: 'checkJobsReadiness',
  runner: 'pingRunner',
} as const satisfies Record<string, OperationId>;

type ServiceState = { ready: boolean; code?: string; reason?: string } & Record<string, unknown>;

/** Failures that say the gateway's own bus connection is down, rather than a service. */
const BUS_DOWN = new Set(['bus.disconnected', 'bus.closed', 'bus.unavailable']);

const probe = async (bus: Bus, operationId: (typeof probes)[keyof typeof probes]): Promise<ServiceState> => {
  try {
    const reply = await callOperation(bus, operationId, {}, { headers: {}, deadlineMs: PROBE_DEADLINE_MS });
    const parts: Record<string, boolean> = reply.body;
    return { ready: Object.values(parts).every(Boolean), ...parts };
  } catch (error) {
    const code = DomainError.is(error) ? error.code : 'internal';
    return { ready: false, code, reason: (error as Error).message };
  }
};

/**
 * `GET /api/v1/ready` (ours, for Kubernetes' readiness probe): 200 when every service answers over the bus
 * and the config and jobs services' stores answer, else 503; the body says which part is not ready, the
 * bus, a service, or one of its stores. `/v1/health` keeps the seed's `{db}`.
 */
export const registerReadiness = (app: FastifyInstance, bus: Bus) => {
  const handler = async (_request: FastifyRequest, reply: FastifyReply) => {
    const names = Object.keys(probes) as Array<keyof typeof probes>;
    const states = await Promise.all(names.map((name) => probe(bus, probes[name])));
    const services = Object.fromEntries(names.map((name, i) => [name, states[i]]));
    const ready = states.every((state) => state.ready);
    const busUp = !states.some((state) => state.code !== undefined && BUS_DOWN.has(state.code));
    return reply.code(ready ? 200 : 503).send({ ready, bus: busUp, services });
  };
  for (const prefix of ['/api', '']) app.get(`${prefix}/v1/ready`, handler);
};
