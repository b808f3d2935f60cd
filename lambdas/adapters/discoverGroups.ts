import { DescribeAutoScalingGroupsCommand, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';

/** Names of the groups tagged `<key>=<value>` (e.g. `prescale:enabled=true`), following pages. */
export async function discoverGroups(client: AutoScalingClient, key: string, value = 'true'): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new DescribeAutoScalingGroupsCommand({
      Filters: [{ Name: `tag:${key}`, Values: [value] }], NextToken: token,
    }));
    for (const g of page.AutoScalingGroups ?? []) if (g.AutoScalingGroupName) names.push(g.AutoScalingGroupName);
    token = page.NextToken;
  } while (token !== undefined);
  return names;
}
