import { appendFileSync } from 'node:fs';
import { expect } from 'vitest';
import { IamCheck, type IamCheckProps } from '../../cli/lib/iam/IamCheck.ts';
import type { IamBinding } from '../../cli/lib/iam/rolePolicies.ts';
import type { IamSummary } from '../../cli/lib/iam/types.ts';
import { LOCAL_AWS_CONFIG, type LocalAws } from './localAws.ts';

/** An IAM check in front of this test file's local endpoint, with the local credentials. */
export function startIamCheck(
  aws: LocalAws,
  binding: IamBinding,
  options: Pick<IamCheckProps, 'missingKeyRule' | 'editPolicies'> = {},
): Promise<IamCheck> {
  return IamCheck.start({ endpoint: aws.endpoint, binding, clientConfig: LOCAL_AWS_CONFIG, ...options });
}

/**
 * A test file's IAM assertion: every call the Lambda code made is allowed by its role's
 * synthesized policy, and the calls include `actions` (so a file that stopped recording fails).
 */
export async function expectEveryCallAllowed(iam: IamCheck, actions: readonly string[]): Promise<IamSummary> {
  const summary = await iam.summary();
  expect(summary.deniedCalls).toEqual([]);
  expect(iam.refused).toEqual([]);
  expect(iam.actions()).toEqual(expect.arrayContaining([...actions]));
  // For the closing count of calls checked: PRESCALE_IAM_COUNT_FILE=/tmp/x npx vitest run test/integration
  const countFile = process.env.PRESCALE_IAM_COUNT_FILE;
  if (countFile !== undefined) appendFileSync(countFile, `${summary.calls} ${summary.denied}\n`);
  return summary;
}
