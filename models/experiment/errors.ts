/** A trace or setting the experiment cannot run with; the message names the bad input. */
export class ExperimentInputError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExperimentInputError';
  }
}
