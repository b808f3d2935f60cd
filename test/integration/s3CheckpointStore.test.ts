import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NaiveForecaster, SeasonalNaiveForecaster } from '../../models/forecast/baselines.ts';
import { loadForecaster } from '../../models/forecast/registry.ts';
import { CorruptCheckpointError } from '../../models/forecast/errors.ts';
import { S3CheckpointStore } from '../../lambdas/adapters/S3CheckpointStore.ts';
import { syntheticLoad } from '../helpers/synthetic.ts';
import { LOCAL_AWS_CONFIG, startLocalAws, type LocalAws } from '../helpers/localAws.ts';

let aws: LocalAws;
let client: S3Client;
const bucket = 'prescale-checkpoints-test';

beforeAll(async () => {
  aws = await startLocalAws();
  client = new S3Client({ ...LOCAL_AWS_CONFIG, endpoint: aws.endpoint, forcePathStyle: true });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
});
afterAll(async () => {
  client?.destroy();
  await aws?.stop();
});

describe('S3CheckpointStore against the local endpoint', () => {
  it('saves versions, promotes by pointer, loads back exactly, rolls back and prunes', async () => {
    let now = Date.UTC(2026, 0, 5);
    const store = new S3CheckpointStore({ client, bucket, prefix: 'cp', keep: 2, clockMs: () => (now += 60_000) });
    expect(await store.loadPromoted('web')).toBeUndefined();
    const model = await new NaiveForecaster().fit(syntheticLoad(2));
    const checkpoint = model.toCheckpoint();
    const v1 = await store.save('web', checkpoint);
    expect(await store.loadPromoted('web')).toBeUndefined(); // saved, not promoted
    await store.promote('web', v1);
    const loaded = await store.loadPromoted('web');
    expect(loaded?.version).toBe(v1);
    expect(loadForecaster(loaded!.checkpoint).predict(6)).toEqual(model.predict(6));

    const v2 = await store.save('web', checkpoint);
    const v3 = await store.save('web', checkpoint);
    await store.promote('web', v3);
    expect(await store.list('web')).toEqual([v1, v2, v3]);
    expect(await store.rollback('web')).toBe(v1);
    expect((await store.loadPromoted('web'))?.version).toBe(v1);
    // keep 2: v1 is promoted and v3 its predecessor, so only v2 may go.
    expect(await store.prune('web')).toEqual([v2]);
    expect(await store.list('web')).toEqual([v1, v3]);
    await expect(store.promote('web', 'nope')).rejects.toThrow(/version 'nope': it does not exist/);
  });

  it('hands back a damaged blob so that loading the model fails loudly', async () => {
    const store = new S3CheckpointStore({ client, bucket, prefix: 'cp' });
    const model = await new SeasonalNaiveForecaster().fit(syntheticLoad(2));
    const version = await store.save('api', model.toCheckpoint());
    await store.promote('api', version);
    const names = Object.keys(model.toCheckpoint().blobs);
    expect(names.length).toBeGreaterThan(0);
    expect(loadForecaster((await store.loadPromoted('api'))!.checkpoint).predict(6)).toEqual(model.predict(6));
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `cp/api/${version}/blobs/${encodeURIComponent(names[0])}`,
        Body: new Uint8Array(8),
      }),
    );
    const loaded = await store.loadPromoted('api');
    expect(() => loadForecaster(loaded!.checkpoint)).toThrow(CorruptCheckpointError);
  });
});
