// Outside rules, by their own ids: the checkov 3.3 CloudFormation checks and the AWS Guard Rules Registry rules
// (github.com/aws-cloudformation/aws-guard-rules-registry) that apply to the resource types of our two templates,
// re-encoded here so the check needs no extra tool: checkov is a 290 MB, 100-package install of about 50 s that
// calls out to its vendor for guidelines, and cfn-guard a Rust binary. Each predicate follows the rule's
// published logic for the properties our templates use, and where a rule's own logic is cruder than its title it
// follows the logic (ELBV2_ACM_CERTIFICATE_REQUIRED accepts only a literal ARN or a certificate resource).
// Cross-checked once against checkov 3.3.30's own report on these templates (README, "Outside rules").
// infra-rules.test.ts asserts that every failing rule has a written reason in the README; `npm run bench` records
// the pass/fail list in bench/results/latest.json.
import type { CfnResource, CfnTemplate, CfnValue } from '../../cli/domain/cfn-yaml.ts';

export type Source = 'checkov' | 'guard';
export interface OutsideRule {
  id: string;
  source: Source;
  title: string;
  types: string[];
  /** true: the resource passes; false: it fails. */
  check: (r: CfnResource, t: CfnTemplate) => boolean;
}
export interface RuleOutcome { id: string; source: Source; title: string; outcome: 'pass' | 'fail' | 'not applicable'; failing: string[] }

type Obj = Record<string, CfnValue>;
const obj = (v: CfnValue | undefined): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});
const list = (v: CfnValue | undefined): CfnValue[] => (Array.isArray(v) ? v : []);
const objs = (v: CfnValue | undefined): Obj[] => list(v).map(obj);
const p = (r: CfnResource): Obj => r.Properties ?? {};
const attr = (r: CfnResource, key: string) => objs(p(r)['LoadBalancerAttributes']).find((a) => a['Key'] === key)?.['Value'];
const ingress = (r: CfnResource) => objs(p(r)['SecurityGroupIngress']);
const egress = (r: CfnResource) => objs(p(r)['SecurityGroupEgress']);
const WORLD = (rule: Obj) => rule['CidrIp'] === '0.0.0.0/0' || rule['CidrIpv6'] === '::/0';
const covers = (rule: Obj, port: number) => rule['IpProtocol'] === '-1' || rule['IpProtocol'] === -1
  || (Number(rule['FromPort']) <= port && port <= Number(rule['ToPort']));
const statements = (doc: CfnValue | undefined): Obj[] => {
  const s = obj(doc)['Statement'];
  return Array.isArray(s) ? objs(s) : s === undefined ? [] : [obj(s)];
};
const asList = (v: CfnValue | undefined) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const inlineAllows = (r: CfnResource) => objs(p(r)['Policies']).flatMap((pol) => statements(pol['PolicyDocument'])).filter((s) => s['Effect'] === 'Allow');
const trustPrincipals = (r: CfnResource) => statements(p(r)['AssumeRolePolicyDocument']).map((s) => s['Principal']);
const isStar = (v: CfnValue | undefined) => v === '*' || asList(obj(v)['AWS']).includes('*');

const SG = ['AWS::EC2::SecurityGroup'];
const LB = ['AWS::ElasticLoadBalancingV2::LoadBalancer'];
const LISTENER = ['AWS::ElasticLoadBalancingV2::Listener'];
const ROLE = ['AWS::IAM::Role'];
const ECR = ['AWS::ECR::Repository'];
const LOGS = ['AWS::Logs::LogGroup'];
/**
 * A stricter stand-in for checkov's CKV_AWS_107–111, which each look for their own list of risky actions allowed on
 * Resource "*" (credentials, exfiltration, permissions, escalation, write): no inline Allow on Resource "*" at all.
 */
const noWildcardInline = (r: CfnResource) => inlineAllows(r).every((s) => !asList(s['Resource']).includes('*'));

export const RULES: OutsideRule[] = [
  // ---- checkov 3.3 (CloudFormation checks for these resource types)
  { id: 'CKV_AWS_2', source: 'checkov', title: 'ALB protocol is HTTPS', types: LISTENER,
    check: (r) => ['HTTPS', 'TLS', 'TCP', 'UDP', 'TCP_UDP'].includes(String(p(r)['Protocol'])) || objs(p(r)['DefaultActions']).every((a) => a['Type'] === 'redirect' && obj(a['RedirectConfig'])['Protocol'] === 'HTTPS') },
  { id: 'CKV_AWS_103', source: 'checkov', title: 'load balancer listener uses at least TLS 1.2', types: LISTENER,
    check: (r) => !['HTTPS', 'TLS'].includes(String(p(r)['Protocol'])) || /^ELBSecurityPolicy-(TLS-1-2|FS-1-2|TLS13-1-2|TLS13-1-3)/.test(String(p(r)['SslPolicy'])) },
  { id: 'CKV_AWS_131', source: 'checkov', title: 'ALB drops invalid HTTP headers', types: LB,
    check: (r) => p(r)['Type'] === 'network' || String(attr(r, 'routing.http.drop_invalid_header_fields.enabled')) === 'true' },
  { id: 'CKV_AWS_91', source: 'checkov', title: 'ELBv2 has access logging enabled', types: LB,
    check: (r) => String(attr(r, 'access_logs.s3.enabled')) === 'true' },
  { id: 'CKV_AWS_23', source: 'checkov', title: 'every security group rule has a description', types: SG,
    check: (r) => p(r)['GroupDescription'] !== undefined && [...ingress(r), ...egress(r)].every((x) => x['Description'] !== undefined) },
  ...([[22, 'CKV_AWS_24'], [3389, 'CKV_AWS_25'], [80, 'CKV_AWS_260']] as const).map(([port, id]): OutsideRule => ({
    id, source: 'checkov', title: `no security group allows ingress from 0.0.0.0/0 to port ${port}`, types: SG,
    check: (r) => !ingress(r).some((x) => WORLD(x) && covers(x, port)),
  })),
  { id: 'CKV_AWS_60', source: 'checkov', title: 'IAM role allows only specific services or principals to assume it', types: ROLE,
    check: (r) => !trustPrincipals(r).some(isStar) },
  { id: 'CKV_AWS_61', source: 'checkov', title: 'IAM role does not allow assume-role across all services', types: ROLE,
    check: (r) => !trustPrincipals(r).some((pr) => isStar(pr) || asList(obj(pr)['Service']).includes('*')) },
  ...([
    ['CKV_AWS_107', 'IAM policies do not allow credentials exposure'],
    ['CKV_AWS_108', 'IAM policies do not allow data exfiltration'],
    ['CKV_AWS_109', 'IAM policies do not allow permissions management without constraints'],
    ['CKV_AWS_110', 'IAM policies do not allow privilege escalation'],
    ['CKV_AWS_111', 'IAM policies do not allow write access without constraints'],
  ] as const).map(([id, title]): OutsideRule => ({ id, source: 'checkov', title, types: ROLE, check: noWildcardInline })),
  { id: 'CKV_AWS_65', source: 'checkov', title: 'Container Insights enabled on the ECS cluster', types: ['AWS::ECS::Cluster'],
    check: (r) => objs(p(r)['ClusterSettings']).some((s) => s['Name'] === 'containerInsights' && ['enabled', 'enhanced'].includes(String(s['Value']))) },
  { id: 'CKV_AWS_97', source: 'checkov', title: 'EFS volumes of ECS task definitions encrypt in transit', types: ['AWS::ECS::TaskDefinition'],
    check: (r) => objs(p(r)['Volumes']).every((v) => v['EFSVolumeConfiguration'] === undefined || obj(v['EFSVolumeConfiguration'])['TransitEncryption'] === 'ENABLED') },
  { id: 'CKV_AWS_66', source: 'checkov', title: 'CloudWatch log group specifies retention days', types: LOGS,
    check: (r) => p(r)['RetentionInDays'] !== undefined },
  { id: 'CKV_AWS_158', source: 'checkov', title: 'CloudWatch log group is encrypted by KMS', types: LOGS,
    check: (r) => p(r)['KmsKeyId'] !== undefined },
  { id: 'CKV_AWS_26', source: 'checkov', title: 'all data stored in the SNS topic is encrypted', types: ['AWS::SNS::Topic'],
    check: (r) => p(r)['KmsMasterKeyId'] !== undefined },
  { id: 'CKV_AWS_32', source: 'checkov', title: 'ECR policy is not public', types: ECR,
    check: (r) => !statements(p(r)['RepositoryPolicyText']).some((s) => s['Effect'] === 'Allow' && isStar(s['Principal'])) },
  { id: 'CKV_AWS_51', source: 'checkov', title: 'ECR image tags are immutable', types: ECR,
    check: (r) => String(p(r)['ImageTagMutability']).startsWith('IMMUTABLE') },
  { id: 'CKV_AWS_136', source: 'checkov', title: 'ECR repositories are encrypted using KMS', types: ECR,
    check: (r) => obj(p(r)['EncryptionConfiguration'])['EncryptionType'] === 'KMS' },
  { id: 'CKV_AWS_163', source: 'checkov', title: 'ECR image scanning on push is enabled', types: ECR,
    check: (r) => obj(p(r)['ImageScanningConfiguration'])['ScanOnPush'] === true },

  // ---- AWS Guard Rules Registry (rules/aws/…; the registry's ALB_WAF_ENABLED file holds no rule, so it is not here)
  { id: 'SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED', source: 'guard', title: 'subnets do not assign public IPs on launch', types: ['AWS::EC2::Subnet'],
    check: (r) => p(r)['MapPublicIpOnLaunch'] !== true && p(r)['MapPublicIpOnLaunch'] !== 'true' },
  { id: 'NO_UNRESTRICTED_ROUTE_TO_IGW', source: 'guard', title: 'no route sends 0.0.0.0/0 or ::/0 to an internet gateway', types: ['AWS::EC2::Route'],
    check: (r) => p(r)['GatewayId'] === undefined || !['0.0.0.0/0', '::/0'].includes(String(p(r)['DestinationCidrBlock'] ?? p(r)['DestinationIpv6CidrBlock'])) },
  { id: 'EC2_SECURITY_GROUP_INGRESS_OPEN_TO_WORLD_RULE', source: 'guard', title: 'no security group ingress from 0.0.0.0/0 or ::/0', types: SG,
    check: (r) => !ingress(r).some(WORLD) },
  { id: 'SECURITY_GROUP_INGRESS_CIDR_NON_32_RULE', source: 'guard', title: 'security group ingress address ranges are single hosts (/32, /128)', types: SG,
    check: (r) => ingress(r).every((x) => (x['CidrIp'] === undefined || /\/32$/.test(String(x['CidrIp']))) && (x['CidrIpv6'] === undefined || /\/128$/.test(String(x['CidrIpv6'])))) },
  { id: 'EC2_SECURITY_GROUP_EGRESS_OPEN_TO_WORLD_RULE', source: 'guard', title: 'no security group egress to 0.0.0.0/0 or ::/0', types: SG,
    check: (r) => !egress(r).some(WORLD) },
  { id: 'SECURITY_GROUP_MISSING_EGRESS_RULE', source: 'guard', title: 'every security group states its egress (none means allow-all)', types: SG,
    check: (r) => p(r)['SecurityGroupEgress'] !== undefined },
  { id: 'SECURITY_GROUP_EGRESS_ALL_PROTOCOLS_RULE', source: 'guard', title: 'no security group egress on all protocols (-1)', types: SG,
    check: (r) => !egress(r).some((x) => String(x['IpProtocol']) === '-1') },
  { id: 'SECURITY_GROUP_INGRESS_ALL_PROTOCOLS_RULE', source: 'guard', title: 'no security group ingress on all protocols (-1)', types: SG,
    check: (r) => !ingress(r).some((x) => String(x['IpProtocol']) === '-1') },
  { id: 'SECURITY_GROUP_EGRESS_PORT_RANGE_RULE', source: 'guard', title: 'security group egress opens single ports, not ranges', types: SG,
    check: (r) => egress(r).every((x) => x['FromPort'] === x['ToPort']) },
  { id: 'SECURITY_GROUP_INGRESS_PORT_RANGE_RULE', source: 'guard', title: 'security group ingress opens single ports, not ranges', types: SG,
    check: (r) => ingress(r).every((x) => x['FromPort'] === x['ToPort']) },
  { id: 'SECURITY_GROUP_DESCRIPTION_RULE', source: 'guard', title: 'security group rules have descriptions', types: SG,
    check: (r) => [...ingress(r), ...egress(r)].every((x) => x['Description'] !== undefined) },
  { id: 'INCOMING_SSH_DISABLED', source: 'guard', title: 'no SSH (22) from 0.0.0.0/0', types: SG,
    check: (r) => !ingress(r).some((x) => WORLD(x) && covers(x, 22)) },
  { id: 'RESTRICTED_INCOMING_TRAFFIC', source: 'guard', title: 'no ingress to ports 20, 21, 3389, 3306, 4333', types: SG,
    check: (r) => !ingress(r).some((x) => [20, 21, 3389, 3306, 4333].some((port) => covers(x, port))) },
  { id: 'ELB_DELETION_PROTECTION_ENABLED', source: 'guard', title: 'load balancers have deletion protection', types: LB,
    check: (r) => String(attr(r, 'deletion_protection.enabled')) === 'true' },
  { id: 'ELBV2_ACCESS_LOGGING_RULE', source: 'guard', title: 'ELBv2 access logging enabled', types: LB,
    check: (r) => String(attr(r, 'access_logs.s3.enabled')) === 'true' },
  { id: 'ALB_HTTP_DROP_INVALID_HEADER_ENABLED', source: 'guard', title: 'ALB drops invalid HTTP headers', types: LB,
    check: (r) => String(attr(r, 'routing.http.drop_invalid_header_fields.enabled')) === 'true' },
  { id: 'ELBV2_ACM_CERTIFICATE_REQUIRED', source: 'guard', title: 'HTTPS listeners use an ACM certificate (a literal ACM ARN or an AWS::CertificateManager::Certificate)', types: LISTENER,
    check: (r, t) => !['HTTPS', 'TLS'].includes(String(p(r)['Protocol'])) || (objs(p(r)['Certificates']).length > 0 && objs(p(r)['Certificates']).every((c) => {
      const arn = c['CertificateArn'];
      if (typeof arn === 'string') return /^arn:aws[a-z0-9-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]{1,64}/.test(arn);
      const ref = obj(arn)['Ref'];
      return typeof ref === 'string' && t.Resources[ref]?.Type === 'AWS::CertificateManager::Certificate';
    })) },
  { id: 'ELBV2_LISTENER_PROTOCOL_RULE', source: 'guard', title: 'ELBv2 listeners do not use plain HTTP', types: LISTENER,
    check: (r) => p(r)['Protocol'] !== 'HTTP' },
  { id: 'ELBV2_LISTENER_SSL_POLICY_RULE', source: 'guard', title: 'ELBv2 listeners set an SslPolicy of TLS 1.2 or later', types: LISTENER,
    check: (r) => p(r)['SslPolicy'] !== undefined && !/ELBSecurityPolicy-(2016-08|TLS-1-0-2015-04|TLS-1-1-2017-01|FS-2018-06|FS-1-1-2019-08|2015)/i.test(String(p(r)['SslPolicy'])) },
  { id: 'CLOUDWATCH_ALARM_ACTION_CHECK', source: 'guard', title: 'CloudWatch alarms have an action', types: ['AWS::CloudWatch::Alarm'],
    check: (r) => ['AlarmActions', 'OKActions', 'InsufficientDataActions'].some((k) => p(r)[k] !== undefined) },
  { id: 'CLOUDWATCH_LOG_GROUP_ENCRYPTED', source: 'guard', title: 'CloudWatch log groups are encrypted with a KMS key', types: LOGS,
    check: (r) => p(r)['KmsKeyId'] !== undefined },
  { id: 'CW_LOGGROUP_RETENTION_PERIOD_CHECK', source: 'guard', title: 'CloudWatch log groups set a valid retention', types: LOGS,
    check: (r) => [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653].includes(Number(p(r)['RetentionInDays'])) },
  { id: 'SNS_ENCRYPTED_KMS', source: 'guard', title: 'SNS topics are encrypted with KMS', types: ['AWS::SNS::Topic'],
    check: (r) => p(r)['KmsMasterKeyId'] !== undefined },
  { id: 'ECR_REPO_SCAN_ON_PUSH', source: 'guard', title: 'ECR repositories scan on push', types: ECR,
    check: (r) => obj(p(r)['ImageScanningConfiguration'])['ScanOnPush'] === true },
  { id: 'ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK', source: 'guard', title: 'host-mode task definitions run as a non-root user or privileged', types: ['AWS::ECS::TaskDefinition'],
    check: (r) => p(r)['NetworkMode'] !== 'host' || objs(p(r)['ContainerDefinitions']).every((c) => c['Privileged'] === true || (c['User'] !== undefined && !/^(root|0)(:|$)/.test(String(c['User'])))) },
  { id: 'IAM_NO_INLINE_POLICY_CHECK', source: 'guard', title: 'IAM roles have no inline policies', types: ROLE,
    check: (r) => list(p(r)['Policies']).length === 0 },
  { id: 'IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS', source: 'guard', title: 'no IAM policy statement allows "*" on "*"', types: ROLE,
    check: (r) => !inlineAllows(r).some((s) => asList(s['Action']).includes('*') && asList(s['Resource']).includes('*')) },
  { id: 'IAM_ROLE_ELEVATED_MANAGED_POLICY_RULE', source: 'guard', title: 'IAM roles have no PowerUserAccess or IAMFullAccess', types: ROLE,
    check: (r) => !list(p(r)['ManagedPolicyArns']).some((a) => /policy\/(PowerUserAccess|IAMFullAccess)$/.test(JSON.stringify(a))) },
];

/** Every rule against the templates: a rule fails when one resource of its types fails it. */
export function evaluate(templates: Record<string, CfnTemplate>): RuleOutcome[] {
  return RULES.map((rule) => {
    let applicable = 0;
    const failing: string[] = [];
    for (const [file, t] of Object.entries(templates)) {
      for (const [id, r] of Object.entries(t.Resources)) {
        if (!rule.types.includes(r.Type)) continue;
        applicable += 1;
        if (!rule.check(r, t)) failing.push(`${file}:${id}`);
      }
    }
    const outcome = applicable === 0 ? 'not applicable' : failing.length ? 'fail' : 'pass';
    return { id: rule.id, source: rule.source, title: rule.title, outcome, failing };
  });
}

/** The README's "Outside rules" section: the rules it says stay failing (with their reasons) and those it says pass. */
export function readmeRules(readme: string): { failing: Map<string, string>; passing: string[]; passingCount: number } {
  const start = readme.indexOf('### Outside rules');
  if (start < 0) return { failing: new Map(), passing: [], passingCount: NaN };
  const section = readme.slice(start, readme.indexOf('\n## ', start) < 0 ? undefined : readme.indexOf('\n## ', start));
  const failing = new Map<string, string>();
  for (const m of section.matchAll(/^\| `([A-Z0-9_]+)` \| [^|]+ \| (.+) \|$/gm)) failing.set(m[1]!, m[2]!.trim());
  const from = section.search(/^Passing \(\d+\): /m);
  const block = from < 0 ? null : /^Passing \((\d+)\): ([\s\S]*)$/.exec(section.slice(from).split('\n\n')[0]!);
  const passing = [...(block?.[2] ?? '').matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!);
  return { failing, passing, passingCount: Number(block?.[1] ?? NaN) };
}
