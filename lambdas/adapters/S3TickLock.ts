import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * At most one scaler run applies a decision per group and tick: the first to create
 * `<prefix>/<group>/<tick>` (a conditional put, If-None-Match: *) wins; an overlapping run
 * gets 412 and leaves the group alone.
 */
export class S3TickLock {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix = 'locks',
  ) {}

  async claim(group: string, tickSeconds: number, owner: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: `${this.prefix}/${group}/${tickSeconds}`,
          Body: owner,
          IfNoneMatch: '*',
        }),
      );
      return true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 412 || status === 409) return false;
      throw error;
    }
  }
}
