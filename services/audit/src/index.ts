export { startEventRelay } from './relay.ts';
export { startAuditTrail, auditEntry, auditProjection, AUDIT_COLLECTION } from './audit-trail.ts';
