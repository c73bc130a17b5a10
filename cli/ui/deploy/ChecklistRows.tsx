// The checklist's rows: one line per prerequisite (focus marker, status icon, label, details), a failure with its
// fix, and the identity row with its in-place profile switcher.
import React from 'react';
import { Box, Text } from 'ink';
import type { ErrorShape } from '../../core/errors.ts';
import type { IdentityInfo } from '../shared/services.ts';
import { Field, StatusIcon, type Status } from '../shared/widgets.tsx';
import { useTint } from '../shared/env.tsx';

export function CheckRow({ label, status, focused, children }: { label: string; status: Status; focused: boolean; children: React.ReactNode }) {
  const tint = useTint();
  return (
    <Box marginTop={1}>
      <Box width={4} flexShrink={0}>
        <Text color={tint('cyan')}>{focused ? '❯ ' : '  '}</Text>
        <StatusIcon status={status} />
      </Box>
      <Box width={14} flexShrink={0}>
        <Text bold={focused}>{label}</Text>
      </Box>
      <Box flexDirection="column" flexGrow={1} flexShrink={1}>{children}</Box>
    </Box>
  );
}

/** A failed check: what went wrong, its fix, and how to try again. */
export function Fix({ error, retry }: { error: ErrorShape; retry: string }) {
  const tint = useTint();
  return (
    <>
      <Text color={tint('red')}>{error.message}</Text>
      {error.hint ? <Text color={tint('yellow')}>fix: {error.hint}</Text> : null}
      <Text dimColor>{retry}</Text>
    </>
  );
}

export type CheckState<T> = { s: 'checking' } | { s: 'ok'; value: T } | { s: 'fail'; error: ErrorShape };

/** What is being typed in place on the identity row: the profile or the region. */
export interface Editing {
  field: 'profile' | 'region';
  value: string;
}

/** The AWS identity row's details: who STS says we are, or the failure; `editing` is the profile or region being typed. */
export function IdentityDetails({ aws, profile, region, editing, endpointUrl }: { aws: CheckState<IdentityInfo>; profile: string | undefined; region: string | undefined; editing: Editing | undefined; endpointUrl: string | undefined }) {
  const tint = useTint();
  return (
    <>
      {aws.s === 'checking' ? <Text dimColor>Asking STS who you are{profile ? ` (profile ${profile})` : ''}…</Text> : null}
      {aws.s === 'ok' ? (
        <>
          <Text>account {aws.value.account} · region {aws.value.region} · profile {profile ?? '(default chain)'}</Text>
          <Text wrap="truncate-middle" dimColor>{aws.value.arn}</Text>
          {endpointUrl ? <Text color={tint('magenta')}>endpoint {endpointUrl} (an emulator, not AWS)</Text> : null}
        </>
      ) : null}
      {aws.s === 'fail' ? <Fix error={aws.error} retry="p or Enter: change the profile, r: the region, and re-check" /> : null}
      {aws.s === 'fail' && !endpointUrl ? <Text dimColor>No AWS account at hand? npx hello-deploy --local rehearses the whole deployment on this machine.</Text> : null}
      {editing !== undefined ? (
        <Box>
          <Text>{editing.field}: </Text>
          <Field value={editing.value} focused />
          <Text dimColor>  Enter check · Esc keep {(editing.field === 'profile' ? profile : region) ?? 'the default chain'} · empty = default chain</Text>
        </Box>
      ) : null}
    </>
  );
}
