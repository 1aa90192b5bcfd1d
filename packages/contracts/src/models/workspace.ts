import { z } from 'zod';
import { pageRequestFields } from './paging.ts';
import { uuid, optional } from './common.ts';

export const WorkspaceId = uuid('WorkspaceId');
export const CustomerId = uuid('CustomerId');

export const WorkspaceIdRequestBody = z
  .object({ workspaceId: WorkspaceId })
  .meta({ id: 'WorkspaceIdRequestBody' });
/** A workspace's list that pages on request (extension, ADR 0013): connections, sources, destinations. */
export const WorkspaceIdPageRequestBody = z
  .object({ workspaceId: WorkspaceId, ...pageRequestFields })
  .meta({ id: 'WorkspaceIdPageRequestBody' });
export const SlugRequestBody = z.object({ slug: z.string().min(1) }).meta({ id: 'SlugRequestBody' });

export const WorkspaceRead = z
  .object({
    workspaceId: WorkspaceId,
    customerId: CustomerId,
    name: z.string(),
    slug: z.string(),
    initialSetupComplete: z.boolean(),
    onboardingComplete: z.boolean(),
  })
  .meta({ id: 'WorkspaceRead' });

/** Airbyte's web app sends `email: ""` when the person leaves it blank: accepted, and the stored email kept. */
export const WorkspaceUpdate = z
  .object({
    workspaceId: WorkspaceId,
    email: optional(z.union([z.literal(''), z.email()])),
    initialSetupComplete: z.boolean(),
    onboardingComplete: z.boolean(),
    anonymousDataCollection: z.boolean(),
    news: z.boolean(),
    securityUpdates: z.boolean(),
  })
  .meta({ id: 'WorkspaceUpdate' });

export type WorkspaceRead = z.infer<typeof WorkspaceRead>;
export type WorkspaceUpdate = z.infer<typeof WorkspaceUpdate>;
