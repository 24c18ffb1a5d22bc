import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../../src/core/persistence/migrations.js';
import { openTrackingStore } from '../../../src/core/persistence/sqlite-tracking-store.js';
import { bundleChild } from '../../support/child-bundle.js';
import { tempDir } from '../../support/tmp.js';

const run = promisify(execFile);

describe('tracking store opened by several processes at once', () => {
  let dir: ReturnType<typeof tempDir>;
  let child: string;
  beforeAll(async () => {
    dir = tempDir('venuekit-open-');
    child = await bundleChild(new URL('./fixtures/open-store-child.ts', import.meta.url));
  });
  afterAll(() => dir.cleanup());

  it('creates and migrates a new file once, with every process succeeding', async () => {
    const path = join(dir.path, 'shared.sqlite');
    const results = await Promise.all(Array.from({ length: 6 }, () => run(process.execPath, [child, path])));
    for (const { stdout } of results) expect(stdout.trim()).toBe(`OPENED ${SCHEMA_VERSION}`);
    const store = openTrackingStore({ path, connector: 'check' });
    expect(store.listOrders()).toEqual([]);
    store.close();
  });
});
