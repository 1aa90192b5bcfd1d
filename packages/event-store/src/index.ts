export * from './port.ts';
export * from './subscription-errors.ts';
