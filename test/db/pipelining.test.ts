/**
 * src/db/pipelining.ts: statements sent without waiting keep their meaning — on PostgreSQL (pipeline mode) and on
 * PGlite (one by one) alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openTestDatabase, type TestDb } from '../support/db.js';
import { preparedRows, rows } from '../../src/db/database.js';
import { beforeCommit, together } from '../../src/db/pipelining.js';

let t: TestDb;
beforeAll(async () => {
  t = await openTestDatabase();
  await t.database.db.execute(sql`create table pipelining_probe (id int primary key)`);
});
afterAll(() => t.drop());

const insert = preparedRows<{ id: number }, { id: number }>(
  'test_pipelining_insert',
  () => sql`insert into pipelining_probe (id) values (${sql.placeholder('id')}) returning id`,
);
const count = preparedRows<{ n: number }, { id: number }>(
  'test_pipelining_count',
  () => sql`select count(*)::int as n from pipelining_probe where id = ${sql.placeholder('id')}`,
);
const ids = async () =>
  (await rows<{ id: number }>(t.database.db, sql`select id from pipelining_probe order by id`)).map((r) => r.id);

describe('pipelined statements', () => {
  it('together: the second statement runs after the first and sees what it wrote; both results come back in order', async () => {
    const [written, seen] = await t.database.transaction((tx) =>
      together(
        tx,
        () => insert(tx, { id: 1 }),
        () => count(tx, { id: 1 }),
      ),
    );
    expect(written).toEqual([{ id: 1 }]);
    expect(seen).toEqual([{ n: 1 }]);
  });

  it('together: when the first fails, its error is the one reported and the transaction writes nothing', async () => {
    const before = await ids();
    const err = await t.database
      .transaction(async (tx) => {
        await insert(tx, { id: 10 });
        return together(
          tx,
          () => insert(tx, { id: 1 }),
          () => rows(tx, sql`select 1`),
        );
      })
      .catch((e: unknown) => e);
    expect(String((err as { cause?: unknown }).cause ?? err)).toMatch(/duplicate key/);
    expect(await ids()).toEqual(before);
  });

  it('beforeCommit: the statement commits with the transaction', async () => {
    await t.database.transaction(async (tx) => {
      await insert(tx, { id: 2 });
      await beforeCommit(tx, () => insert(tx, { id: 3 }));
    });
    expect(await ids()).toEqual([1, 2, 3]);
  });

  it('beforeCommit: a statement that fails at commit fails the transaction with its error and rolls back everything', async () => {
    const err = await t.database
      .transaction(async (tx) => {
        await insert(tx, { id: 4 });
        await beforeCommit(tx, () => insert(tx, { id: 1 })); // duplicate key
        return 'committed';
      })
      .catch((e: unknown) => e);
    expect(String((err as { cause?: unknown }).cause ?? err)).toMatch(/duplicate key/);
    expect(await ids()).toEqual([1, 2, 3]);
  });

  it('beforeCommit: a transaction that throws after it rolls the statement back', async () => {
    const boom = new Error('boom');
    await expect(
      t.database.transaction(async (tx) => {
        await beforeCommit(tx, () => insert(tx, { id: 5 }));
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await ids()).toEqual([1, 2, 3]);
    // The connection is clean afterwards: the next transaction commits.
    await t.database.transaction((tx) => insert(tx, { id: 6 }));
    expect(await ids()).toEqual([1, 2, 3, 6]);
  });
});

describe('a statement that does not reach the driver at once', () => {
  // drizzle's db.execute waits a tick before it hands the statement over: sent "together", it could overtake.
  const late = (tx: Parameters<Parameters<TestDb['database']['transaction']>[0]>[0]) => rows(tx, sql`select 1 as one`);

  it('is refused on a server (the transaction fails and writes nothing) and simply runs in order on the embedded database', async () => {
    const before = await ids();
    const outcome = await t.database
      .transaction(async (tx) => {
        await insert(tx, { id: 20 });
        return together(
          tx,
          () => late(tx),
          () => rows(tx, sql`select 2 as two`),
        );
      })
      .then(
        (r) => r,
        (e: unknown) => e,
      );
    if (t.database.kind === 'server') {
      expect(String(outcome)).toMatch(/did not reach the driver at once/);
      expect(await ids()).toEqual(before);
    } else {
      expect(outcome).toEqual([[{ one: 1 }], [{ two: 2 }]]);
      expect(await ids()).toEqual([...before, 20]);
    }
  });
});

describe('a beforeCommit statement that does not reach the driver at once', () => {
  it('is refused on a server before any commit (nothing is written) and simply runs on the embedded database', async () => {
    const before = await ids();
    const outcome = await t.database
      .transaction(async (tx) => {
        await insert(tx, { id: 30 });
        await beforeCommit(tx, () => rows(tx, sql`insert into pipelining_probe (id) values (31)`));
        return 'committed';
      })
      .then(
        (r) => r,
        (e: unknown) => e,
      );
    if (t.database.kind === 'server') {
      expect(String(outcome)).toMatch(/did not reach the driver at once/);
      expect(await ids()).toEqual(before);
    } else {
      expect(outcome).toBe('committed');
      expect(await ids()).toEqual([...before, 30, 31]);
    }
  });
});
