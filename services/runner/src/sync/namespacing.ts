import type { SyncAttemptRequest } from '@ferry/contracts';
import type {
  AirbyteMessage,
  AirbyteStateMessage,
  AirbyteStreamState,
  ConfiguredAirbyteCatalog,
} from '@ferry/protocol';

type Rule = NonNullable<SyncAttemptRequest['namespacing']>;

/** Airbyte's placeholder in a custom namespace format, written as it is (not a template). */
const SOURCE_NAMESPACE = ['$', '{SOURCE_NAMESPACE}'].join('');
type Named = { name: string; namespace?: string | null | undefined };

const key = (s: Named) => `${s.namespace ?? ''}\u0000${s.name}`;

/**
 * A connection's namespace rule applied between the two sides (Airbyte's namespacing mapper): the
 * destination sees each stream under the prefixed name and the namespace the rule gives it, in its catalog,
 * records and states; the states it echoes go back under the source's names, which is how the source
 * finds them next time. Without a rule, everything passes unchanged (`unchanged` is then true), as in 2020.
 */
export function namespacing(rule: Rule | null | undefined, catalog: ConfiguredAirbyteCatalog) {
  const namespaceOf = (ns: string | null | undefined): string | undefined => {
    if (!rule || rule.definition === 'source') return ns ?? undefined;
    if (rule.definition === 'destination') return undefined;
    const formatted = (rule.format ?? SOURCE_NAMESPACE).replaceAll(SOURCE_NAMESPACE, ns ?? '');
    return formatted === '' ? undefined : formatted;
  };
  const map = (s: Named): Named => {
    const namespace = namespaceOf(s.namespace);
    return { name: `${rule?.prefix ?? ''}${s.name}`, ...(namespace === undefined ? {} : { namespace }) };
  };
  const back = new Map(catalog.streams.map((s) => [key(map(s.stream)), s.stream as Named]));
  const streamState = (s: AirbyteStreamState, to: (n: Named) => Named): AirbyteStreamState => ({
    ...s,
    stream_descriptor: { ...s.stream_descriptor, ...to(s.stream_descriptor) },
  });
  const state = (m: AirbyteStateMessage, to: (n: Named) => Named): AirbyteStateMessage => ({
    ...m,
    ...(m.stream ? { stream: streamState(m.stream, to) } : {}),
    ...(m.global
      ? { global: { ...m.global, stream_states: m.global.stream_states.map((s) => streamState(s, to)) } }
      : {}),
  });
  const source = (n: Named): Named => {
    const found = back.get(key(n));
    return found ? { name: found.name, namespace: found.namespace ?? null } : n;
  };
  if (!rule) {
    const same = <T>(x: T) => x;
    return {
      catalog,
      unchanged: true,
      toDestination: same<AirbyteMessage>,
      stateFromDestination: same<AirbyteStateMessage>,
    };
  }
  return {
    unchanged: false,
    catalog: {
      ...catalog,
      streams: catalog.streams.map((s) => {
        const { namespace: _, ...stream } = s.stream;
        return { ...s, stream: { ...stream, ...map(s.stream) } };
      }),
    },
    toDestination(m: AirbyteMessage): AirbyteMessage {
      if (m.type === 'RECORD') {
        const { namespace: _, ...record } = m.record;
        const to = map({ name: m.record.stream, namespace: m.record.namespace });
        return { ...m, record: { ...record, stream: to.name, ...withNamespace(to) } };
      }
      if (m.type === 'STATE') return { ...m, state: state(m.state, map) };
      return m;
    },
    stateFromDestination: (m: AirbyteStateMessage) => state(m, source),
  };
}

const withNamespace = (n: Named) => (n.namespace == null ? {} : { namespace: n.namespace });

export type Namespacing = ReturnType<typeof namespacing>;
