// Rehearsal step 0. Start the emulator (or connect to the one at --endpoint-url) and aim every deploy port at it
// with fake credentials: from here on the deploy steps run unchanged (over deployView, which reads the emulator
// and its connected ports from the state this step leaves), and nothing can reach a real account.
import { AbortError } from '../../core/errors.ts';
import type { Step } from '../../core/runner.ts';
import type { RehearsalStepCtx } from '../context.ts';
import type { EmulatorEngine, ProgressIO } from '../../ports/rehearsal.ts';

const isMoto = (e: EmulatorEngine) => e === 'moto' || e === 'moto-plain';

export const startEmulator: Step<RehearsalStepCtx<'python' | 'startEmulator' | 'connect' | 'adopt'>> = {
  id: 'emulator',
  title: 'Start the AWS emulator',
  after: [],
  describe: ({ rehearsal: { options, docker } }) => {
    if (options.attach) return `Adopt the kept rehearsal's emulator at ${options.attach.emulator.info.endpoint} (pid ${options.attach.emulator.pid}, kept ${options.attach.savedAt}).`;
    const python = isMoto(options.engine) || !docker.available ? ' (moto from the project .venv, a moto_server 5.2.x on PATH, or a cached virtualenv created on first use)' : '';
    if (options.engine === 'moto') return `Start the moto launcher (moto_server with hello-deploy's extensions, localstack/moto_launcher.py) on 127.0.0.1 with fake credentials, region us-east-1${python}.`;
    if (options.engine === 'moto-plain') return `Start plain moto_server on 127.0.0.1 with fake credentials, region us-east-1${python}.`;
    if (options.engine === 'localstack') return `Start LocalStack (${options.localstackImage}) through testcontainers with LOCALSTACK_AUTH_TOKEN.`;
    return `Use the emulator already running at ${options.endpointUrl ?? '?'}, with fake credentials${python}.`;
  },
  async run(ctx, io) {
    const r = ctx.rehearsal;
    const pio: ProgressIO = { signal: io.signal, progress: (m) => io.progress(m), log: (l) => io.log('stdout', l) };
    // moto needs its Python tools; so does the app when there is no Docker engine to run the image.
    if (isMoto(r.options.engine) || !r.docker.available) {
      const python = await r.ports.python(pio, { needApp: !r.docker.available });
      r.state.python = python;
      io.info(`Python tools from ${python.source === 'project-venv' ? 'the project virtualenv' : python.source === 'path' ? 'PATH' : 'the cached virtualenv'} ${python.bin} (moto ${python.motoVersion ?? '?'})`);
    }
    const kept = r.options.attach;
    const emulator = kept ? await r.ports.adopt?.emulator(kept.emulator) : await r.ports.startEmulator(pio, r.state.python);
    if (!emulator) throw new AbortError('EMULATOR_START_FAILED', `The kept rehearsal's emulator (pid ${kept?.emulator.pid}, ${kept?.emulator.info.endpoint}) stopped answering.`, { hint: 'Rehearse again: a kept rehearsal that is gone is forgotten, and a fresh one starts.' });
    r.state.emulator = emulator;
    if (r.options.engine !== 'endpoint') r.state.running.push(emulator);
    const live = await r.ports.connect(emulator.endpoint ?? emulator.info.endpoint, r.state.python);
    r.state.live = live;
    const who = emulator.pid ? ` (pid ${emulator.pid})` : emulator.containerId ? ` (container ${emulator.containerId.slice(0, 12)})` : '';
    const ext = emulator.info.extensions ? ` + ${emulator.info.extensions.length} extension${emulator.info.extensions.length === 1 ? '' : 's'}` : '';
    return { status: 'succeeded', summary: `${emulator.info.engine}${emulator.info.version ? ` ${emulator.info.version}` : ''}${ext} at ${emulator.info.endpoint}${who}` };
  },
};
