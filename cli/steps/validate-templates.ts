// Step 2. Both templates, in parallel: moto's ValidateTemplate runs cfn-lint itself (~2.5 s each), and real AWS
// answers faster, so two at once halves the wait. cfn-lint errors fail the step; warnings are shown.
import { AbortError } from '../core/errors.ts';
import type { Step } from '../core/runner.ts';
import type { StepCtx } from './context.ts';
import { readTemplate } from './templates.ts';

export const validateTemplates: Step<StepCtx<'files' | 'templates' | 'lint'>> = {
  id: 'validate-templates',
  title: 'Validate both templates',
  // Needs only the templates and an endpoint, so it runs beside the prerequisite checks: validation is the
  // slowest check there is (moto runs cfn-lint inside ValidateTemplate), and a credentials problem fails both alike.
  after: [],
  // It only reads: a failed prerequisite (a preflight problem) stops it instead of waiting for moto's cfn-lint.
  readOnly: true,
  describe: ({ options }) => `ValidateTemplate on ${options.ecrTemplate} and ${options.infraTemplate}, plus cfn-lint when installed.`,
  async run({ options, ports, state }, io) {
    state.ecrTemplateBody ??= await readTemplate(ports.files, options.ecrTemplate);
    state.infraTemplateBody ??= await readTemplate(ports.files, options.infraTemplate);
    const pairs: [string, string][] = [
      [options.ecrTemplate, state.ecrTemplateBody],
      [options.infraTemplate, state.infraTemplateBody],
    ];
    // ValidateTemplate for both at once, and cfn-lint (one process for both) beside them. allSettled, not all:
    // a step must not end while one of its checks is still running and reporting.
    const settled = await Promise.allSettled([
      ...pairs.map(async ([path, body]) => {
        await ports.templates.validate(body, { signal: io.signal });
        io.progress(`${path}: valid`);
      }),
      ports.lint.lint(pairs.map(([path]) => path), { signal: io.signal }),
    ]);
    const rejected = settled.find((s) => s.status === 'rejected');
    if (rejected) throw rejected.reason;
    const lint = (settled[settled.length - 1] as PromiseFulfilledResult<Awaited<ReturnType<typeof ports.lint.lint>>>).value;
    const errors: string[] = [];
    const linted = lint.available;
    for (const f of lint.findings) {
      const line = `${f.location} ${f.rule} ${f.message}`;
      if (f.level === 'error') errors.push(line);
      else io.warn(`cfn-lint ${f.level}: ${line}`);
    }
    if (errors.length) {
      throw new AbortError('TEMPLATE_LINT', `cfn-lint found ${errors.length} error(s):\n${errors.join('\n')}`, { hint: 'Fix the template errors above; cfn-lint explains each rule at https://github.com/aws-cloudformation/cfn-lint.' });
    }
    if (!linted) io.info('cfn-lint is not installed: only ValidateTemplate ran (pip install cfn-lint for deeper checks).');
    return { status: 'succeeded', summary: linted ? 'ValidateTemplate and cfn-lint: clean' : 'ValidateTemplate: clean (cfn-lint not installed)' };
  },
};
