// Start-up: `hello-deploy --help`, median of 10 runs, against `aws --version` and bare `node -e 0`, same run.
// Target: ≤ 90 ms and ≤ 0.1× the AWS CLI.
import path from 'node:path';
import { ROOT, NODE, median, timeOnce, benchVenvTool } from './lib.mjs';

export async function run() {
  const aws = benchVenvTool('aws', 'awscli');
  const bin = path.join(ROOT, 'bin', 'hello-deploy.js');
  const runs = 10;
  timeOnce(NODE, [bin, '--help']); // warm the compile cache, as every run after a user's first is
  timeOnce(aws, ['--version']);
  const sample = (cmd, args) => median(Array.from({ length: runs }, () => timeOnce(cmd, args)));
  const hello = sample(NODE, [bin, '--help']);
  const awsCli = sample(aws, ['--version']);
  const bare = sample(NODE, ['-e', '0']);
  const ratio = hello / awsCli;
  const pass = hello <= 0.09 && ratio <= 0.1;
  const ms = (s) => `${(s * 1000).toFixed(0)} ms`;
  return {
    name: 'startup',
    results: { runs, helloDeployHelpS: hello, awsVersionS: awsCli, bareNodeS: bare, ratioVsAws: ratio },
    pass,
    summary: `hello-deploy --help ${ms(hello)} (median of ${runs}), aws --version ${ms(awsCli)}, bare node ${ms(bare)}; ratio to the AWS CLI ${ratio.toFixed(3)} (target ≤ 90 ms and ≤ 0.1×)`,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await run()).summary);
