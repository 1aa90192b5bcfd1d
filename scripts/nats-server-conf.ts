// Writes deploy/nats/nats-server.conf, the sample nats-server configuration whose per-service permissions
// derive from the operation table (services/ferry/src/nats-server-config.ts). Run after changing the table:
//   bash scripts/ferry exec node scripts/nats-server-conf.ts
import { writeFileSync } from 'node:fs';
import { natsServerConfig } from '../services/ferry/src/nats-server-config.ts';

writeFileSync(new URL('../deploy/nats/nats-server.conf', import.meta.url), natsServerConfig());
