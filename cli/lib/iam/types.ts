/** The Lambdas whose role policies the construct synthesizes, by the name the tests and the twin use. */
export const ROLE_NAMES = ['scaler', 'trainer', 'predict', 'ab-report'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** What IAM authorizes for one SDK call: the action, the resources it acts on and the request's condition keys. */
export interface IamRequest {
  /** e.g. 's3:GetObject'. */
  readonly action: string;
  /** ARNs, or '*' for actions without resource-level permissions. Every one must be allowed. */
  readonly resources: readonly string[];
  /** Condition keys the request carries, e.g. { 'cloudwatch:namespace': 'Prescale' }. */
  readonly context: Readonly<Record<string, string | readonly string[]>>;
}

/** One SDK call a Lambda's client made, as the recorder saw it. */
export interface IamCall {
  readonly role: RoleName;
  /** The SDK's names: 'S3Client', 'GetObjectCommand'. */
  readonly client: string;
  readonly command: string;
  /** Undefined when no IAM mapping is known for the command (iamRequestOf.ts): such a call counts as denied. */
  readonly request?: IamRequest;
  /** Why the request could not be mapped, when its input lacked what the mapping needs. */
  readonly mappingError?: string;
  /** HTTP status of the answer, once it came; undefined when none came (unreachable endpoint). */
  httpStatus?: number;
  /** Name of the error the call ended with, if any (e.g. 'NoSuchKey', 'AccessDenied'). */
  errorName?: string;
}

export interface CallVerdict {
  readonly call: IamCall;
  readonly allowed: boolean;
  /** Why: the decisive statement, or what no statement granted. */
  readonly reason: string;
}

/** What `prescale twin` and the integration tests report. */
export interface IamSummary {
  readonly calls: number;
  readonly denied: number;
  readonly deniedCalls: readonly {
    readonly role: RoleName;
    readonly command: string;
    readonly action?: string;
    readonly resources: readonly string[];
    readonly reason: string;
  }[];
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: unknown;
}

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly PolicyStatement[];
}

/** One identity policy of a role, with every CloudFormation intrinsic resolved. */
export interface RolePolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}
