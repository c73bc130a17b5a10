// The checklist's certificate row: what it can be in (waiting for AWS, checking, chosen, failed, the menu, the
// list of imported certificates) and how each looks. The choices themselves are made in Checklist.tsx.
import React from 'react';
import { Text } from 'ink';
import type { ErrorShape } from '../../core/errors.ts';
import type { AcmCertificate, CertificateAnswer } from '../shared/services.ts';
import type { Status } from '../shared/widgets.tsx';
import { useTint } from '../shared/env.tsx';
import { Fix } from './ChecklistRows.tsx';

export type CertState =
  | { s: 'waiting' }
  | { s: 'checking'; what: string }
  | { s: 'menu' }
  | { s: 'list'; certs: AcmCertificate[] }
  | { s: 'ok'; answer: CertificateAnswer; label: string; warning?: string }
  | { s: 'fail'; error: ErrorShape };

export interface MenuOption {
  id: 'import' | 'generate' | 'pick';
  label: string;
}

const day = (iso?: string) => (iso ? iso.slice(0, 10) : 'unknown');

export function certificateLabel(c: AcmCertificate): string {
  const left = c.daysLeft === undefined ? '' : c.state === 'expired' ? ', expired' : ` (${c.daysLeft} day${c.daysLeft === 1 ? '' : 's'})`;
  return `${c.domain ?? 'certificate'} · expires ${day(c.notAfter)}${left}`;
}

/** The certificate id's first block: enough to tell certificates apart in a list. */
const shortId = (arn: string) => `…/${(arn.split('/').pop() ?? arn).slice(0, 8)}`;

function certWarning(c: AcmCertificate): string | undefined {
  if (c.state === 'expired') return 'expired: ACM does not renew imported certificates; import a new pair';
  if (c.state === 'expiring') return `expires in ${c.daysLeft} days: ACM does not renew imported certificates`;
  return undefined;
}

/** A certificate in ACM, chosen: its label, its ARN, and the expiry warning when it needs one. */
export function fromAcm(c: AcmCertificate): CertState {
  const warning = certWarning(c);
  return { s: 'ok', answer: { kind: 'arn', arn: c.arn }, label: `${certificateLabel(c)}\n${c.arn}`, ...(warning ? { warning } : {}) };
}

export function certStatus(cert: CertState): Status {
  return cert.s === 'ok' ? (cert.warning ? 'warn' : 'ok') : cert.s === 'fail' ? 'fail' : cert.s === 'checking' ? 'checking' : cert.s === 'waiting' ? 'pending' : 'warn';
}

/** The certificate row's details for its state; the menu and the list mark the highlighted entry. */
export function CertificateDetails({ cert, options, menuIndex, listIndex, focused }: { cert: CertState; options: MenuOption[]; menuIndex: number; listIndex: number; focused: boolean }) {
  const tint = useTint();
  return (
    <>
      {cert.s === 'waiting' ? <Text dimColor>waiting for the AWS identity</Text> : null}
      {cert.s === 'checking' ? <Text dimColor>{cert.what}</Text> : null}
      {cert.s === 'ok' ? (
        <>
          {cert.label.split('\n').map((l) => (
            <Text key={l} wrap="truncate-middle">{l}</Text>
          ))}
          {cert.warning ? <Text color={tint('yellow')}>⚠ {cert.warning}</Text> : null}
        </>
      ) : null}
      {cert.s === 'fail' ? <Fix error={cert.error} retry="Enter: choose again" /> : null}
      {cert.s === 'menu' ? (
        <>
          <Text>The load balancer needs a certificate in ACM:</Text>
          {options.map((o, i) => (
            <Text key={o.id} color={i === menuIndex && focused ? tint('cyan') : undefined} bold={i === menuIndex}>
              {i === menuIndex ? '❯ ' : '  '}{o.label}
            </Text>
          ))}
        </>
      ) : null}
      {cert.s === 'list' ? <CertList certs={cert.certs} index={listIndex} /> : null}
    </>
  );
}

function CertList({ certs, index }: { certs: AcmCertificate[]; index: number }) {
  const tint = useTint();
  if (certs.length === 0) return <Text color={tint('yellow')}>No imported certificates in this region. Esc: back to import one.</Text>;
  return (
    <>
      <Text dimColor>Imported certificates, soonest expiry first (Enter picks, Esc goes back):</Text>
      {certs.slice(0, 8).map((c, i) => {
        const warn = c.state === 'expired' || c.state === 'expiring';
        return (
          <Text key={c.arn} color={warn ? tint('yellow') : i === index ? tint('cyan') : undefined} bold={i === index} wrap="truncate-middle">
            {i === index ? '❯ ' : '  '}{warn ? '⚠ ' : ''}{certificateLabel(c)} <Text dimColor>{shortId(c.arn)}{c.ecosystem ? ` · ${c.ecosystem}` : ''}</Text>
          </Text>
        );
      })}
    </>
  );
}
