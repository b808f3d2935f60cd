/** Base class for the errors the AWS adapters raise themselves (SDK errors pass through unchanged). */
export class AdapterError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AdapterError';
  }
}

/** The Auto Scaling group does not exist (or is not visible to this role). */
export class GroupNotFoundError extends AdapterError {
  constructor(readonly group: string) {
    super(`Auto Scaling group '${group}' not found`);
    this.name = 'GroupNotFoundError';
  }
}
