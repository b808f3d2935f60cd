import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DriftState } from '../../models/policy/drift.ts';

/** The scaler's per-group memory of its recent forecasts, at `<prefix>/<group>/drift.json`. */
export class S3DriftStateStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix = 'state',
  ) {}

  async get(group: string): Promise<DriftState | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(group) }));
      const text = await out.Body?.transformToString();
      return text === undefined ? undefined : (JSON.parse(text) as DriftState);
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      if (error instanceof SyntaxError) return undefined; // a damaged state file is forgotten, not fatal
      throw error;
    }
  }

  async put(group: string, state: DriftState): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key(group),
        Body: JSON.stringify(state),
        ContentType: 'application/json',
      }),
    );
  }

  private key(group: string): string {
    return `${this.prefix}/${group}/drift.json`;
  }
}
