import type { IamEvaluator } from './IamEvaluator.ts';
import type { CallVerdict, IamCall, IamSummary } from './types.ts';

/** Every recorded call decided against its role's policies: the count, the denied count and each denied call with its reason. */
export async function summarizeIam(calls: readonly IamCall[], evaluator: IamEvaluator): Promise<IamSummary> {
  return summarizeVerdicts(await Promise.all(calls.map((c) => evaluator.evaluate(c))));
}

export function summarizeVerdicts(verdicts: readonly CallVerdict[]): IamSummary {
  const denied = verdicts.filter((v) => !v.allowed);
  return {
    calls: verdicts.length,
    denied: denied.length,
    deniedCalls: denied.map(({ call, reason }) => ({
      role: call.role,
      command: call.command,
      action: call.request?.action,
      resources: call.request?.resources ?? [],
      reason,
    })),
  };
}
