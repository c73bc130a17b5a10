// The answers form both wizards use (deploy and rehearsal): the ecosystem and the e-mail, each validated as it is
// typed with the same rules as --ecosystem and --email, so what a wizard accepts, `--yes` accepts too.
import React, { useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from './keys.tsx';
import { owningBranch, sanitizeEcosystem, validateEcosystem } from '../../domain/ecosystem.ts';
import { emailError } from '../../domain/parsers.ts';
import { shown } from '../../domain/shown.ts';
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

/** The --email rule and message (emailError), so the wizard refuses what the flag refuses, the value shown escaped. */
export function checkEmail(value: string): string | undefined {
  if (value === '') return 'An e-mail address is needed: the CPU alarm is sent there.';
  return emailError(value);
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
    // Edits apply to the latest value, not this render's: keys of one paste can come faster than React renders.
    if (editText(values[focus], input, key) !== undefined) {
      setValues((v) => ({ ...v, [focus]: editText(v[focus], input, key) ?? v[focus] }));
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
          {branch && !eco.error ? <BranchNote ecosystem={values.ecosystem} branch={branch} /> : null}
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

/**
 * Whose the ecosystem is: the name derived from the git branch belongs to that branch (the stacks record it, and a
 * deploy from another branch onto them stops); a name of one's own is tied to no branch.
 */
function BranchNote({ ecosystem, branch }: { ecosystem: string; branch: string }) {
  if (owningBranch(ecosystem, branch) !== undefined) return <Text dimColor>from git branch {shown(branch)}, which owns it: the stacks record the branch, and another branch's deploy onto them stops</Text>;
  return <Text dimColor>a name of your own, not tied to git branch {shown(branch)}</Text>;
}
