// The wizard's last question, optional: "Serve it on your own domain?" (--domain). Empty keeps the self-signed
// certificate; a name is checked as it is typed with the same rule as the flag (parseDomainName).
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../shared/keys.tsx';
import { Card, Field, Keys, Row, editText } from '../shared/widgets.tsx';
import { useTint } from '../shared/env.tsx';
import { parseDomainName } from '../../domain/domain-name.ts';

export function domainError(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  try {
    parseDomainName(value);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export function DomainQuestion({ initial = '', onDone, onBack }: { initial?: string; onDone(domain: string | undefined): void; onBack(): void }) {
  const tint = useTint();
  const [value, setValue] = useState(initial);
  const [tried, setTried] = useState(false);
  const error = domainError(value);
  useKeys((input, key) => {
    if (key.escape) return onBack();
    if (key.return) {
      setTried(true);
      if (error) return;
      return onDone(value.trim() === '' ? undefined : parseDomainName(value));
    }
    setValue((v) => editText(v, input, key) ?? v);
  });
  return (
    <Box flexDirection="column">
      <Card title="Serve it on your own domain? (optional)">
        <Row label="❯ Domain" width={16}>
          <Field value={value} focused placeholder="hello.example.com" />
          {tried && error ? <Text color={tint('red')}>✘ {error}</Text> : null}
          <Text dimColor>
            {value.trim() === ''
              ? 'Enter to skip: a self-signed certificate, free and instant, but browsers warn.'
              : 'A trusted ACM certificate that renews itself; needs a Route 53 zone for it (or a CNAME you add) and a few minutes once.'}
          </Text>
        </Row>
      </Card>
      <Keys hints={[['Enter', 'next'], ['Esc', 'back'], ['Ctrl-C', 'quit']]} />
    </Box>
  );
}
