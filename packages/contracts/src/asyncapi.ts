import { z } from 'zod';
import { type EventContract, eventContracts } from './event-contracts.ts';
import { EVENTS_SUBJECT_PREFIX, HEADER } from './events.ts';

const time = z.iso.datetime({ offset: true });

/** The recorded event as published: the envelope around one type's data. */
const envelope = (contract: EventContract) =>
  z.object({
    id: z.string().meta({ description: 'The event id: subscribers deduplicate by it.' }),
    type: z.literal(contract.type),
    data: contract.data,
    metadata: z.object({
      actor: z.string().meta({ description: 'user:<name>, token:<id>, anonymous or system:<service>' }),
      correlationId: z.string(),
      causationId: z.string().nullable(),
      occurredAt: time,
      schemaVersion: z.number().int(),
    }),
    streamName: z.string().meta({ description: '<aggregate>-<id>' }),
    revision: z.number().int().min(0).meta({ description: 'Its place in its stream, from 0.' }),
    position: z.number().int().min(1).meta({ description: 'Its place in the whole log: the SSE id.' }),
  });

/** JSON Schema draft 7, which AsyncAPI's default schema format extends. */
const schemaOf = (schema: z.ZodType) => {
  const { $schema: _schema, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'output' }) as Record<
    string,
    unknown
  >;
  return rest;
};

const headers = {
  type: 'object',
  properties: {
    [HEADER.correlationId]: { type: 'string' },
    [HEADER.causationId]: { type: 'string' },
    [HEADER.actor]: { type: 'string' },
    'Nats-Msg-Id': { type: 'string', description: 'The event id, on messages published through JetStream' },
    'ferry-position': {
      type: 'string',
      description: 'The log position, on messages published through JetStream',
    },
  },
};

/**
 * The AsyncAPI 3 document of Ferry's events, generated from the event contracts: a channel per aggregate
 * and event type (`ferry.events.source.ActorCreated`), a message per event type, the operations a subscriber
 * performs on them. Served at `/api/v1/asyncapi.json`.
 */
export const buildAsyncApiDocument = (version: string) => {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  for (const contract of eventContracts) {
    for (const aggregate of contract.aggregates) {
      const name = `${aggregate}.${contract.type}`;
      channels[name] = {
        address: `${EVENTS_SUBJECT_PREFIX}.${name}`,
        messages: { [contract.type]: { $ref: `#/components/messages/${contract.type}` } },
      };
      operations[`receive.${name}`] = {
        action: 'receive',
        channel: { $ref: `#/channels/${name}` },
        summary: contract.summary,
      };
    }
  }
  const messages = Object.fromEntries(
    eventContracts.map((contract) => [
      contract.type,
      {
        name: contract.type,
        title: contract.type,
        summary: contract.summary,
        contentType: 'application/json',
        headers,
        payload: schemaOf(envelope(contract)),
      },
    ]),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Ferry events',
      version,
      description:
        'Every event Ferry stores, in log order, at least once on core NATS (`ferry.events.>`); once in the JetStream ' +
        'stream FERRY_EVENTS when FERRY_JETSTREAM=true; and as Server-Sent Events at GET /api/v1/events?after=<position> ' +
        '(resume with Last-Event-ID; secrets masked there).',
    },
    defaultContentType: 'application/json',
    servers: {
      nats: { host: 'localhost:4222', protocol: 'nats', description: 'NATS_URL of the deployment' },
    },
    channels,
    operations,
    components: { messages },
  };
};
