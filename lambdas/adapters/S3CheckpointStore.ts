import { randomBytes } from 'node:crypto';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Checkpoint, CheckpointManifest } from '../../models/forecast/types.ts';
import type { CheckpointStore, StoredCheckpoint } from '../../models/ports.ts';
import { CorruptCheckpointError } from '../../models/forecast/errors.ts';

export interface S3CheckpointStoreProps {
  readonly client: S3Client;
  readonly bucket: string;
  /** Key prefix, without a trailing slash. @default 'checkpoints' */
  readonly prefix?: string;
  /** Versions kept per group by `prune` (the promoted one is always kept). @default 10 */
  readonly keep?: number;
  /** Epoch milliseconds, for version ids. @default Date.now */
  readonly clockMs?: () => number;
}

interface Pointer {
  readonly version: string;
  readonly promotedAtMs: number;
  /** The version promoted before this one, for rollback. */
  readonly previous?: string;
}

/**
 * Checkpoints in S3, a versioned registry per group:
 * `<prefix>/<group>/<version>/manifest.json`, `<prefix>/<group>/<version>/blobs/<name>`, and
 * `<prefix>/<group>/promoted.json` pointing at the promoted version, written last.
 */
export class S3CheckpointStore implements CheckpointStore {
  private readonly prefix: string;
  private readonly keep: number;
  private readonly clockMs: () => number;

  constructor(private readonly props: S3CheckpointStoreProps) {
    this.prefix = props.prefix ?? 'checkpoints';
    this.keep = props.keep ?? 10;
    this.clockMs = props.clockMs ?? Date.now;
    if (!Number.isInteger(this.keep) || this.keep < 1)
      throw new RangeError(`'keep' must be a positive integer, got ${this.keep}`);
    if (this.prefix.endsWith('/')) throw new RangeError(`'prefix' must not end with '/', got '${this.prefix}'`);
  }

  async loadPromoted(group: string): Promise<StoredCheckpoint | undefined> {
    const pointer = await this.pointer(group);
    if (pointer === undefined) return undefined;
    return { version: pointer.version, checkpoint: await this.load(group, pointer.version) };
  }

  /** One version's checkpoint; a missing part is an error naming the key. */
  async load(group: string, version: string): Promise<Checkpoint> {
    const base = this.versionKey(group, version);
    const manifestText = await this.getText(`${base}/manifest.json`);
    if (manifestText === undefined) throw new CorruptCheckpointError(`checkpoint ${base} has no manifest.json`);
    const manifest = parseManifest(base, manifestText);
    const blobs: Record<string, Uint8Array> = {};
    for (const name of manifest.blobNames ?? []) {
      const bytes = await this.getBytes(`${base}/blobs/${encodeURIComponent(name)}`);
      if (bytes === undefined) throw new CorruptCheckpointError(`checkpoint ${base} is missing blob '${name}'`);
      blobs[name] = bytes;
    }
    delete manifest.blobNames;
    return { manifest, blobs };
  }

  async save(group: string, checkpoint: Checkpoint): Promise<string> {
    const time = new Date(this.clockMs())
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const version = `${time}-${randomBytes(3).toString('hex')}`;
    const base = this.versionKey(group, version);
    const names = Object.keys(checkpoint.blobs);
    for (const name of names) {
      await this.put(`${base}/blobs/${encodeURIComponent(name)}`, checkpoint.blobs[name], 'application/octet-stream');
    }
    // The manifest goes after the blobs it describes, and lists them, so a reader never finds a
    // manifest whose blobs are not there yet.
    await this.put(
      `${base}/manifest.json`,
      JSON.stringify({ ...checkpoint.manifest, blobNames: names }),
      'application/json',
    );
    return version;
  }

  async promote(group: string, version: string): Promise<void> {
    const manifest = await this.getText(`${this.versionKey(group, version)}/manifest.json`);
    if (manifest === undefined) throw new Error(`cannot promote ${group} version '${version}': it does not exist`);
    const current = await this.pointer(group);
    const pointer: Pointer = { version, promotedAtMs: this.clockMs(), previous: current?.version };
    await this.put(this.pointerKey(group), JSON.stringify(pointer), 'application/json');
  }

  /** Promote the version that was promoted before the current one. */
  async rollback(group: string): Promise<string> {
    const current = await this.pointer(group);
    if (current?.previous === undefined) throw new Error(`${group} has no earlier promoted version to roll back to`);
    await this.promote(group, current.previous);
    return current.previous;
  }

  async list(group: string): Promise<string[]> {
    const versions = new Set<string>();
    const base = `${this.prefix}/${group}/`;
    let token: string | undefined;
    do {
      const page = await this.props.client.send(
        new ListObjectsV2Command({ Bucket: this.props.bucket, Prefix: base, Delimiter: '/', ContinuationToken: token }),
      );
      for (const p of page.CommonPrefixes ?? []) {
        const version = p.Prefix?.slice(base.length, -1);
        if (version) versions.add(version);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return [...versions].sort();
  }

  /**
   * Keep `keep` versions: the promoted one and the one before it (for rollback), then the
   * newest others; delete the rest. Returns the deleted versions.
   */
  async prune(group: string): Promise<string[]> {
    const pointer = await this.pointer(group);
    const versions = await this.list(group);
    const kept = new Set(
      [pointer?.version, pointer?.previous].filter((v): v is string => v !== undefined && versions.includes(v)),
    );
    for (const v of [...versions].reverse()) if (kept.size < this.keep) kept.add(v);
    const doomed = versions.filter((v) => !kept.has(v));
    for (const version of doomed) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await this.props.client.send(
          new ListObjectsV2Command({
            Bucket: this.props.bucket,
            Prefix: `${this.versionKey(group, version)}/`,
            ContinuationToken: token,
          }),
        );
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token !== undefined);
      for (let i = 0; i < keys.length; i += 1000) {
        await this.props.client.send(
          new DeleteObjectsCommand({
            Bucket: this.props.bucket,
            Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })) },
          }),
        );
      }
    }
    return doomed;
  }

  private versionKey(group: string, version: string): string {
    return `${this.prefix}/${group}/${version}`;
  }

  private pointerKey(group: string): string {
    return `${this.prefix}/${group}/promoted.json`;
  }

  private async pointer(group: string): Promise<Pointer | undefined> {
    const text = await this.getText(this.pointerKey(group));
    return text === undefined ? undefined : (JSON.parse(text) as Pointer);
  }

  private async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    await this.props.client.send(
      new PutObjectCommand({ Bucket: this.props.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  private async getBytes(key: string): Promise<Uint8Array | undefined> {
    try {
      const out = await this.props.client.send(new GetObjectCommand({ Bucket: this.props.bucket, Key: key }));
      return out.Body === undefined ? new Uint8Array() : await out.Body.transformToByteArray();
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  private async getText(key: string): Promise<string | undefined> {
    const bytes = await this.getBytes(key);
    return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
  }
}

function parseManifest(base: string, text: string): CheckpointManifest & { blobNames?: string[] } {
  try {
    return JSON.parse(text) as CheckpointManifest & { blobNames?: string[] };
  } catch (error) {
    throw new CorruptCheckpointError(`checkpoint ${base} has a manifest.json that is not JSON`, { cause: error });
  }
}
