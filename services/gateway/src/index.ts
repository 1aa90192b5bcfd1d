export { buildGateway, type GatewayOptions } from './app.ts';
export type { BasicAuth } from './auth.ts';
