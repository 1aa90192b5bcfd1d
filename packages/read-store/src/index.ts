export * from './port.ts';
export * from './names.ts';
export * from './changes.ts';
export * from './ping.ts';
export * from './texts.ts';
export * from './json-text.ts';
