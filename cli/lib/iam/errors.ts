/** A value in the synthesized template that the resolver cannot turn into concrete strings. */
export class UnresolvableValueError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UnresolvableValueError';
  }
}

/** The synthesized template has no role, or no function, where the IAM check expects one. */
export class TemplateShapeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TemplateShapeError';
  }
}
