import { UnresolvableValueError } from './errors.ts';

/** A CloudFormation template's resources, as `Template.toJSON()` gives them. */
export type Resources = Readonly<
  Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>
>;

/** Concrete names for the template's resources: what a test (or the twin) created locally. */
export interface Names {
  readonly account: string;
  readonly region: string;
  /** Physical names by logical id; a list stands for several resources (one construct each). */
  readonly byLogicalId: Readonly<Record<string, string | readonly string[]>>;
}

/**
 * Resolve Ref, Fn::GetAtt (Arn) and Fn::Join into concrete strings. A value may resolve to
 * several strings: a logical id bound to a list of names (the test's groups, say) stands for one
 * resource per name. An unbound resource gets its logical id as its name, which matches nothing
 * the tests create. Anything else (Fn::Sub, Fn::ImportValue...) is an error naming the value.
 */
export function resolveIntrinsics(value: unknown, resources: Resources, names: Names): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((v) => resolveIntrinsics(v, resources, names));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [fn, arg] = entries[0];
      if (fn === 'Ref' && typeof arg === 'string') return ref(arg, resources, names);
      if (fn === 'Fn::GetAtt' && Array.isArray(arg) && arg[1] === 'Arn') return arnOf(String(arg[0]), resources, names);
      if (fn === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
        const parts = (arg[1] as unknown[]).map((p) => resolveIntrinsics(p, resources, names));
        return product(parts).map((p) => p.join(arg[0] as string));
      }
    }
  }
  throw new UnresolvableValueError(`cannot resolve ${JSON.stringify(value)} into concrete strings`);
}

/** Resolve every intrinsic in a JSON document (a policy), keeping its shape; a multi-valued string becomes a list. */
export function resolveDocument(value: unknown, resources: Resources, names: Names): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (isIntrinsic(value)) {
    const resolved = resolveIntrinsics(value, resources, names);
    return resolved.length === 1 ? resolved[0] : resolved;
  }
  if (Array.isArray(value)) {
    return value.flatMap((v) => {
      const r = resolveDocument(v, resources, names);
      return typeof v === 'object' && v !== null && isIntrinsic(v) && Array.isArray(r) ? r : [r];
    });
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDocument(v, resources, names)]));
}

function isIntrinsic(value: object): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

const PSEUDO: Readonly<Record<string, (n: Names) => string>> = {
  'AWS::Partition': () => 'aws',
  'AWS::URLSuffix': () => 'amazonaws.com',
  'AWS::Region': (n) => n.region,
  'AWS::AccountId': (n) => n.account,
};

function ref(id: string, resources: Resources, names: Names): string[] {
  const pseudo = PSEUDO[id];
  if (pseudo !== undefined) return [pseudo(names)];
  if (resources[id] === undefined)
    throw new UnresolvableValueError(`Ref to '${id}', which the template does not define`);
  return namesOf(id, names);
}

function namesOf(id: string, names: Names): string[] {
  const bound = names.byLogicalId[id];
  if (bound === undefined) return [id];
  return typeof bound === 'string' ? [bound] : [...bound];
}

/** ARN formats by resource type, for the types prescale's role policies name. */
const ARNS: Readonly<Record<string, (name: string, n: Names) => string>> = {
  'AWS::S3::Bucket': (name) => `arn:aws:s3:::${name}`,
  'AWS::Lambda::Function': (name, n) => `arn:aws:lambda:${n.region}:${n.account}:function:${name}`,
  'AWS::CloudWatch::Alarm': (name, n) => `arn:aws:cloudwatch:${n.region}:${n.account}:alarm:${name}`,
  'AWS::Logs::LogGroup': (name, n) => `arn:aws:logs:${n.region}:${n.account}:log-group:${name}:*`,
  'AWS::IAM::Role': (name, n) => `arn:aws:iam::${n.account}:role/${name}`,
  'AWS::SNS::Topic': (name, n) => `arn:aws:sns:${n.region}:${n.account}:${name}`,
};

function arnOf(id: string, resources: Resources, names: Names): string[] {
  const resource = resources[id];
  if (resource === undefined)
    throw new UnresolvableValueError(`Fn::GetAtt of '${id}', which the template does not define`);
  const format = ARNS[resource.Type];
  if (format === undefined)
    throw new UnresolvableValueError(`no ARN format for ${resource.Type} ('${id}'): add one to ARNS`);
  return namesOf(id, names).map((name) => format(name, names));
}

function product(parts: readonly string[][]): string[][] {
  return parts.reduce<string[][]>((acc, options) => acc.flatMap((prefix) => options.map((o) => [...prefix, o])), [[]]);
}
