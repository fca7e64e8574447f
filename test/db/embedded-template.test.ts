/**
 * A new embedded store starts as a copy of the template made at install, instead of initdb and every migration; and a
 * store whose making was cut short (kill -9 during initdb, the template's files or the first migrations) is made again
 * at the next open, never opened half-made.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { openDatabase, rows } from '../../src/db/database.js';

const dir = mkdtempSync(join(tmpdir(), 'sopdesk-template-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the embedded store template', () => {
  it('is what a new data dir starts from, brought up to the newest migration; an existing store ignores it', async () => {
    const maker = new PGlite();
    await maker.query('create table made_from_template (x int)');
    const template = await maker.dumpDataDir('none');
    await maker.close();
    const dataDir = join(dir, 'a', 'pgdata');
    const db = await openDatabase({ dataDir, template: async () => template });
    try {
      expect(await rows(db.db, sql`select count(*)::int as n from made_from_template`)).toEqual([{ n: 0 }]);
      expect((await rows<{ n: number }>(db.db, sql`select count(*)::int as n from customers`))[0]!.n).toBe(0);
    } finally {
      await db.close();
    }
    expect(existsSync(`${dataDir}.initialising`)).toBe(false);
    let asked = false;
    const again = await openDatabase({ dataDir, template: async () => ((asked = true), template) });
    await again.close();
    expect(asked).toBe(false);
  });

  it('makes a store again whose making never finished', async () => {
    const dataDir = join(dir, 'b', 'pgdata');
    mkdirSync(dataDir, { recursive: true });
    // What a process killed while making the store leaves: some files (here a bogus PG_VERSION) and the marker.
    writeFileSync(join(dataDir, 'PG_VERSION'), 'half\n');
    writeFileSync(`${dataDir}.initialising`, '');
    const db = await openDatabase({ dataDir });
    try {
      expect((await rows<{ n: number }>(db.db, sql`select count(*)::int as n from orders`))[0]!.n).toBe(0);
    } finally {
      await db.close();
    }
    expect(existsSync(`${dataDir}.initialising`)).toBe(false);
  });
});
