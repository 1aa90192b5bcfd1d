export { startEventRelay } from './relay.ts';
export { startAuditTrail, auditEntry, AUDIT_COLLECTION } from './audit-trail.ts';
