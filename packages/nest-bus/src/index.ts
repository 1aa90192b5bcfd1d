export { BusRpcContext, type OperationContext } from './context.ts';
export { operationsController } from './controller.ts';
export { WireExceptionFilter } from './exception-filter.ts';
export { OPERATION_DURATION, OperationInterceptor, type OperationInterceptorOptions } from './interceptor.ts';
export { operationsModule, type OperationsModuleOptions } from './module.ts';
export { nestLoggerOf } from './nest-logger.ts';
export { LOGGER, METRICS, OPERATION_HANDLERS } from './tokens.ts';
export { BusTransport, type BusTransportOptions } from './transport.ts';
