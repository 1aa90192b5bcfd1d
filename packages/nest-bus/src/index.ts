export { BusRpcContext, type OperationContext } from './context.ts';
export { OPERATION_DURATION, operationsController } from './controller.ts';
export { WireExceptionFilter } from './exception-filter.ts';
export { operationsModule, type OperationsModuleOptions } from './module.ts';
export { nestLoggerOf } from './nest-logger.ts';
export { LOGGER, METRICS, OPERATION_HANDLERS } from './tokens.ts';
export { BusTransport, type BusTransportOptions } from './transport.ts';
export {
  applicationModule,
  BUS,
  CONNECTOR_RUNTIME,
  EVENT_STORE,
  providedValues,
  READ_MODELS,
  READ_STORE,
  type ReadModels,
  SECRET_SEALER,
  type ServiceApplicationOptions,
  startServiceApplication,
  stopsAtShutdown,
  type Worker,
} from './ports.ts';
