// QuotaPort over Service Quotas. GetServiceQuota answers with the applied value, but only for quotas that have
// one: "If the applied quota value is not available for a quota, the quota is not retrieved"
// (https://docs.aws.amazon.com/servicequotas/2019-06-24/apireference/API_GetServiceQuota.html), so the AWS default
// (GetAWSDefaultServiceQuota) comes next. Any failure is an answer too ("unavailable", with why): the preflight then
// uses AWS's documented default and says so, rather than stopping a deploy over a quota it could not read.
import type { QuotaAnswer, QuotaPort } from '../../ports/preflight.ts';
import { clientConfig, type AwsOptions } from './config.ts';
import { mapAwsError, sdkErrorFacts } from './errors.ts';

/** Why a call gave no value, in a few words: `GetServiceQuota: NoSuchResourceException`, `…: access denied (servicequotas:…)`. */
const why = (err: unknown, operation: string, endpoint?: string): string => {
  const facts = sdkErrorFacts(err);
  // A reply that is not Service Quotas' JSON (an emulator without the call answers with an HTML page).
  if (facts.name === 'SyntaxError' || /Deserialization error/i.test(facts.message)) return `${operation}: not answered by this endpoint`;
  const e = mapAwsError(err, { service: 'Service Quotas', operation, ...(endpoint ? { endpoint } : {}) });
  if (e.code === 'AWS_ACCESS_DENIED') return `${operation}: access denied (servicequotas:${operation})`;
  if (e.code === 'AWS_ERROR' && facts.name && facts.name !== 'Error') return `${operation}: ${facts.name}`;
  return `${operation}: ${e.message.split('\n')[0]!}`;
};

export function createQuotas(opts: AwsOptions): QuotaPort {
  return {
    async quota(serviceCode, quotaCode): Promise<QuotaAnswer> {
      const sq = await import('@aws-sdk/client-service-quotas');
      const client = new sq.ServiceQuotasClient((await clientConfig(opts)) as import('@aws-sdk/client-service-quotas').ServiceQuotasClientConfig);
      try {
        let reason: string;
        try {
          const value = (await client.send(new sq.GetServiceQuotaCommand({ ServiceCode: serviceCode, QuotaCode: quotaCode }))).Quota?.Value;
          if (typeof value === 'number') return { value, from: 'applied' };
          reason = 'GetServiceQuota answered without a value';
        } catch (err) {
          reason = why(err, 'GetServiceQuota', opts.endpointUrl);
        }
        try {
          const value = (await client.send(new sq.GetAWSDefaultServiceQuotaCommand({ ServiceCode: serviceCode, QuotaCode: quotaCode }))).Quota?.Value;
          if (typeof value === 'number') return { value, from: 'aws-default' };
          return { unavailable: `${reason}; GetAWSDefaultServiceQuota answered without a value` };
        } catch (err) {
          return { unavailable: `${reason}; ${why(err, 'GetAWSDefaultServiceQuota', opts.endpointUrl)}` };
        }
      } finally {
        client.destroy();
      }
    },
  };
}
