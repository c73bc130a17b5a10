// Step 4. GetAuthorizationToken → docker login --password-stdin. The password exists only in memory and on the
// login process's stdin: never on argv, never in an event.
import type { Step } from '../core/runner.ts';
import type { StepCtx } from './context.ts';

export const ecrLogin: Step<StepCtx<'ecrAuth' | 'docker'>> = {
  id: 'ecr-login',
  title: 'Log in to the registry',
  // The token is per account, not per repository: logging in need not wait for the ECR stack.
  after: ['prerequisites'],
  describe: ({ options }) =>
    options.image ? 'Skipped: --image is prebuilt.' : `ECR GetAuthorizationToken, then docker login --password-stdin to ${options.registry ?? 'the ECR registry'}.`,
  async run({ options, ports, state }, io) {
    if (options.image) return { status: 'skipped', reason: `--image ${options.image} is used as it is` };
    const token = await ports.ecrAuth.getLogin();
    const login = { ...token, registry: options.registry ?? token.registry };
    await ports.docker.login(login);
    state.login = login;
    io.progress(`logged in to ${login.registry} as ${login.username}`);
    return { status: 'succeeded', summary: `logged in to ${login.registry}` };
  },
};
