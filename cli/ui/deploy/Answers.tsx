// Screen 2: the two answers only a person can give. Each is validated as it is typed, with the same rules the
// flags go through (--ecosystem, --email), so what the wizard accepts, `--yes` accepts too. The form and its card
// are the rehearsal's answers screen as well.
import React, { useRef } from 'react';
import { AnswersCard, checkEcosystem, checkEmail, useAnswersForm, type FieldId } from '../shared/answers-form.tsx';


export interface AnswersProps {
  initial: { ecosystem: string; email: string };
  branch?: string;
  /** The field to start on; by default the ecosystem when it needs fixing, else the e-mail. */
  focus?: FieldId;
  /** Called when an ecosystem is accepted; may return a saved e-mail for it. */
  onEcosystem?(ecosystem: string): Promise<string | undefined>;
  onDone(v: { ecosystem: string; email: string }): void;
  onBack(): void;
}

export function Answers({ initial, branch, focus, onEcosystem, onDone, onBack }: AnswersProps) {
  const latest = useRef(initial);
  const form = useAnswersForm({
    initial,
    focus: focus ?? (checkEcosystem(initial.ecosystem).error ? 'ecosystem' : 'email'),
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
      emailNote="mailed when scaling cannot keep up; AWS first sends a confirmation e-mail"
    />
  );
}
