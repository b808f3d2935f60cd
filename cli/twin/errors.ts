/** A twin run that cannot start from the input given (a trace too short for --days, say). */
export class TwinInputError extends Error {
  override name = 'TwinInputError';
}
