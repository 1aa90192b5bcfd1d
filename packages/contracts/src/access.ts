import type { ApiTokenRole } from './models/api-tokens.ts';
import type { Operation } from './operations.ts';

/**
 * The role an operation needs (ADR 0009), derived from the operation table rather than listed path by path:
 * an operation reads when its deadline class is `read` (answered from read models) or its path ends in
 * `/get` (a definition's specification is a read that may run the connector to learn it). Everything else
 * changes something and needs `admin`, and so do the rows marked `adminOnly`, reads or not.
 */
export const roleRequired = (operation: Pick<Operation, 'deadline' | 'path' | 'adminOnly'>): ApiTokenRole =>
  !operation.adminOnly && (operation.deadline === 'read' || operation.path.endsWith('/get'))
    ? 'read'
    : 'admin';

/** `admin` may call everything, `read` only what needs no more. */
export const roleAllows = (role: ApiTokenRole, required: ApiTokenRole): boolean =>
  role === 'admin' || required === 'read';
