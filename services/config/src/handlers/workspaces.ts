import { notFound, type RequestOf } from '@ferry/contracts';
import { workspacesProjection } from '../projections/projections.ts';
import { COLLECTION, type WorkspaceDoc } from '../projections/read-models.ts';
import { workspaceDecider, workspaceStream } from '../workspace/workspace.ts';
import type { RequestContext } from './context.ts';
import { documentAfter, write, type ConfigDeps } from './deps.ts';

export const DEFAULT_WORKSPACE_ID = '5ae6b09b-fdec-41af-aaf7-7d94cfc33ef6';

export const workspaceById = async (deps: ConfigDeps, workspaceId: string): Promise<WorkspaceDoc> => {
  const doc = await deps.reads.get<WorkspaceDoc>(COLLECTION.workspaces, workspaceId);
  if (!doc) throw notFound('workspace', workspaceId);
  return doc;
};

const reply = (doc: WorkspaceDoc) => ({ body: doc.view, etag: doc.revision });

export const workspaceHandlers = (deps: ConfigDeps) => ({
  getWorkspace: async (req: RequestOf<'getWorkspace'>) => reply(await workspaceById(deps, req.workspaceId)),
  getWorkspaceBySlug: async (req: RequestOf<'getWorkspaceBySlug'>) => {
    const [doc] = await deps.reads.find<WorkspaceDoc>(COLLECTION.workspaces, {
      where: { slug: req.slug },
      limit: 1,
    });
    if (!doc) throw notFound('workspace', req.slug);
    return reply(doc);
  },
  updateWorkspace: async (req: RequestOf<'updateWorkspace'>, ctx: RequestContext) => {
    const command = { type: 'UpdateWorkspace' as const, data: { ...req, email: req.email ?? null } };
    const stream = workspaceStream(req.workspaceId);
    const { revision } = await write(deps, stream, workspaceDecider, command, ctx, { ifMatch: true });
    return reply(await documentAfter(deps, workspacesProjection, { stream, id: req.workspaceId, revision }));
  },
});

/** The default workspace exists from the first start; seeding it again changes nothing. */
export const seedDefaultWorkspace = async (deps: ConfigDeps, ctx: RequestContext, customerId: string) => {
  const data = { workspaceId: DEFAULT_WORKSPACE_ID, customerId, name: 'default', slug: 'default' };
  await write(
    deps,
    workspaceStream(DEFAULT_WORKSPACE_ID),
    workspaceDecider,
    { type: 'CreateWorkspace', data },
    ctx,
  );
};
