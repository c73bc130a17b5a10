// TemplateCheck over ValidateTemplate, and the inline size limit every template sent to CloudFormation must meet.
import { AbortError } from '../../../core/errors.ts';
import { isValidation, type CfnApi, type Cfn } from './client.ts';
import { sdkErrorFacts } from '../errors.ts';

// TemplateBody's API limit; larger templates need TemplateURL (S3), which hello-deploy does not do.
const MAX_TEMPLATE_BYTES = 51_200;

export async function validateTemplate(api: CfnApi, body: string, signal?: AbortSignal): Promise<{ parameters: string[]; capabilities: string[] }> {
  checkSize(body);
  try {
    const out = await api.send<Cfn.ValidateTemplateCommandOutput>('ValidateTemplate', (s) => new s.ValidateTemplateCommand({ TemplateBody: body }), signal);
    return {
      parameters: (out.Parameters ?? []).flatMap((p) => (p.ParameterKey ? [p.ParameterKey] : [])),
      capabilities: out.Capabilities ?? [],
    };
  } catch (err) {
    if (!isValidation(err)) throw api.failure(err);
    throw new AbortError('TEMPLATE_INVALID', `CloudFormation rejected the template: ${rootCause(sdkErrorFacts(err).message)}`, {
      hint: 'Fix the template (cfn-lint <file> points at the line), then run again.',
      cause: err,
    });
  }
}

/**
 * moto wraps every ValidateTemplate failure as "Stack with id <cause> does not exist"; ValidateTemplate names no
 * stack, so that wrapper can only be the emulator's, and the cause inside is what the user needs.
 */
function rootCause(message: string): string {
  const wrapped = /^Stack with id ([\s\S]+) does not exist$/.exec(message);
  return wrapped?.[1] ?? message;
}

export function checkSize(body: string): void {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > MAX_TEMPLATE_BYTES) {
    throw new AbortError('TEMPLATE_TOO_LARGE', `The template is ${bytes} bytes; CloudFormation accepts at most ${MAX_TEMPLATE_BYTES} inline.`, {
      hint: 'Shorten the template (comments count too).',
    });
  }
}
