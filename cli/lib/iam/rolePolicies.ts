import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../../lambdas/common/env.ts';
import { AbExperimentStack, PrescaleStack } from '../../../lib/index.ts';
import { TemplateShapeError } from './errors.ts';
import { resolveDocument, type Resources } from './resolveIntrinsics.ts';
import type { PolicyDocument, RoleName, RolePolicy } from './types.ts';

/** The local resources the synthesized template's resources stand for. */
export interface IamBinding {
  /** @default '123456789012' (moto's account) */
  readonly account?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** The bucket the Lambdas keep checkpoints, locks, state and reports in. */
  readonly bucket: string;
  /**
   * The groups prescale manages. The construct grants writes on its one group; a test that runs
   * one scaler over several groups stands for one construct per group, so the group statements
   * are granted for each of these. @default none
   */
  readonly groups?: readonly string[];
  /** The function the scaler invokes to retrain. @default none */
  readonly trainerFunction?: string;
  /** The reactive scale-out alarm the scaler reads. @default none */
  readonly scaleOutAlarm?: string;
}

type StackName = 'demo' | 'ab';

/** Where each role lives: the demo app's stacks (bin/app.ts), found by the role's description. */
const ROLES: Readonly<Record<RoleName, { readonly stack: StackName; readonly description: string }>> = {
  scaler: { stack: 'demo', description: 'prescale scaler' },
  trainer: { stack: 'demo', description: 'prescale trainer' },
  predict: { stack: 'demo', description: 'prescale predict' },
  'ab-report': { stack: 'ab', description: 'prescale ab-report' },
};

const synthesized = new Map<StackName, Resources>();

/**
 * One of the demo app's stacks (bin/app.ts), synthesized in-process as it is built there
 * (environment-agnostic), once per process. The Lambda code is a stub and CDK's own template
 * validation is off: the policies depend on neither, and the validation's start-up costs seconds.
 */
export function synthesizedResources(stack: StackName): Resources {
  let resources = synthesized.get(stack);
  if (resources === undefined) {
    const assets = mkdtempSync(join(tmpdir(), 'prescale-iam-'));
    for (const name of ['scaler', 'trainer', 'predict', 'abReport']) {
      mkdirSync(join(assets, name));
      writeFileSync(join(assets, name, 'index.mjs'), 'export const handler = () => {};\n');
    }
    const app = new App({ builtinCloudFormationValidation: false });
    const built =
      stack === 'demo'
        ? new PrescaleStack(app, 'PrescaleDemo', { predictive: { lambdaAssetDir: assets } })
        : new AbExperimentStack(app, 'PrescaleAbExperiment', { lambdaAssetDir: assets });
    resources = (Template.fromStack(built).toJSON() as { Resources: Resources }).Resources;
    rmSync(assets, { recursive: true, force: true });
    synthesized.set(stack, resources);
  }
  return resources;
}

/** A role's identity policies from the synthesized template, resolved for `binding`. */
export function rolePolicies(binding: IamBinding, role: RoleName): RolePolicy[] {
  const { stack, description } = ROLES[role];
  return policiesOf(synthesizedResources(stack), description, binding);
}

function policiesOf(resources: Resources, description: string, binding: IamBinding): RolePolicy[] {
  const roleId = only(
    Object.keys(resources).filter(
      (id) => resources[id].Type === 'AWS::IAM::Role' && resources[id].Properties?.Description === description,
    ),
    `role described '${description}'`,
  );
  const role = resources[roleId].Properties ?? {};
  if (role.ManagedPolicyArns !== undefined)
    throw new TemplateShapeError(`role '${description}' has managed policies, which cannot be evaluated offline`);
  const fnId = only(
    Object.keys(resources).filter((id) => {
      const r = resources[id];
      return (
        r.Type === 'AWS::Lambda::Function' &&
        JSON.stringify(r.Properties?.Role) === JSON.stringify({ 'Fn::GetAtt': [roleId, 'Arn'] })
      );
    }),
    `function of the role described '${description}'`,
  );
  const names = {
    account: binding.account ?? '123456789012',
    region: binding.region ?? 'us-east-1',
    byLogicalId: logicalNames(resources, fnId, binding),
  };
  const inline = ((role.Policies as { PolicyName: string; PolicyDocument: unknown }[] | undefined) ?? []).map((p) => ({
    name: p.PolicyName,
    raw: p.PolicyDocument,
  }));
  const attached = Object.entries(resources)
    .filter(
      ([, r]) =>
        r.Type === 'AWS::IAM::Policy' &&
        ((r.Properties?.Roles as unknown[] | undefined) ?? []).some(
          (ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleId }),
        ),
    )
    .map(([id, r]) => ({ name: String(r.Properties?.PolicyName ?? id), raw: r.Properties?.PolicyDocument }));
  return [...inline, ...attached].map(({ name, raw }) => {
    const document = resolveDocument(raw, resources, names) as PolicyDocument;
    // A statement on the group with no group bound grants nothing: drop it rather than leave `Resource: []`.
    const granting = document.Statement.filter((s) => !(Array.isArray(s.Resource) && s.Resource.length === 0));
    return { name, document: { ...document, Statement: granting } };
  });
}

/** The template's logical ids bound to the binding's names, read off the function's environment. */
function logicalNames(
  resources: Resources,
  fnId: string,
  binding: IamBinding,
): Record<string, string | readonly string[]> {
  const env =
    (resources[fnId].Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
  const refOf = (name: string) => (env[name] as { Ref?: string } | undefined)?.Ref;
  const bound: Record<string, string | readonly string[]> = {};
  const bucketId = refOf(ENV.bucket);
  if (bucketId === undefined)
    throw new TemplateShapeError(`function '${fnId}' has no ${ENV.bucket} referring to a bucket`);
  bound[bucketId] = binding.bucket;
  const trainerId = refOf(ENV.trainerFunction);
  if (trainerId !== undefined && binding.trainerFunction !== undefined) bound[trainerId] = binding.trainerFunction;
  const alarmId = refOf(ENV.scaleOutAlarm);
  if (alarmId !== undefined && binding.scaleOutAlarm !== undefined) bound[alarmId] = binding.scaleOutAlarm;
  for (const [id, r] of Object.entries(resources))
    if (r.Type === 'AWS::AutoScaling::AutoScalingGroup') bound[id] = binding.groups ?? [];
  return bound;
}

function only(ids: string[], what: string): string {
  if (ids.length !== 1)
    throw new TemplateShapeError(`expected one ${what} in the synthesized template, found ${ids.length}`);
  return ids[0];
}
