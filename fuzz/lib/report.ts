/** What a fuzz run counts; every count but `messages` must end at zero for the run to pass. */
export type Counts = Record<string, number>;

export interface FuzzArgs {
  messages: number;
  seed: number;
  heapLimitMb: number;
}

export function parseArgs(argv: readonly string[], defaults: Partial<FuzzArgs> = {}): FuzzArgs {
  const args: FuzzArgs = { messages: defaults.messages ?? 20_000, seed: defaults.seed ?? 1, heapLimitMb: defaults.heapLimitMb ?? 128 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = Number(argv[i + 1]);
    if (flag === '--messages') args.messages = value;
    else if (flag === '--seed') args.seed = value;
    else if (flag === '--heap-limit-mb') args.heapLimitMb = value;
    else continue;
    if (!Number.isFinite(value) || value < 0) throw new Error(`${flag} needs a non-negative number`);
    i++;
  }
  return args;
}

/** Heap in use after a collection when `--expose-gc` is on (otherwise as it stands), in MiB. */
export function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1048576;
}

/** Catches what would otherwise kill the process so it is counted, with the first few examples kept. */
export function trapFatal(counts: Counts, examples: string[]): () => void {
  const onException = (error: unknown) => {
    counts.crashes = (counts.crashes ?? 0) + 1;
    if (examples.length < 10) examples.push(`uncaught: ${describe(error)}`);
  };
  const onRejection = (error: unknown) => {
    counts.unhandledRejections = (counts.unhandledRejections ?? 0) + 1;
    if (examples.length < 10) examples.push(`unhandled rejection: ${describe(error)}`);
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}

export function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}\n${error.stack?.split('\n').slice(1, 4).join('\n') ?? ''}` : String(error);
  return text.slice(0, 600);
}

/** Prints the run's figures as one JSON line and returns the exit code: 1 when any count is non-zero. */
export function finish(name: string, args: FuzzArgs, counts: Counts, figures: Record<string, number | string>, examples: string[]): number {
  const failures = Object.entries(counts).filter(([, n]) => n > 0);
  console.log(JSON.stringify({ fuzz: name, seed: args.seed, messages: args.messages, ...figures, counts }));
  for (const e of examples) console.error(e);
  if (failures.length > 0) console.error(`${name}: FAILED (${failures.map(([k, n]) => `${k} ${n}`).join(', ')}); reproduce with --seed ${args.seed} --messages ${args.messages}`);
  return failures.length > 0 ? 1 : 0;
}
