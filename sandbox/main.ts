import { parseArgs } from 'node:util';
import { startSandbox } from './server';
import { SANDBOX_LIMITED_TOKEN, SANDBOX_TOKEN } from './tokens';

/** CLI: npm run sandbox -- --port 8787 --seed 1 --campaigns 1000 --clock-speed 60 */

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string' },
    campaigns: { type: 'string' },
    'second-campaigns': { type: 'string' },
    'clock-speed': { type: 'string' },
    'start-time': { type: 'string' },
    'processing-delay-ms': { type: 'string' },
    'report-latency-minutes': { type: 'string' },
    'no-rate-limits': { type: 'boolean', default: false },
  },
});

const num = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`not a number: ${v}`);
  return n;
};

const sandbox = await startSandbox({
  port: num(values.port),
  host: values.host,
  seed: num(values.seed),
  campaigns: num(values.campaigns),
  secondAdvertiserCampaigns: num(values['second-campaigns']),
  clockSpeed: num(values['clock-speed']),
  startTime: values['start-time'],
  processingDelayMs: num(values['processing-delay-ms']),
  reportLatencyMinutes: num(values['report-latency-minutes']),
  rateLimits: values['no-rate-limits'] ? { enabled: false } : undefined,
});

const first = sandbox.world.data.advertisers[0];
const lines = [
  `SafePause sandbox listening on ${sandbox.url}`,
  `  Ads Manager:  ${sandbox.url}/i18n/manage/campaign?aadvid=${first?.id ?? ''}`,
  `  API base:     ${sandbox.url}/open_api/v1.3/`,
  `  Control API:  ${sandbox.url}/__sandbox/info`,
  `  Demo token:   ${SANDBOX_TOKEN}`,
  `  Limited token (second advertiser only): ${SANDBOX_LIMITED_TOKEN}`,
  ...sandbox.world.data.advertisers.map((a) => `  Advertiser ${a.id}  ${a.name} (${a.currency}, ${a.timezone})`),
];
console.log(lines.join('\n'));

const stop = (): void => {
  sandbox.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
