import { readFileSync } from 'node:fs';
import { isScalar, parseDocument, visit } from 'yaml';
import { configSchema, settingsFrom, type BotConfig, type BotSettings } from './schema.js';

/** A config file that cannot be used: every problem, each naming its field and what is allowed. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`${file}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  ${problems.join('\n  ')}`}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads YAML or JSON (JSON is read as YAML, which it is a subset of). Numbers with a fraction are
 * handed to the schema as the text the file has, so "0.001" and 0.001 mean exactly the same and no
 * price or amount ever passes through a float.
 */
export function parseConfigText(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new ConfigError(file, doc.errors.map((e) => `not valid YAML or JSON: ${e.message}`));
  visit(doc, {
    Scalar(_key, node) {
      if (isScalar(node) && typeof node.value === 'number' && !Number.isInteger(node.value) && node.range) {
        node.value = text.slice(node.range[0], node.range[1]).trim();
      }
    },
  });
  return doc.toJS() ?? {};
}

/** Checks a parsed config; throws ConfigError listing every mistake as `path: must be ..., got ...`. */
export function validateConfig(raw: unknown, file: string): BotConfig {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw new ConfigError(file, problems);
}

export function loadConfigFile(file: string): BotConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  return validateConfig(parseConfigText(text, file), file);
}

/** The settings for a run: the defaults, with the file's values when a file is given. */
export function loadSettings(file: string | undefined): BotSettings {
  return settingsFrom(file === undefined ? {} : loadConfigFile(file));
}
