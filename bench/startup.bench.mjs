// Start-up: `hello-deploy --help`, median of 10 runs, against `aws --version` (AWS CLI v2, the one the target was set
// against) and bare `node -e 0`, same run. AWS CLI v1 (PyPI's awscli) is measured too, for information only.
// Target: ≤ 90 ms and ≤ 0.1× AWS CLI v2.
import path from 'node:path';
import { ROOT, NODE, median, timeOnce, roundRobin, benchVenvTool, awsCliV2 } from './lib.mjs';

export async function run() {
  const bin = path.join(ROOT, 'bin', 'hello-deploy.js');
  const cmds = {
    hello: [NODE, [bin, '--help']],
    awsV2: [awsCliV2(), ['--version']],
    awsV1: [benchVenvTool('aws', 'awscli'), ['--version']],
    bare: [NODE, ['-e', '0']],
  };
  const runs = 10;
  // One warm-up each (the compile cache, the .pyc files, the page cache), as every run after a user's first is.
  for (const [cmd, args] of Object.values(cmds)) timeOnce(cmd, args);
  const times = roundRobin(Object.fromEntries(Object.entries(cmds).map(([k, [cmd, args]]) => [k, () => timeOnce(cmd, args)])), runs);
  const { hello, awsV2, awsV1, bare } = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, median(xs)]));
  const ratio = hello / awsV2;
  const ratioV1 = hello / awsV1;
  const pass = hello <= 0.09 && ratio <= 0.1;
  const ms = (s) => `${(s * 1000).toFixed(0)} ms`;
  return {
    name: 'startup',
    results: {
      runs, helloDeployHelpS: hello, awsVersionS: awsV2, awsCliVersion: '2.23.6', bareNodeS: bare, ratioVsAws: ratio,
      legacyAwsV1VersionS: awsV1, legacyRatioVsAwsV1: ratioV1,
    },
    pass,
    summary: `hello-deploy --help ${ms(hello)} (median of ${runs}), aws --version (AWS CLI v2.23.6) ${ms(awsV2)}, bare node ${ms(bare)}; ratio to AWS CLI v2 ${ratio.toFixed(3)} (target ≤ 90 ms and ≤ 0.1×)`
      + `\n  for information: legacy AWS CLI v1 (PyPI awscli) aws --version ${ms(awsV1)}, ratio ${ratioV1.toFixed(3)}`,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await run()).summary);
