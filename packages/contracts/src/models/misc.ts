import { z } from 'zod';
import { CheckStatus } from '../enums.ts';
import { int64, optional } from './common.ts';
import { destination, source } from './actors.ts';
import { connectionReadFields } from './connection.ts';
import { pageResponseFields } from './paging.ts';

export const HealthCheckRead = z.object({ db: z.boolean() }).meta({ id: 'HealthCheckRead' });
export const DebugRead = z.object({ info: z.record(z.string(), z.unknown()) }).meta({ id: 'DebugRead' });

export const CheckConnectionRead = z
  .object({ status: CheckStatus, message: optional(z.string()) })
  .meta({ id: 'CheckConnectionRead' });

export const WbConnectionRead = z
  .object({
    ...connectionReadFields,
    source: source.Read,
    destination: destination.Read,
    lastSync: optional(int64()).meta({
      description: 'epoch time of last sync. null if no sync has taken place.',
    }),
    isSyncing: z.boolean(),
  })
  .meta({ id: 'WbConnectionRead' });
export const WbConnectionReadList = z
  .object({ connections: z.array(WbConnectionRead), ...pageResponseFields })
  .meta({ id: 'WbConnectionReadList' });

export type CheckConnectionRead = z.infer<typeof CheckConnectionRead>;
export type WbConnectionRead = z.infer<typeof WbConnectionRead>;
