import { DescribeAutoScalingGroupsCommand, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';

/** Names of the groups tagged `<key>=<value>` (e.g. `prescale:enabled=true`), following pages. */
export function discoverGroups(client: AutoScalingClient, key: string, value = 'true'): Promise<string[]> {
  return groupsMatching(client, { Name: `tag:${key}`, Values: [value] });
}

/** Names of the groups that carry a tag `key`, whatever its value. */
export function groupsWithTagKey(client: AutoScalingClient, key: string): Promise<string[]> {
  return groupsMatching(client, { Name: 'tag-key', Values: [key] });
}

async function groupsMatching(
  client: AutoScalingClient,
  filter: { Name: string; Values: string[] },
): Promise<string[]> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new DescribeAutoScalingGroupsCommand({ Filters: [filter], NextToken: token }));
    for (const g of page.AutoScalingGroups ?? []) if (g.AutoScalingGroupName) names.push(g.AutoScalingGroupName);
    token = page.NextToken;
  } while (token !== undefined);
  return names;
}
