// Screen 2: the two answers only a person can give. Each is validated as it is typed, with the same rules the
// flags go through (--ecosystem, --email), so what the wizard accepts, `--yes` accepts too. The form and its card
// are the rehearsal's answers screen as well.
import React, { useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../shared/keys.tsx';
import { sanitizeEcosystem, validateEcosystem } from '../../domain/ecosystem.ts';
import { EMAIL } from '../../deploy/options.ts';
import { Card, Field, Keys, Row, editText } from '../shared/widgets.tsx';
import { useTint } from '../shared/env.tsx';

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

const FIELDS: FieldId[] = ['ecosystem', 'email'];

export interface AnswersForm {
  values: FormValues;
  setValues: React.Dispatch<React.SetStateAction<FormValues>>;
  focus: FieldId;
  setFocus(f: FieldId): void;
  eco: EcosystemCheck;
  errors: Record<FieldId, string | undefined>;
  /** Whether the field's error shows: errors for an untouched empty field wait until the user tries to leave it. */
  shows(f: FieldId): boolean;
}

/**
 * The two-field answers form (deploy and rehearsal) and its keys: Esc back, Enter accepts the focused field once it
 * has no error (`accept` decides what comes next), Tab/arrows move, → takes the sanitized ecosystem suggestion,
 * anything else edits the focused field.
 */
export function useAnswersForm(f: {
  initial: FormValues;
  focus: FieldId;
  checkEmail(value: string): string | undefined;
  accept(form: AnswersForm): void;
  onBack(): void;
}): AnswersForm {
  const [values, setValues] = useState(f.initial);
  const [focus, setFocus] = useState<FieldId>(f.focus);
  const [tried, setTried] = useState<Record<FieldId, boolean>>({ ecosystem: f.initial.ecosystem !== '', email: f.initial.email !== '' });

  const eco = checkEcosystem(values.ecosystem);
  const errors: Record<FieldId, string | undefined> = { ecosystem: eco.error, email: f.checkEmail(values.email) };
  const form: AnswersForm = { values, setValues, focus, setFocus, eco, errors, shows: (id) => Boolean(tried[id] && errors[id]) };
  const { suggestion } = eco;

  const move = (by: number) => setFocus(FIELDS[(FIELDS.indexOf(focus) + by + FIELDS.length) % FIELDS.length]!);
  useKeys((input, key) => {
    if (key.escape) return f.onBack();
    if (key.return) {
      setTried((t) => ({ ...t, [focus]: true }));
      if (errors[focus]) return; // stays on the field, with its error
      return f.accept(form);
    }
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
  return form;
}

/** The answers card both wizards show; only what the answers mean differs. */
export function AnswersCard({ form, title, color, branch, names, emailPlaceholder, emailNote }: {
  form: AnswersForm;
  title: string;
  color?: string;
  branch?: string | undefined;
  /** What the ecosystem names, said before the two stack names. */
  names: string;
  emailPlaceholder: string;
  /** Under a good e-mail: what it is for. */
  emailNote: string;
}) {
  const tint = useTint();
  const { values, focus, eco, errors, shows } = form;
  return (
    <Box flexDirection="column">
      <Card title={title} color={color}>
        <Row label={`${focus === 'ecosystem' ? '❯ ' : '  '}Ecosystem`} width={16}>
          <Field value={values.ecosystem} focused={focus === 'ecosystem'} />
          {shows('ecosystem') ? <Text color={tint('red')}>✘ {errors.ecosystem}</Text> : null}
          {eco.suggestion ? <Text color={tint('yellow')}>as a name: <Text bold>{eco.suggestion}</Text> (→ to use it)</Text> : null}
          {!eco.error ? <Text dimColor>{names}: {values.ecosystem}-hello-world-ecr, {values.ecosystem}-hello-world-infra</Text> : null}
          {branch ? <Text dimColor>from git branch {branch}</Text> : null}
        </Row>
        <Box marginTop={1}>
          <Row label={`${focus === 'email' ? '❯ ' : '  '}Alarm e-mail`} width={16}>
            <Field value={values.email} focused={focus === 'email'} placeholder={emailPlaceholder} />
            {shows('email') ? <Text color={tint('red')}>✘ {errors.email}</Text> : null}
            {!errors.email ? <Text dimColor>{emailNote}</Text> : null}
          </Row>
        </Box>
      </Card>
      <Keys hints={[['Enter', 'next'], ['↑↓/Tab', 'move'], ['Esc', 'back'], ['Ctrl-C', 'quit']]} />
    </Box>
  );
}

export interface AnswersProps {
  initial: { ecosystem: string; email: string };
  branch?: string;
  /** Called when an ecosystem is accepted; may return a saved e-mail for it. */
  onEcosystem?(ecosystem: string): Promise<string | undefined>;
  onDone(v: { ecosystem: string; email: string }): void;
  onBack(): void;
}

export function Answers({ initial, branch, onEcosystem, onDone, onBack }: AnswersProps) {
  const latest = useRef(initial);
  const form = useAnswersForm({
    initial,
    focus: checkEcosystem(initial.ecosystem).error ? 'ecosystem' : 'email',
    checkEmail,
    onBack,
    accept: ({ values, focus, errors, setValues, setFocus }) => {
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
    },
  });
  latest.current = form.values;

  return (
    <AnswersCard
      form={form}
      title="Answers"
      branch={branch}
      names="names every resource"
      emailPlaceholder="you@example.com"
      emailNote="CPU > 70% alarms go here; AWS first sends a confirmation e-mail"
    />
  );
}
