// EC2, read only: how many VPCs the region holds, for the "VPCs per Region" quota (the default VPC counts), and
// what of a deleted stack's network is still there (destroy's leftover check).
import type { NetworkResource, NetworkType } from '../../domain/leftovers.ts';
import { clientConfig, type AwsOptions } from './config.ts';
import { callOnce } from './errors.ts';

export async function countVpcs(opts: AwsOptions): Promise<number> {
  const ec2 = await import('@aws-sdk/client-ec2');
  const client = new ec2.EC2Client((await clientConfig(opts)) as import('@aws-sdk/client-ec2').EC2ClientConfig);
  return callOnce(client, { service: 'EC2', operation: 'DescribeVpcs', endpoint: opts.endpointUrl }, async (c) => {
    let n = 0;
    let NextToken: string | undefined;
    for (let page = 0; page < 100; page++) {
      const out = await c.send(new ec2.DescribeVpcsCommand({ MaxResults: 1000, ...(NextToken ? { NextToken } : {}) }));
      n += out.Vpcs?.length ?? 0;
      NextToken = out.NextToken;
      if (!NextToken) break;
    }
    return n;
  });
}

/** The tag CloudFormation puts on what it creates, with the stack's name (stack-level tags, aws: prefix). */
const STACK_TAG = 'aws:cloudformation:stack-name';

/**
 * A stack's unnamed network resources that still exist, by the tag CloudFormation propagates to them
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-resource-tags.html: it adds
 * aws:cloudformation:stack-name, stack-id and logical-id; moto 5.2 tags every EC2 resource of a stack the same way,
 * measured in test/destroy-e2e.test.ts). EC2 filters on a tag with `tag:<key>`
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVpcs.html). One bounded call per type.
 */
export async function networkOfStack(opts: AwsOptions, stackName: string): Promise<NetworkResource[]> {
  const ec2 = await import('@aws-sdk/client-ec2');
  const Filters = [{ Name: `tag:${STACK_TAG}`, Values: [stackName] }];
  type Tagged = { Tags?: Array<{ Key?: string; Value?: string }> };
  const logicalId = (x: Tagged) => x.Tags?.find((t) => t.Key === 'aws:cloudformation:logical-id')?.Value;
  const of = (type: NetworkType, id: string | undefined, x: Tagged, extra: Partial<NetworkResource> = {}): NetworkResource[] => {
    const l = logicalId(x);
    return id ? [{ type, id, ...(l ? { logicalId: l } : {}), ...extra }] : [];
  };
  /** Every page of one Describe call, 100 a page (within each call's allowed range); a stack holds a handful. */
  const pages = async <O extends { NextToken?: string }>(operation: string, send: (c: import('@aws-sdk/client-ec2').EC2Client, token?: string) => Promise<O>): Promise<O[]> => {
    const client = new ec2.EC2Client((await clientConfig(opts)) as import('@aws-sdk/client-ec2').EC2ClientConfig);
    return callOnce(client, { service: 'EC2', operation, subject: `the network of stack ${stackName}`, endpoint: opts.endpointUrl }, async (c) => {
      const out: O[] = [];
      let token: string | undefined;
      for (let page = 0; page < 10; page++) {
        const o = await send(c, token);
        out.push(o);
        token = o.NextToken;
        if (!token) break;
      }
      return out;
    });
  };
  const page = (token?: string) => ({ Filters, MaxResults: 100, ...(token ? { NextToken: token } : {}) });
  const [vpcs, subnets, gateways, groups, tables] = await Promise.all([
    pages('DescribeVpcs', (c, t) => c.send(new ec2.DescribeVpcsCommand(page(t)))),
    pages('DescribeSubnets', (c, t) => c.send(new ec2.DescribeSubnetsCommand(page(t)))),
    pages('DescribeInternetGateways', (c, t) => c.send(new ec2.DescribeInternetGatewaysCommand(page(t)))),
    pages('DescribeSecurityGroups', (c, t) => c.send(new ec2.DescribeSecurityGroupsCommand(page(t)))),
    pages('DescribeRouteTables', (c, t) => c.send(new ec2.DescribeRouteTablesCommand(page(t)))),
  ]);
  return [
    ...vpcs.flatMap((p) => p.Vpcs ?? []).flatMap((v) => of('AWS::EC2::VPC', v.VpcId, v)),
    ...subnets.flatMap((p) => p.Subnets ?? []).flatMap((s) => of('AWS::EC2::Subnet', s.SubnetId, s)),
    ...gateways.flatMap((p) => p.InternetGateways ?? []).flatMap((g) => {
      const vpc = g.Attachments?.find((a) => a.VpcId && a.State !== 'detached')?.VpcId;
      return of('AWS::EC2::InternetGateway', g.InternetGatewayId, g, vpc ? { attachedVpc: vpc } : {});
    }),
    ...groups.flatMap((p) => p.SecurityGroups ?? []).flatMap((g) => of('AWS::EC2::SecurityGroup', g.GroupId, g)),
    ...tables.flatMap((p) => p.RouteTables ?? []).flatMap((t) => of('AWS::EC2::RouteTable', t.RouteTableId, t)),
  ];
}
