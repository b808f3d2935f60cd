/** Base class for every forecasting error. */
export class ForecastError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ForecastError';
  }
}

/** A checkpoint written by a format this version does not understand. */
export class CheckpointFormatError extends ForecastError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CheckpointFormatError';
  }
}

/** A checkpoint whose parts are missing, truncated or do not match their digests. */
export class CorruptCheckpointError extends ForecastError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CorruptCheckpointError';
  }
}

/** A model asked to predict before it was fitted or loaded. */
export class NotFittedError extends ForecastError {
  constructor(model: string) {
    super(`model '${model}' must be fitted or loaded from a checkpoint before it can predict`);
    this.name = 'NotFittedError';
  }
}

/** The history is too short or otherwise unusable for a model. */
export class InsufficientHistoryError extends ForecastError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InsufficientHistoryError';
  }
}
