// A rehearsal never touches a real AWS account: every SDK client and every child process gets these fixed fake
// credentials and region, whatever AWS_* variables or profiles the user has set.
import { EMULATOR_REGION, FAKE_CREDENTIALS } from '../../domain/emulator.ts';

export { EMULATOR_REGION, FAKE_CREDENTIALS };

/** Environment for an emulator child process: the fakes, and nothing that points at a real profile. */
export function fakeAwsEnv(): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: FAKE_CREDENTIALS.sessionToken,
    AWS_REGION: EMULATOR_REGION,
    AWS_DEFAULT_REGION: EMULATOR_REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Variables that could steer the SDK to a real account or endpoint (profiles, SSO, web identity, credential files). */
const STEERING = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ROLE_ARN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_ENDPOINT_URL',
];

/**
 * Points this process's SDK credential chain at the fakes. The adapters build their clients from the default
 * chain, whose first source is the environment, so every client the rehearsal creates signs with the fakes; the
 * config/credentials files are pointed at nothing so no profile's settings (region, credential_process, SSO)
 * apply. A rehearsal is its own process run, so nothing else in it needs the user's AWS settings.
 */
export function isolateFromRealAws(env: NodeJS.ProcessEnv = process.env): void {
  for (const k of STEERING) delete env[k];
  for (const k of Object.keys(env)) if (k.startsWith('AWS_ENDPOINT_URL_')) delete env[k];
  Object.assign(env, fakeAwsEnv(), { AWS_CONFIG_FILE: '/nonexistent/hello-deploy-rehearsal', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/hello-deploy-rehearsal' });
}
