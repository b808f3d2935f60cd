/** A request the prediction service answers with an error status; the message is safe to return. */
export class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly parameter?: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** A query parameter is missing or bad (400); `parameter` names it. */
export class BadParameterError extends RequestError {
  constructor(parameter: string, message: string) {
    super(400, message, parameter);
    this.name = 'BadParameterError';
  }
}

/** No such path (404). */
export class NoSuchPathError extends RequestError {
  constructor(path: string) {
    super(404, `no such path '${path}'; try /forecast or /health`);
    this.name = 'NoSuchPathError';
  }
}

/** Only GET is served (405). */
export class MethodNotAllowedError extends RequestError {
  constructor(method: string) {
    super(405, `method ${method} not allowed; use GET`);
    this.name = 'MethodNotAllowedError';
  }
}

/** The group has too little data for the asked horizon (422). */
export class InsufficientDataError extends RequestError {
  constructor(message: string) {
    super(422, message);
    this.name = 'InsufficientDataError';
  }
}
