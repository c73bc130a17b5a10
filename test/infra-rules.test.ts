// What moto lets through and AWS does not (issue 12): each defect the templates had is asserted gone here, on the
// parsed templates, with a planted copy of the old defect to show the assertion can fail. The moto halves (what
// the emulator does with the same templates) are in infra-moto.test.ts.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCfnYaml, type CfnTemplate } from '../cli/domain/cfn-yaml.ts';
import { createdAfter, findCycle, referencedNames } from './support/template-graph.ts';
import { ROOT } from './support/paths.ts';

const INFRA_FILE = path.join(ROOT, 'infra', 'hello-world-infra.yaml');
const infraText = readFileSync(INFRA_FILE, 'utf8');
const infra = parseCfnYaml(infraText);
/** A fresh copy to plant an old defect in. */
const copy = (): CfnTemplate => structuredClone(infra);

describe('defect 1: creation (and so deletion) order', () => {
  /** [resource, what it must be created after]: each pair is a race AWS can lose when the edge is missing. */
  const ORDERS: [string, string, string][] = [
    ['LoadBalancer', 'InternetGatewayAttachment', 'an internet-facing ALB needs an attached gateway'],
    ['Service', 'DefaultPublicRoute', 'tasks pull from ECR through the default route'],
    ['Service', 'PublicSubnet1RouteTableAssociation', 'tasks in subnet 1 need its route table'],
    ['Service', 'PublicSubnet2RouteTableAssociation', 'tasks in subnet 2 need its route table'],
    ['Service', 'InternetGatewayAttachment', 'tasks with public IPs need an attached gateway'],
    ['Service', 'HttpsListener', 'ECS registers tasks in a target group only once a listener uses it'],
    ['DefaultPublicRoute', 'InternetGatewayAttachment', 'a route can target the gateway only once it is attached'],
  ];
  const missing = (t: CfnTemplate) => ORDERS.filter(([a, b]) => !createdAfter(t, a).has(b)).map(([a, b, why]) => `${a} after ${b} (${why})`);

  test('every order holds, through Ref, Fn::GetAtt, Fn::Sub and DependsOn', () => {
    assert.deepEqual(missing(infra), []);
  });

  test('the graph has no cycle (CloudFormation would refuse the template)', () => {
    assert.equal(findCycle(infra), undefined);
  });

  test('the template before the fix fails it: no DependsOn on the ALB, only the listener on the service', () => {
    const old = copy();
    delete old.Resources['LoadBalancer']!.DependsOn;
    old.Resources['Service']!.DependsOn = 'HttpsListener';
    assert.deepEqual(missing(old), [
      'LoadBalancer after InternetGatewayAttachment (an internet-facing ALB needs an attached gateway)',
      'Service after DefaultPublicRoute (tasks pull from ECR through the default route)',
      'Service after PublicSubnet1RouteTableAssociation (tasks in subnet 1 need its route table)',
      'Service after PublicSubnet2RouteTableAssociation (tasks in subnet 2 need its route table)',
      'Service after InternetGatewayAttachment (tasks with public IPs need an attached gateway)',
    ]);
  });

  test('the walker reads every reference form: Ref, both GetAtt forms, Sub strings, Sub variables, escapes', () => {
    const names = referencedNames({
      a: { Ref: 'A' },
      b: { 'Fn::GetAtt': ['B', 'Arn'] },
      c: { 'Fn::GetAtt': 'C.Name' },
      d: { 'Fn::Sub': 'x-${D}-${E.Name}-${AWS::Region}-${!Literal}' },
      f: { 'Fn::Sub': ['${Local}-${F}', { Local: { Ref: 'G' } }] },
    });
    assert.deepEqual([...names].sort(), ['A', 'AWS::Region', 'B', 'C', 'D', 'E', 'F', 'G']);
  });

  test('a cycle is found', () => {
    const t = copy();
    t.Resources['VPC']!.DependsOn = 'Service';
    const cycle = findCycle(t);
    assert.ok(cycle && cycle[0] === cycle[cycle.length - 1] && cycle.includes('VPC') && cycle.includes('Service'), String(cycle));
  });
});
