// The last stop before AWS changes: every answer, the flag that gives it, and the one command that repeats this
// run without the wizard. Its card (ReadyCard) is the rehearsal's confirm too.
import React, { useState } from 'react';
import { Text } from 'ink';
import type { ArchitectureChoice, WizardAnswers } from '../shared/services.ts';
import { architectureLine } from './Welcome.tsx';
import { Row } from '../shared/widgets.tsx';
import { useKeys } from '../shared/keys.tsx';
import { ReadyCard, ownerNote } from '../shared/ReadyCard.tsx';
import { equivalentCommand } from '../../domain/equivalent-command.ts';
import { escapeInvisible } from '../../domain/shown.ts';
import { domainResources } from '../../steps/domain-setup.ts';
import { DomainQuestion } from './DomainQuestion.tsx';
import type { CostEstimate } from '../../domain/cost.ts';
import { costGlance, costHeadline } from './Cost.tsx';
import { perMonth } from '../../domain/cost.ts';

export function Summary({ answers: given, certificateLabel, account, passThrough, architecture, cost, onConfirm, onBack }: { answers: WizardAnswers; certificateLabel: string; account?: string; passThrough: string[]; architecture?: ArchitectureChoice; cost?: CostEstimate; onConfirm(a: WizardAnswers): void; onBack(): void }) {
  // The optional last question, "Serve it on your own domain?", is one key away on this card (d), so a run that
  // keeps the self-signed certificate confirms exactly as before.
  const [asking, setAsking] = useState(false);
  const [domain, setDomain] = useState(given.domain);
  const [lines, setLines] = useState(false);
  const { domain: _saved, ...rest } = given;
  const answers: WizardAnswers = { ...rest, ...(domain ? { domain } : {}) };
  useKeys((input) => {
    if (!asking && input === 'd') setAsking(true);
    else if (!asking && input === 'c' && cost) setLines((x) => !x);
  });
  if (asking) return <DomainQuestion initial={domain ?? ''} onBack={() => setAsking(false)} onDone={(d) => { setDomain(d); setAsking(false); }} />;
  return (
    <ReadyCard
      title="Ready to deploy"
      ecosystem={answers.ecosystem}
      {...(answers.branch !== undefined ? { ecosystemNote: ownerNote(answers.branch) } : {})}
      commandNote="The same run without the wizard (every answer has a flag):"
      command={equivalentCommand(answers, passThrough)}
      question="Deploy now? (y/n)"
      go="deploy"
      onConfirm={() => onConfirm(answers)}
      onBack={onBack}
    >
      <Row label="Alarm e-mail">
        <Text>{escapeInvisible(answers.email)}</Text>
      </Row>
      <Row label="AWS">
        <Text>{account ? `account ${account}, ` : ''}region {answers.region ?? '(default)'}, profile {answers.profile ?? '(default chain)'}</Text>
      </Row>
      <Row label="Certificate">
        {(answers.domain ? `${domainResources(answers.domain, undefined)}; without a Route 53 zone for it, the records are printed for your DNS provider` : certificateLabel).split('\n').map((l) => (
          <Text key={l} wrap={answers.domain ? 'wrap' : 'truncate-middle'}>{l}</Text>
        ))}
      </Row>
      {architecture ? (
        <Row label="CPU">
          <Text>{architectureLine(architecture)}</Text>
        </Row>
      ) : null}
      {cost ? (
        <Row label="Cost">
          <Text>{costHeadline(cost)} ({cost.basis})</Text>
          <Text>{costGlance(cost)}</Text>
          {lines ? cost.lines.map((l) => <Text key={l.key}>{'  '}{l.what}: {perMonth(l.monthly)}</Text>) : <Text dimColor>c: the {cost.lines.length} line items</Text>}
        </Row>
      ) : null}
      <Row label="Domain">
        <Text>{answers.domain ?? 'none: self-signed, browsers warn'}</Text>
        <Text dimColor>d: {answers.domain ? 'change or clear it' : 'serve it on your own domain? (optional; a trusted certificate that renews itself)'}</Text>
      </Row>
      <Row label="Stacks">
        <Text>{answers.ecosystem}-hello-world-ecr, {answers.ecosystem}-hello-world-infra</Text>
      </Row>
    </ReadyCard>
  );
}
