export { startEventRelay } from './relay.ts';
export { startAuditTrail, type AuditTrail } from './trail/projector.ts';
export { auditHandlers } from './service.ts';
export {
  AUDIT_SETTINGS,
  type AuditService,
  type AuditServiceOptions,
  type AuditSettings,
  auditModule,
  startAuditService,
} from './module.ts';
