import { describe, expect, it } from 'vitest';
import { type Projection, sharedTextFields } from './projection.ts';

const projection = (handles: string[], textFields?: Projection['textFields']): Projection => ({
  name: 'p',
  collection: 'c',
  handles: new Set(handles),
  ...(textFields && { textFields }),
  documentId: () => 'id',
  evolve: (doc) => doc,
});

describe('sharedTextFields', () => {
  it('keeps a field as text only when every projection handling its type lists it', () => {
    const shared = sharedTextFields([
      projection(['Created', 'Updated'], { Created: ['catalog', 'spec'], Updated: ['catalog'] }),
      projection(['Created'], { Created: ['catalog'] }),
      projection(['Updated', 'Deleted']),
      projection(['Logged'], { Logged: ['output'], constructor: ['x'] }),
      projection(['constructor']),
    ]);
    expect(shared).toEqual({ Created: ['catalog'], Logged: ['output'] });
  });
});
