import { runSimulation, type RunSimulationResults } from '@cloud-copilot/iam-simulate';
import type { CallVerdict, IamCall, RoleName, RolePolicy } from './types.ts';

interface Decision {
  readonly allowed: boolean;
  readonly reason: string;
}

interface StatementAnalysis {
  readonly policyId?: string;
  readonly statement?: { toJSON(): { Sid?: string; Resource?: unknown } };
  readonly actionMatch?: boolean;
  readonly resourceMatch?: boolean;
  readonly conditionMatch?: string;
  readonly explain?: {
    identifier?: string;
    conditions?: {
      operator: string;
      conditionKeyValue: string;
      values: { value: string }[] | { value: string };
      matches: boolean;
      failedBecauseMissing?: boolean;
    }[];
  };
}

/**
 * Decides each recorded call against its role's policies with an offline IAM policy evaluator
 * (@cloud-copilot/iam-simulate, strict mode: a condition key the request lacks fails the
 * condition, as in AWS). Identity policies only: the roles are in the bucket's own account and
 * the template has no resource policy that grants or denies them anything else.
 */
export class IamEvaluator {
  private readonly cache = new Map<string, Promise<Decision>>();
  private readonly policies = new Map<RoleName, readonly RolePolicy[]>();

  /** `policiesOf` gives a role's policies, asked once per role and only for roles that made calls. */
  constructor(
    private readonly policiesOf: (role: RoleName) => readonly RolePolicy[],
    private readonly account = '123456789012',
  ) {}

  /** The policies `role`'s calls are decided against. */
  policiesFor(role: RoleName): readonly RolePolicy[] {
    let policies = this.policies.get(role);
    if (policies === undefined) {
      policies = this.policiesOf(role);
      this.policies.set(role, policies);
    }
    return policies;
  }

  /** Allowed when every resource of the call is. */
  async evaluate(call: IamCall): Promise<CallVerdict> {
    const request = call.request;
    if (request === undefined)
      return {
        call,
        allowed: false,
        reason:
          call.mappingError ??
          `no IAM mapping for ${call.client} ${call.command}: add it to cli/lib/iam/iamRequestOf.ts`,
      };
    if (request.resources.length === 0)
      return { call, allowed: false, reason: `${request.action} names no resource to authorize` };
    const decisions = await Promise.all(
      request.resources.map((r) => this.decide(call.role, request.action, r, request.context)),
    );
    const denied = decisions.find((d) => !d.allowed);
    return denied === undefined
      ? { call, allowed: true, reason: decisions[0].reason }
      : { call, allowed: false, reason: denied.reason };
  }

  /** Whether `role` may do `action` on `resource` in a request carrying `context`, and why. */
  decide(
    role: RoleName,
    action: string,
    resource: string,
    context: Readonly<Record<string, string | readonly string[]>> = {},
  ): Promise<Decision> {
    const key = JSON.stringify([role, action, resource, context]);
    let decision = this.cache.get(key);
    if (decision === undefined) {
      decision = this.simulate(role, action, resource, context);
      this.cache.set(key, decision);
    }
    return decision;
  }

  private async simulate(
    role: RoleName,
    action: string,
    resource: string,
    context: Readonly<Record<string, string | readonly string[]>>,
  ): Promise<Decision> {
    const what = `${role} ${action} on ${resource}${describeContext(context)}`;
    const result = await runSimulation(
      {
        request: {
          principal: `arn:aws:iam::${this.account}:role/prescale-${role}`,
          action,
          resource: { resource, accountId: accountOf(resource) ?? this.account },
          contextVariables: Object.fromEntries(
            Object.entries(context).map(([k, v]) => [k, typeof v === 'string' ? v : [...v]]),
          ),
        },
        identityPolicies: this.policiesFor(role).map((p) => ({ name: p.name, policy: p.document })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      { simulationMode: 'Strict' },
    );
    if (result.resultType === 'error')
      return { allowed: false, reason: `${what}: the evaluator refused the request: ${result.errors.message}` };
    const statements = identityStatements(result);
    if (result.overallResult === 'Allowed')
      return { allowed: true, reason: `${what}: allowed by ${statements.allow.map(name).join(', ')}` };
    if (result.overallResult === 'ExplicitlyDenied')
      return { allowed: false, reason: `${what}: explicitly denied by ${statements.deny.map(name).join(', ')}` };
    const nearMisses = statements.unmatched.filter((s) => s.actionMatch).map(whyNot);
    return {
      allowed: false,
      reason: `${what}: implicitly denied, no statement allows it${nearMisses.length > 0 ? `; ${nearMisses.join('; ')}` : ''}`,
    };
  }
}

function identityStatements(result: Exclude<RunSimulationResults, { resultType: 'error' }>) {
  const analyses = result.resultType === 'single' ? [result.result] : result.results;
  const pick = (field: 'allowStatements' | 'denyStatements' | 'unmatchedStatements') =>
    analyses.flatMap(
      (a) =>
        ((a.analysis.identityAnalysis as Record<string, unknown> | undefined)?.[field] ?? []) as StatementAnalysis[],
    );
  return { allow: pick('allowStatements'), deny: pick('denyStatements'), unmatched: pick('unmatchedStatements') };
}

function name(s: StatementAnalysis): string {
  const id = s.statement?.toJSON().Sid ?? `#${s.explain?.identifier ?? '?'}`;
  return `${s.policyId ?? 'a policy'} statement ${id}`;
}

/** Why a statement for the right action did not allow the request. */
function whyNot(s: StatementAnalysis): string {
  if (s.resourceMatch === false)
    return `${name(s)} allows the action on ${JSON.stringify(s.statement?.toJSON().Resource)} only`;
  const unmet = (s.explain?.conditions ?? [])
    .filter((c) => !c.matches)
    .map((c) => {
      const values = (Array.isArray(c.values) ? c.values : [c.values]).map((v) => v.value);
      const absent = c.failedBecauseMissing ? ', a key the request does not carry' : '';
      return `${c.operator} ${c.conditionKeyValue} ${JSON.stringify(values)}${absent}`;
    });
  return unmet.length > 0 ? `${name(s)} needs ${unmet.join(' and ')}` : `${name(s)} does not apply`;
}

function describeContext(context: Readonly<Record<string, string | readonly string[]>>): string {
  const entries = Object.entries(context);
  return entries.length === 0 ? '' : ` with ${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`;
}

/** The account field of an ARN, when it has one (S3 bucket and object ARNs have none). */
function accountOf(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account === undefined || account === '' ? undefined : account;
}
