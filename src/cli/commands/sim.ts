import { InvalidArgumentError, type Command } from 'commander';
import { createLogger } from '../../core/logger.js';
import { startSimulator } from '../../simulator/index.js';
import { FaultFileError, readFaultFile, type FaultFile } from '../../simulator/faults/file.js';

interface SimOptions {
  host: string;
  port: number;
  seed: number;
  activity: boolean;
  rateLimits: boolean;
  json?: boolean;
  faults?: string;
}

function integer(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

/** `venuekit sim`: the exchange simulator as a local Binance for any client, until SIGINT or SIGTERM. */
export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('run the exchange simulator: a Binance-spot-compatible exchange on loopback, with a funded demo account')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', integer('--port', 0, 65535), 8090)
    .option('--seed <seed>', 'seed of the market activity and the demo key', integer('--seed', 0, 2 ** 31 - 1), 1)
    .option('--no-activity', 'no background trading: books are quoted once and stay still')
    .option('--no-rate-limits', 'count and report rate-limit usage, but never refuse a request (load tests, benchmarks)')
    .option('--faults <file>', 'arm the faults of a YAML or JSON file (faults, their seed, rate limits) before listening')
    .option('--json', 'print one line of JSON (URLs, demo key and secret) once ready, nothing else on stdout')
    .action(async (options: SimOptions) => {
      const logger = createLogger({ name: 'venuekit-sim' });
      let faultFile: FaultFile | undefined;
      try {
        faultFile = options.faults === undefined ? undefined : readFaultFile(options.faults);
      } catch (err) {
        if (!(err instanceof FaultFileError)) throw err;
        process.stderr.write(`venuekit sim: --faults ${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      const sim = await startSimulator({
        host: options.host,
        port: options.port,
        seed: options.seed,
        activity: options.activity,
        limits: { ...faultFile?.limits, enforce: options.rateLimits },
        ...(faultFile?.seed !== undefined && { faultSeed: faultFile.seed }),
        logger,
      }).catch(
        (err: unknown) => {
          throw new Error(`venuekit sim: cannot listen on ${options.host} port ${options.port}: ${err instanceof Error ? err.message : String(err)}`);
        },
      );
      for (const spec of faultFile?.faults ?? []) sim.admin.faults.inject(spec);
      const ready = { restUrl: sim.restUrl, wsUrl: sim.wsUrl, wsApiUrl: sim.wsApiUrl, apiKey: sim.demo?.apiKey, apiSecret: sim.demo?.apiSecret };
      if (options.json) {
        process.stdout.write(`${JSON.stringify(ready)}\n`);
      } else {
        const pairs = sim.admin.markets().map((m) => `${m.pair} (${m.symbol})`).join(', ');
        process.stdout.write(
          [
            `venuekit simulator listening (seed ${options.seed}, activity ${options.activity ? 'on' : 'off'})`,
            `  REST              ${ready.restUrl}/api/v3`,
            `  market streams    ${ready.wsUrl}`,
            `  WebSocket API     ${ready.wsApiUrl}`,
            `  markets           ${pairs}`,
            ...(faultFile ? [`  faults            ${faultFile.faults.length} armed from ${options.faults ?? ''}`] : []),
            `  demo API key      ${ready.apiKey ?? ''}`,
            `  demo API secret   ${ready.apiSecret ?? ''}`,
            'Ctrl-C to stop.',
            '',
          ].join('\n'),
        );
      }
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await sim.close();
      process.exitCode = 0;
    });
}
