// Screens 6 and 7: the live URL with what was created and what to do next; or the failure card with the failed
// step, the resource CloudFormation blamed, the hint and the log tail, and the choice to retry or quit.
import React from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../shared/keys.tsx';
import type { DeployResult } from '../../deploy/result.ts';
import { Card, Keys, Row } from '../shared/widgets.tsx';
import { Link, useTint } from '../shared/env.tsx';
import { deployAgainCommand } from '../../domain/equivalent-command.ts';


type Success = Extract<DeployResult, { ok: true }>;

export function ResultScreen({ result, email, ecosystem, onQuit }: { result: Success; email: string; ecosystem: string; onQuit(): void }) {
  const tint = useTint();
  useKeys((input, key) => {
    if (input === 'q' || key.return || key.escape) onQuit();
  });
  const created = Object.entries(result.created ?? {});
  const labelWidth = Math.max(16, ...created.map(([k]) => k.length + 3));
  return (
    <Box flexDirection="column">
      <Card title="Deployed" color="green">
        <Text>
          <Text color={tint('green')}>✔ Live at </Text>
          <Link url={result.url} />
        </Text>
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Created</Text>
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
          <Text color={tint('yellow')}>⚠ Confirm the SNS subscription: AWS sent an e-mail to {email}; CPU alarms arrive only after you click its link.</Text>
        </Box>
        <Box flexDirection="column" marginTop={1}>
          <Text bold>Next</Text>
          <Row label="  Try it" width={labelWidth}>
            <Text>curl -k {result.url}</Text>
            <Text dimColor>-k: the certificate is self-signed</Text>
          </Row>
          <Row label="  Deploy again" width={labelWidth}>
            <Text>{deployAgainCommand(ecosystem)}</Text>
            <Text dimColor>the answers are saved; only what changed is asked</Text>
          </Row>
          <Row label="  Remove" width={labelWidth}>
            <Text>aws cloudformation delete-stack --stack-name {result.stacks.infra}</Text>
            <Text dimColor>then the same for {result.stacks.ecr}</Text>
          </Row>
        </Box>
      </Card>
      <Keys hints={[['q', 'quit']]} />
    </Box>
  );
}

