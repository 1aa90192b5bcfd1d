/**
 * Why a connector could not be started. The services answer `runtime.docker_unavailable` with 503 (retry
 * later) and `runtime.image_missing` with 422 (the definition names an image nobody can run).
 */
export type ConnectorRuntimeErrorCode = 'runtime.docker_unavailable' | 'runtime.image_missing';

export class ConnectorRuntimeError extends Error {
  override readonly name = 'ConnectorRuntimeError';
  readonly code: ConnectorRuntimeErrorCode;

  constructor(code: ConnectorRuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function imageMissing(image: string, where: string): ConnectorRuntimeError {
  return new ConnectorRuntimeError('runtime.image_missing', `image ${image} is not available ${where}`);
}

export function dockerUnavailable(detail: string, cause?: unknown): ConnectorRuntimeError {
  return new ConnectorRuntimeError('runtime.docker_unavailable', `no Docker engine answers: ${detail}`, {
    cause,
  });
}
