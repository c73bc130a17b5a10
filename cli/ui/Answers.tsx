// Screen 2: the two answers only a person can give. Each is validated as it is typed, with the same rules the
// flags go through (--ecosystem, --email), so what the wizard accepts, `--yes` accepts too.
import React, { useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './keys.tsx';
import { sanitizeEcosystem, validateEcosystem } from '../engine/ecosystem.ts';
import { EMAIL } from '../commands/deploy-options.ts';
import { Card, Field, Keys, Row, editText } from './widgets.tsx';
import { useTint } from './env.tsx';

export interface EcosystemCheck {
  error?: string;
  /** The sanitized form, when it differs from what was typed and is usable. */
  suggestion?: string;
}

export function checkEcosystem(value: string): EcosystemCheck {
  try {
    validateEcosystem(value);
    return {};
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    try {
      const s = sanitizeEcosystem(value);
      return s !== value ? { error, suggestion: s } : { error };
    } catch {
      return { error };
    }
  }
}

export function checkEmail(value: string): string | undefined {
  if (value === '') return 'An e-mail address is needed: the CPU alarm is sent there.';
  return EMAIL.test(value) ? undefined : `"${value}" is not an e-mail address.`;
}

export type FieldId = 'ecosystem' | 'email';

type FormValues = { ecosystem: string; email: string };

/**
 * The keys of the two-field answers forms (deploy and rehearsal): Esc back, Enter accept, Tab/arrows move, → takes
 * the sanitized ecosystem suggestion, anything else edits the focused field.
 */
export function useFormKeys<V extends FormValues>(f: {
  focus: FieldId;
  values: V;
  setValues: React.Dispatch<React.SetStateAction<V>>;
  setTried: React.Dispatch<React.SetStateAction<Record<FieldId, boolean>>>;
  move(by: number): void;
  accept(): void;
  onBack(): void;
  suggestion: string | undefined;
}): void {
  const { focus, values, setValues, setTried, move, accept, onBack, suggestion } = f;
  useKeys((input, key) => {
    if (key.escape) return onBack();
    if (key.return) return accept();
    if (key.tab) return move(key.shift ? -1 : 1);
    if (key.upArrow) return move(-1);
    if (key.downArrow) return move(1);
    if (key.rightArrow && focus === 'ecosystem' && suggestion) return setValues((v) => ({ ...v, ecosystem: suggestion }));
    const next = editText(values[focus], input, key);
    if (next !== undefined) {
      setValues((v) => ({ ...v, [focus]: next }));
      setTried((t) => ({ ...t, [focus]: true }));
    }
  });
}
const FIELDS: FieldId[] = ['ecosystem', 'email'];

export interface AnswersProps {
  initial: { ecosystem: string; email: string };
  branch?: string;
  /** Called when an ecosystem is accepted; may return a saved e-mail for it. */
  onEcosystem?(ecosystem: string): Promise<string | undefined>;
  onDone(v: { ecosystem: string; email: string }): void;
  onBack(): void;
}

export function Answers({ initial, branch, onEcosystem, onDone, onBack }: AnswersProps) {
  const tint = useTint();
  const [values, setValues] = useState(initial);
  const latest = useRef(values);
  latest.current = values;
  const [focus, setFocus] = useState<FieldId>(checkEcosystem(initial.ecosystem).error ? 'ecosystem' : 'email');
  // Errors for an untouched empty field wait until the user tries to leave it.
  const [tried, setTried] = useState<Record<FieldId, boolean>>({ ecosystem: initial.ecosystem !== '', email: initial.email !== '' });

  const eco = checkEcosystem(values.ecosystem);
  const emailError = checkEmail(values.email);
  const errors: Record<FieldId, string | undefined> = { ecosystem: eco.error, email: emailError };

  const move = (by: number) => setFocus(FIELDS[(FIELDS.indexOf(focus) + by + FIELDS.length) % FIELDS.length]!);

  const accept = () => {
    setTried((t) => ({ ...t, [focus]: true }));
    if (errors[focus]) return; // stays on the field, with its error
    if (focus === 'ecosystem' && values.email === '' && onEcosystem) {
      // Saved answers for this ecosystem fill in the e-mail and move on, so a re-run asks only what it does not
      // know. Keys typed meanwhile go to the e-mail field and win over the saved value.
      const ecosystem = values.ecosystem;
      void onEcosystem(ecosystem).then((saved) => {
        if (!saved || checkEmail(saved)) return;
        const now = latest.current;
        if (now.email !== '' || now.ecosystem !== ecosystem) return;
        setValues({ ...now, email: saved });
        onDone({ ecosystem, email: saved });
      });
    }
    const other: FieldId = focus === 'ecosystem' ? 'email' : 'ecosystem';
    if (!errors[other]) return onDone(values);
    setFocus(other);
  };

  useFormKeys({ focus, values, setValues, setTried, move, accept, onBack, suggestion: eco.suggestion });

  const show = (f: FieldId) => tried[f] && errors[f];
  return (
    <Box flexDirection="column">
      <Card title="Answers">
        <Row label={`${focus === 'ecosystem' ? '❯ ' : '  '}Ecosystem`} width={16}>
          <Field value={values.ecosystem} focused={focus === 'ecosystem'} />
          {show('ecosystem') ? <Text color={tint('red')}>✘ {eco.error}</Text> : null}
          {eco.suggestion ? <Text color={tint('yellow')}>as a name: <Text bold>{eco.suggestion}</Text> (→ to use it)</Text> : null}
          {!eco.error ? <Text dimColor>names every resource: {values.ecosystem}-hello-world-ecr, {values.ecosystem}-hello-world-infra</Text> : null}
          {branch ? <Text dimColor>from git branch {branch}</Text> : null}
        </Row>
        <Box marginTop={1}>
          <Row label={`${focus === 'email' ? '❯ ' : '  '}Alarm e-mail`} width={16}>
            <Field value={values.email} focused={focus === 'email'} placeholder="you@example.com" />
            {show('email') ? <Text color={tint('red')}>✘ {emailError}</Text> : null}
            {!emailError ? <Text dimColor>CPU {'>'} 70% alarms go here; AWS first sends a confirmation e-mail</Text> : null}
          </Row>
        </Box>
      </Card>
      <Keys hints={[['Enter', 'next'], ['↑↓/Tab', 'move'], ['Esc', 'back'], ['Ctrl-C', 'quit']]} />
    </Box>
  );
}
