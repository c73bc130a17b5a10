// EC2, read only: how many VPCs the region holds, for the "VPCs per Region" quota (the default VPC counts).
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
