/** The request carries no usable token (HTTP 401). */
export class UnauthenticatedError extends Error {
  override readonly name = 'UnauthenticatedError';
}

/** The token is valid but its role or city may not do this (HTTP 403). */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}
