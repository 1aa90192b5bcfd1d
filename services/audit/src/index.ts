export { startEventRelay } from './relay.ts';
export { startAuditTrail, type AuditTrail } from './trail/projector.ts';
export { startAuditService, auditHandlers, type AuditService, type AuditServiceOptions } from './service.ts';
