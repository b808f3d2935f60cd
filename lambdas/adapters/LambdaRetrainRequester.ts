import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

/** Asks the trainer Lambda to retrain one group now, without waiting for it (an Event invoke). */
export class LambdaRetrainRequester {
  constructor(
    private readonly client: LambdaClient,
    private readonly trainerFunction: string,
  ) {}

  async request(group: string): Promise<void> {
    const out = await this.client.send(
      new InvokeCommand({
        FunctionName: this.trainerFunction,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify({ group })),
      }),
    );
    if (out.StatusCode !== 202)
      throw new Error(
        `trainer ${this.trainerFunction} did not accept the retraining request (status ${out.StatusCode})`,
      );
  }
}
