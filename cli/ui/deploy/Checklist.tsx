// Screen 3: prerequisites, each checked live: AWS identity (profile switchable in place), the Docker engine, a
// certificate (use or generate app/certs, import it into ACM now, or pick one already there), the templates, and
// the deploy's preflight (names taken, quotas, the certificate's fit; PreflightRow.tsx).
// Every ✘ shows its fix; nothing moves on until all are ✔. The checks are the deploy step's own
// (cli/steps/prerequisites.ts), reached through WizardServices; this screen holds the choices and the focus.
import React, { useEffect, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import { useKeys } from '../shared/keys.tsx';
import type { AwsTarget, CertificateAnswer, IdentityInfo, LocalPair, TemplatesCheck, WizardServices, WizardStart } from '../shared/services.ts';
import { Card, Keys, editText, type Status } from '../shared/widgets.tsx';
import { useTint } from '../shared/env.tsx';
import { templatesMissing } from '../../steps/prerequisites.ts';
import { CheckRow, Fix, IdentityDetails, type CheckState, type Editing } from './ChecklistRows.tsx';
import { parseRegion } from '../../domain/parsers.ts';
import { CertificateDetails, certStatus, fromAcm, type CertState, type MenuOption } from './CertificatePicker.tsx';
import { PreflightDetails, preflightClear, preflightStatus, usePreflight } from './PreflightRow.tsx';

/** The region parser's refusal, as a note; undefined when the region is usable. */
function regionProblem(region: string): string | undefined {
  try {
    parseRegion(region);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export interface ChecklistResult {
  target: AwsTarget;
  identity: IdentityInfo;
  certificate: CertificateAnswer;
  certificateLabel: string;
}

type FocusId = 'aws' | 'docker' | 'cert' | 'templates' | 'preflight' | 'continue';
const ORDER: FocusId[] = ['aws', 'docker', 'cert', 'templates', 'preflight', 'continue'];

export interface ChecklistProps {
  services: WizardServices;
  start: WizardStart;
  ecosystem: string;
  onDone(r: ChecklistResult): void;
  onBack(): void;
  /** Told whenever the certificate choice changes, so going back and forth keeps it. */
  onCertificate?(c: CertificateAnswer): void;
}

export function Checklist({ services, start, ecosystem, onDone, onBack, onCertificate }: ChecklistProps) {
  const tint = useTint();
  const [profile, setProfile] = useState(start.profile);
  // A missing or wrong region is fixed here, as the profile is: the deploy uses what the identity check resolved.
  const [region, setRegion] = useState(start.region);
  const [editing, setEditing] = useState<Editing | undefined>();
  const [tries, setTries] = useState({ aws: 0, docker: 0, templates: 0, preflight: 0 });
  const [aws, setAws] = useState<CheckState<IdentityInfo>>({ s: 'checking' });
  const [docker, setDocker] = useState<CheckState<string>>({ s: 'checking' });
  const [templates, setTemplates] = useState<CheckState<TemplatesCheck>>({ s: 'checking' });
  const [local, setLocal] = useState<LocalPair | undefined>();
  const [cert, setCert] = useState<CertState>({ s: 'waiting' });
  const [chosen, setChosenState] = useState<CertificateAnswer | undefined>(start.certificate);
  const setChosen = (c: CertificateAnswer) => {
    setChosenState(c);
    onCertificate?.(c);
  };
  const [focus, setFocus] = useState<FocusId>('aws');
  const [menuIndex, setMenuIndex] = useState(0);
  const [listIndex, setListIndex] = useState(0);
  const [note, setNote] = useState<string | undefined>();

  const target: AwsTarget = { ...(profile ? { profile } : {}), ...(region ? { region } : {}) };
  // Imports and listings go to the region the identity check resolved, the one the deploy will use.
  const resolved: AwsTarget = aws.s === 'ok' ? { ...target, region: aws.value.region } : target;

  useEffect(() => {
    let live = true;
    setAws({ s: 'checking' });
    setCert((c) => (c.s === 'ok' && c.answer.kind === 'pair' ? c : { s: 'waiting' }));
    void services.checkIdentity(target).then((r) => live && setAws(r.ok ? { s: 'ok', value: r.value } : { s: 'fail', error: r.error }));
    return () => { live = false; };
  }, [profile, region, tries.aws]);

  useEffect(() => {
    let live = true;
    if (start.image) {
      // A tag is resolved to its digest during the deploy (push-image step): the digest is what gets deployed.
      const pinned = /@sha256:[a-f0-9]{64}$/.test(start.image);
      setDocker({ s: 'ok', value: `not needed: --image ${start.image} ${pinned ? 'is deployed as is (pinned by digest)' : 'is resolved to its digest, and the digest is deployed'}` });
      return;
    }
    setDocker({ s: 'checking' });
    void services.pingDocker().then((r) => live && setDocker(r.ok ? { s: 'ok', value: `engine ${r.value.serverVersion}` } : { s: 'fail', error: r.error }));
    return () => { live = false; };
  }, [services, start.image, tries.docker]);

  useEffect(() => {
    let live = true;
    setTemplates({ s: 'checking' });
    void services.templatesPresent().then((r) =>
      live && setTemplates(r.missing.length === 0 ? { s: 'ok', value: r } : { s: 'fail', error: templatesMissing(r.missing).toJSON() }),
    );
    return () => { live = false; };
  }, [services, tries.templates]);

  useEffect(() => {
    let live = true;
    void services.localCertificates().then((l) => live && setLocal(l));
    return () => { live = false; };
  }, [services]);

  // Once AWS answers, settle the certificate: a known ARN is looked up (for its expiry), a known pair is kept for
  // the deploy to import, otherwise the user chooses.
  // A profile switch starts a new generation; answers that arrive for an older one are dropped.
  const generation = useRef(0);
  useEffect(() => {
    generation.current += 1;
  }, [profile, tries.aws]);

  useEffect(() => {
    if (aws.s !== 'ok' || cert.s !== 'waiting') return;
    const mine = generation.current;
    if (chosen?.kind === 'arn') {
      const arn = chosen.arn;
      setCert({ s: 'checking', what: 'Looking the certificate up in ACM…' });
      void services.listCertificates(resolved).then((r) => {
        if (mine !== generation.current) return;
        if (!r.ok) return setCert({ s: 'fail', error: r.error });
        const found = r.value.find((c) => c.arn === arn);
        setCert(found ? fromAcm(found) : { s: 'fail', error: { code: 'CERT_NOT_FOUND', message: `${arn} is not an imported certificate in ${aws.value.region}.`, hint: 'Press Enter to import app/certs or pick another certificate.' } });
      });
    } else if (chosen?.kind === 'pair') {
      setCert({ s: 'ok', answer: chosen, label: `${chosen.certFile} (the deploy imports it into ACM, or reuses an identical import)` });
    } else {
      setCert({ s: 'menu' });
    }
  }, [aws, cert.s, chosen, services, resolved]);

  const options: MenuOption[] = [
    local?.present
      ? { id: 'import', label: `Import ${local.label ?? local.certFile} into ACM now` }
      : { id: 'generate', label: 'Generate a self-signed pair in app/certs now, then import it into ACM' },
    { id: 'pick', label: 'Pick a certificate already imported into ACM' },
  ];

  const importPair = async (pair: { certFile: string; keyFile: string }) => {
    setCert({ s: 'checking', what: 'Importing the certificate into ACM…' });
    const r = await services.importCertificate(resolved, pair, ecosystem);
    if (!r.ok) return setCert({ s: 'fail', error: r.error });
    setChosen({ kind: 'arn', arn: r.value.arn });
    setCert(fromAcm(r.value));
  };

  const choose = async (o: MenuOption) => {
    if (o.id === 'pick') {
      setCert({ s: 'checking', what: 'Listing imported certificates in ACM…' });
      const r = await services.listCertificates(resolved);
      if (!r.ok) return setCert({ s: 'fail', error: r.error });
      setListIndex(0);
      return setCert({ s: 'list', certs: r.value });
    }
    let pair = local;
    if (o.id === 'generate') {
      setCert({ s: 'checking', what: 'Generating a self-signed pair in app/certs…' });
      const g = await services.generateCertificates();
      if (!g.ok) return setCert({ s: 'fail', error: g.error });
      pair = g.value;
      setLocal(g.value);
    }
    if (pair) await importPair(pair);
  };

  const preflight = usePreflight(services, target, ecosystem, aws.s === 'ok' ? aws.value : undefined, cert.s === 'ok' ? cert.answer : undefined, tries.preflight);
  const statusOf = (i: CheckState<unknown>): Status => (i.s === 'checking' ? 'checking' : i.s === 'ok' ? 'ok' : 'fail');
  const allOk = aws.s === 'ok' && docker.s === 'ok' && templates.s === 'ok' && cert.s === 'ok' && preflightClear(preflight);

  // Focus follows what needs the user: a failure, the certificate choice, or Continue once all is well.
  const attention = allOk ? 'continue' : aws.s === 'fail' ? 'aws' : cert.s === 'menu' || cert.s === 'list' || cert.s === 'fail' ? 'cert' : docker.s === 'fail' ? 'docker' : templates.s === 'fail' ? 'templates' : preflightStatus(preflight) === 'fail' ? 'preflight' : undefined;
  // Adjusted during render (not in an effect) so no frame ever shows the old focus beside the new state.
  const [seen, setSeen] = useState<FocusId | undefined>(undefined);
  if (attention !== seen) {
    setSeen(attention);
    if (attention) setFocus(attention);
  }

  const finish = () => {
    if (!allOk || aws.s !== 'ok' || cert.s !== 'ok') return setNote('Fix the ✘ items first (or Ctrl-C to quit).');
    onDone({ target: { ...target, region: aws.value.region }, identity: aws.value, certificate: cert.answer, certificateLabel: cert.label });
  };

  const act = (id: FocusId) => {
    setNote(undefined);
    if (id === 'aws') return setEditing({ field: 'profile', value: profile ?? '' });
    if (id === 'docker' && docker.s === 'fail') return setTries((t) => ({ ...t, docker: t.docker + 1 }));
    if (id === 'templates' && templates.s === 'fail') return setTries((t) => ({ ...t, templates: t.templates + 1 }));
    if (id === 'preflight' && (preflight.s === 'ok' || preflight.s === 'fail')) return setTries((t) => ({ ...t, preflight: t.preflight + 1 }));
    if (id === 'cert' && (cert.s === 'ok' || cert.s === 'fail')) return setCert(aws.s === 'ok' ? { s: 'menu' } : { s: 'waiting' });
    if (id === 'continue') finish();
  };

  const moveFocus = (by: number) => setFocus((f) => ORDER[(ORDER.indexOf(f) + by + ORDER.length) % ORDER.length]!);

  useKeys((input, key) => {
    if (editing !== undefined) {
      if (key.escape) return setEditing(undefined);
      if (key.return) {
        const v = editing.value.trim() || undefined;
        if (editing.field === 'region' && v !== undefined) {
          // Refused here, with the parser every command uses, instead of after a call that cannot succeed.
          const problem = regionProblem(v);
          if (problem) return setNote(problem);
        }
        setEditing(undefined);
        setNote(undefined);
        if (v === (editing.field === 'profile' ? profile : region)) return setTries((t) => ({ ...t, aws: t.aws + 1 }));
        return editing.field === 'profile' ? setProfile(v) : setRegion(v);
      }
      const next = editText(editing.value, input, key);
      if (next !== undefined) setEditing({ ...editing, value: next });
      return;
    }
    if (focus === 'cert' && cert.s === 'menu' && (key.upArrow || key.downArrow || key.return)) {
      if (key.return) return void choose(options[menuIndex]!);
      return setMenuIndex((i) => (i + (key.upArrow ? options.length - 1 : 1)) % options.length);
    }
    if (focus === 'cert' && cert.s === 'list' && (key.upArrow || key.downArrow || key.return || key.escape)) {
      if (key.escape) return setCert({ s: 'menu' });
      const picked = cert.certs[listIndex];
      if (key.return) {
        if (!picked) return;
        setChosen({ kind: 'arn', arn: picked.arn });
        return setCert(fromAcm(picked));
      }
      return setListIndex((i) => (cert.certs.length ? (i + (key.upArrow ? cert.certs.length - 1 : 1)) % cert.certs.length : 0));
    }
    if (input === 'p' || input === 'r') {
      setFocus('aws');
      return setEditing(input === 'p' ? { field: 'profile', value: profile ?? '' } : { field: 'region', value: region ?? '' });
    }
    if (key.escape) return onBack();
    if (key.tab) return moveFocus(key.shift ? -1 : 1);
    if (key.upArrow) return moveFocus(-1);
    if (key.downArrow) return moveFocus(1);
    if (key.return) act(focus);
  });

  return (
    <Box flexDirection="column">
      <Card title="Prerequisites">
        <CheckRow label="AWS identity" status={editing !== undefined ? 'pending' : statusOf(aws)} focused={focus === 'aws'}>
          <IdentityDetails aws={aws} profile={profile} region={region} editing={editing} endpointUrl={start.endpointUrl} />
        </CheckRow>
        <CheckRow label="Docker engine" status={statusOf(docker)} focused={focus === 'docker'}>
          {docker.s === 'checking' ? <Text dimColor>Pinging the Docker engine…</Text> : null}
          {docker.s === 'ok' ? <Text>{docker.value}</Text> : null}
          {docker.s === 'fail' ? <Fix error={docker.error} retry="Enter: re-check" /> : null}
        </CheckRow>
        <CheckRow label="Certificate" status={certStatus(cert)} focused={focus === 'cert'}>
          <CertificateDetails cert={cert} options={options} menuIndex={menuIndex} listIndex={listIndex} focused={focus === 'cert'} />
        </CheckRow>
        <CheckRow label="Templates" status={statusOf(templates)} focused={focus === 'templates'}>
          {templates.s === 'checking' ? <Text dimColor>Looking for the templates…</Text> : null}
          {templates.s === 'ok' ? <Text>{templates.value.found.join(', ')}</Text> : null}
          {templates.s === 'fail' ? <Fix error={templates.error} retry="Enter: re-check" /> : null}
        </CheckRow>
        <CheckRow label="Preflight" status={preflightStatus(preflight)} focused={focus === 'preflight'}>
          <PreflightDetails state={preflight} />
        </CheckRow>
        <Box marginTop={1}>
          <Text color={focus === 'continue' ? tint('cyan') : undefined} bold={focus === 'continue'} dimColor={!allOk}>
            {focus === 'continue' ? '❯ ' : '  '}[ Continue ]
          </Text>
          {note ? <Text color={tint('yellow')}>  {note}</Text> : null}
        </Box>
      </Card>
      <Keys hints={[['↑↓/Tab', 'move'], ['Enter', 'choose / re-check'], ['p', 'profile'], ['r', 'region'], ['Esc', 'back'], ['Ctrl-C', 'quit']]} />
    </Box>
  );
}
