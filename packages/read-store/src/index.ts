export * from './port.ts';
export * from './names.ts';
