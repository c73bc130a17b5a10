// Screens 6 and 7: the live URL with what was created and what to do next; or the failure card with the failed
// step, the resource CloudFormation blamed, the hint and the log tail, and the choice to retry or quit.
import React from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../shared/keys.tsx';
import type { DeployResult } from '../../deploy/result.ts';
import { Card, Keys, Row } from '../shared/widgets.tsx';
import { Link, useTint } from '../shared/env.tsx';
import { deployAgainCommand, lifecycleArgs, lifecycleCommand, type AwsCliTarget, type LifecycleCommand } from '../../domain/equivalent-command.ts';
import type { StepView } from '../shared/progress-model.ts';
import { ReportAbove } from '../shared/session.tsx';
import { saysNoChanges } from '../../steps/stack-deploy.ts';
import { escapeInvisible, shown } from '../../domain/shown.ts';
import { SMOKE_SKIPPED } from '../../steps/report-result.ts';

type Success = Extract<DeployResult, { ok: true }>;

/** What the run's steps say beyond the result event: whether the URL was checked, whether anything changed. */
export interface RunFacts {
  /** Why the URL was not checked (the smoke step was skipped: on an emulator). */
  notChecked?: string;
  /** Both stacks needed no changes. */
  unchanged: boolean;
}

export function runFacts(steps: StepView[]): RunFacts {
  const smoke = steps.find((s) => s.id === 'result');
  const stacks = steps.filter((s) => s.id === 'deploy-ecr-stack' || s.id === 'deploy-infra-stack');
  const unchanged = stacks.length > 0 && stacks.every((s) => s.status === 'succeeded' && saysNoChanges(s.summary));
  if (smoke?.status !== 'skipped') return { unchanged };
  const reason = smoke.reason ?? 'skipped';
  return { unchanged, notChecked: reason.startsWith(SMOKE_SKIPPED) ? reason.slice(SMOKE_SKIPPED.length) : reason };
}

export interface ResultProps {
  result: Success;
  email: string;
  ecosystem: string;
  /** The git branch that owns the ecosystem (it was derived from it): "Deploy again" leaves the name to the branch. */
  branch?: string;
  /** The run-shaping flags (--endpoint-url, --registry, --deploy-method …) that "deploy again" repeats. */
  passThrough?: string[];
  /** Where the stacks are, so "Remove" reaches them (an emulator's endpoint included). */
  target?: AwsCliTarget;
  facts?: RunFacts;
  onQuit(): void;
  /** Leaves the wizard for `hello-deploy status|logs|destroy` on this ecosystem, in this terminal (s, l, d). */
  onOpen?(args: string[]): void;
}

/** The keys that open a lifecycle command from the result screen. */
const OPEN_KEYS: ReadonlyArray<[string, LifecycleCommand]> = [['s', 'status'], ['l', 'logs'], ['d', 'destroy']];

/** The result: the report printed once above, the outcome and the URL live below it (ReportAbove). */
export function ResultScreen(props: ResultProps) {
  const tint = useTint();
  const { result, facts = { unchanged: false }, onQuit, onOpen, ecosystem, target = {} } = props;
  useKeys((input, key) => {
    if (input === 'q' || key.return || key.escape) onQuit();
    const open = OPEN_KEYS.find(([k]) => k === input);
    if (open && onOpen) onOpen(lifecycleArgs(open[1], ecosystem, target));
  });
  return (
    <ReportAbove id="result" report={<ResultReport {...props} />}>
      <Text>
        <Text color={tint(facts.notChecked === undefined ? 'green' : 'yellow')}>{facts.notChecked === undefined ? '✔ Live at ' : 'URL (not checked) '}</Text>
        <Link url={result.url} />
      </Text>
      <Keys hints={[...(onOpen ? OPEN_KEYS.map(([k, c]): [string, string] => [k, c]) : []), ['q', 'quit'], ['', 'the URL and commands are printed whole on the way out']]} />
    </ReportAbove>
  );
}

/** What a person copies after a deploy, whole and unboxed: printed to the scrollback when the wizard ends. */
export function resultAfterword({ result, ecosystem, branch, passThrough = [], target = {}, facts = { unchanged: false }, command }: Omit<ResultProps, 'onQuit' | 'email'> & { command?: string }): string {
  const rows: Array<[string, string]> = [
    ['URL', result.url],
    ['ECR stack', result.stacks.ecr],
    ['Infra stack', result.stacks.infra],
    ['Image', result.image],
    ...Object.entries(result.created ?? {}),
    ...(facts.notChecked === undefined ? [['Try it', `curl ${result.domain ? '' : '-k '}${result.url}`] as [string, string]] : []),
    ...(result.domain ? [['Certificate', `trusted, ACM-managed for ${result.domain}: it renews automatically`] as [string, string]] : []),
    ['Deploy again', deployAgainCommand(ecosystem, passThrough, branch)],
    ...(command ? [['Without the wizard', command] as [string, string]] : []),
    ['Status', lifecycleCommand('status', ecosystem, target)],
    ['Logs', lifecycleCommand('logs', ecosystem, target)],
    ['Remove', lifecycleCommand('destroy', ecosystem, target)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  // Values come from CloudFormation's outputs and our own names: escaped all the same, so nothing in them is a
  // terminal control sequence.
  const lines = rows.map(([k, v]) => `  ${k.padEnd(width)}${escapeInvisible(v)}`);
  return [`hello-deploy: ${ecosystem} deployed${facts.unchanged ? ' (no changes)' : ''}${facts.notChecked === undefined ? '' : `; URL not checked: ${facts.notChecked}`}`, ...lines].join('\n');
}

/** The whole report of a successful deploy: what was created, the alarm e-mail, and what to do next. */
export function ResultReport({ result, email, ecosystem, branch, passThrough = [], target = {}, facts = { unchanged: false } }: Omit<ResultProps, 'onQuit'>) {
  const tint = useTint();
  const created = Object.entries(result.created ?? {});
  const labelWidth = Math.max(16, ...created.map(([k]) => k.length + 3));
  return (
    <Box flexDirection="column">
      <Card title={facts.unchanged ? 'Deployed: no changes' : 'Deployed'} color="green">
        {facts.notChecked === undefined ? (
          <Text>
            <Text color={tint('green')}>✔ Live at </Text>
            <Link url={result.url} />
          </Text>
        ) : (
          <Box flexDirection="column">
            <Text>
              <Text color={tint('yellow')}>URL </Text>
              <Link url={result.url} />
            </Text>
            <Text color={tint('yellow')}>not checked: {facts.notChecked}</Text>
          </Box>
        )}
        <Box flexDirection="column" marginTop={1}>
          <Text bold>{facts.unchanged ? 'No changes: already deployed' : 'Created'}</Text>
          <Row label="  ECR stack" width={labelWidth}>
            <Text>{result.stacks.ecr}</Text>
          </Row>
          <Row label="  Infra stack" width={labelWidth}>
            <Text>{result.stacks.infra}</Text>
          </Row>
          <Row label="  Image" width={labelWidth}>
            <Text wrap="truncate-middle">{result.image}</Text>
          </Row>
          {created.map(([k, v]) => (
            <Row key={k} label={`  ${k}`} width={labelWidth}>
              <Text wrap="truncate-middle">{v}</Text>
            </Row>
          ))}
        </Box>
        <Box marginTop={1}>
          {target.endpointUrl ? (
            // An emulator sends no e-mail: promising one would send the person looking for a message that never comes.
            <Text dimColor>The alarm's e-mail subscription to {escapeInvisible(email)} exists only in the emulator: no e-mail is sent.</Text>
          ) : (
            <Text color={tint('yellow')}>⚠ Confirm the SNS subscription: AWS sent an e-mail to {escapeInvisible(email)}; CPU alarms arrive only after you click its link.</Text>
          )}
        </Box>
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Next</Text>
          {facts.notChecked === undefined ? (
            <Row label="  Try it" width={labelWidth}>
              <Text>curl {result.domain ? '' : '-k '}{result.url}</Text>
              <Text dimColor>{result.domain ? `the certificate for ${result.domain} is trusted (ACM) and renews automatically` : '-k: the certificate is self-signed'}</Text>
            </Row>
          ) : null}
          <Row label="  Deploy again" width={labelWidth}>
            <Text>{deployAgainCommand(ecosystem, passThrough, branch)}</Text>
            <Text dimColor>the answers are saved; only what changed is asked{branch !== undefined ? `; on git branch ${shown(branch)}, which names ${ecosystem}` : ''}</Text>
          </Row>
          <Row label="  Status" width={labelWidth}>
            <Text>{lifecycleCommand('status', ecosystem, target)}</Text>
            <Text dimColor>is it up, and if not, why</Text>
          </Row>
          <Row label="  Logs" width={labelWidth}>
            <Text>{lifecycleCommand('logs', ecosystem, target)}</Text>
          </Row>
          <Row label="  Remove" width={labelWidth}>
            <Text>{lifecycleCommand('destroy', ecosystem, target)}</Text>
            <Text dimColor>both stacks, the images and the imported certificate; it asks first</Text>
          </Row>
        </Box>
      </Card>
    </Box>
  );
}

