import { describe, expect, it } from 'vitest';
import { configurationOf, fieldPathOf } from './configuration.ts';
import { draftOf, fieldsOf, type JsonSchema, SECRET_MASK } from './spec-schema.ts';

const postgres: JsonSchema = {
  type: 'object',
  required: ['host', 'port', 'database', 'username'],
  properties: {
    schemas: { title: 'Schemas', type: 'array', items: { type: 'string' }, default: ['public'], order: 5 },
    password: { title: 'Password', type: 'string', airbyte_secret: true, order: 4 },
    host: { title: 'Host', type: 'string', order: 0 },
    port: { title: 'Port', type: 'integer', default: 5432, order: 1 },
    database: { title: 'DB Name', type: 'string', order: 2 },
    username: { title: 'User', type: 'string', order: 3 },
  },
};

const tunnel: JsonSchema = {
  type: 'object',
  properties: {
    tunnel_method: {
      title: 'SSH tunnel',
      type: 'object',
      oneOf: [
        { title: 'No tunnel', properties: { tunnel_method: { const: 'NO_TUNNEL' } } },
        {
          title: 'Password',
          required: ['tunnel_host'],
          properties: {
            tunnel_method: { const: 'SSH_PASSWORD_AUTH' },
            tunnel_host: { title: 'Tunnel host', type: 'string' },
            tunnel_password: { title: 'Tunnel password', type: 'string', airbyte_secret: true },
          },
        },
      ],
    },
  },
};

describe('a connector spec as a form', () => {
  it('lists fields by their order, secrets as secret fields', () => {
    expect(fieldsOf(postgres).map((f) => [f.label, f.kind, f.required])).toEqual([
      ['Host', 'text', true],
      ['Port', 'integer', true],
      ['DB Name', 'text', true],
      ['User', 'text', true],
      ['Password', 'secret', false],
      ['Schemas', 'list', false],
    ]);
  });

  it('starts a new resource from the defaults and types what was typed', () => {
    const draft = draftOf(postgres);
    expect(draft.values).toMatchObject({ port: '5432', schemas: 'public', password: '' });
    draft.values = {
      ...draft.values,
      host: 'db',
      database: 'app',
      username: 'ada',
      schemas: 'public\nsales\n',
    };
    expect(configurationOf(postgres, draft)).toEqual({
      configuration: {
        host: 'db',
        port: 5432,
        database: 'app',
        username: 'ada',
        schemas: ['public', 'sales'],
      },
      errors: {},
    });
  });

  it('says which fields are missing or not numbers, in words', () => {
    const draft = draftOf(postgres);
    draft.values = { ...draft.values, port: 'five', host: '' };
    expect(configurationOf(postgres, draft).errors).toEqual({
      host: 'Host is required',
      port: 'Port must be a whole number',
      database: 'DB Name is required',
      username: 'User is required',
    });
  });

  it('never shows a stored secret, and sends the mask back to keep it unless a new one is typed', () => {
    const stored = {
      host: 'db',
      port: 5432,
      database: 'app',
      username: 'ada',
      password: SECRET_MASK,
      schemas: ['x'],
    };
    const draft = draftOf(postgres, stored);
    expect(draft.values.password).toBe('');
    expect(configurationOf(postgres, draft).configuration.password).toBe(SECRET_MASK);
    draft.values = { ...draft.values, password: 'new secret' };
    expect(configurationOf(postgres, draft).configuration.password).toBe('new secret');
  });

  it('chooses a oneOf option by its const and sends the const with the chosen option', () => {
    const draft = draftOf(tunnel, {
      tunnel_method: { tunnel_method: 'SSH_PASSWORD_AUTH', tunnel_host: 'h' },
    });
    expect(draft.values['tunnel_method#option']).toBe('1');
    expect(configurationOf(tunnel, draft).configuration).toEqual({
      tunnel_method: { tunnel_method: 'SSH_PASSWORD_AUTH', tunnel_host: 'h' },
    });
    draft.values['tunnel_method#option'] = '0';
    expect(configurationOf(tunnel, draft).configuration).toEqual({
      tunnel_method: { tunnel_method: 'NO_TUNNEL' },
    });
  });

  it('reads the API’s property paths as the form’s field paths', () => {
    expect(fieldPathOf('connectionConfiguration.destination_path')).toBe('destination_path');
    expect(fieldPathOf('connectionConfiguration.tunnel_method.tunnel_host')).toBe(
      'tunnel_method.tunnel_host',
    );
  });
});
