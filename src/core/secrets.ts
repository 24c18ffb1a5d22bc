/**
 * Removes a secret from free text (an error message, a URL with a signature in its query) before
 * it can reach a log, an error or the database. Structured logs are redacted by pino (logger.ts).
 */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text.replace(/([?&]signature=)[0-9a-fA-F]+/g, '$1[redacted]');
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  }
  return out;
}
