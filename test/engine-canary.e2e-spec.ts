import mongoose, { Connection, Model, Schema } from 'mongoose';
import { concurrently, countBy } from './support/fixtures';

/**
 * The properties of the database engine that the service's correctness rests
 * on, checked directly through mongoose. If any of these fail, the engine is
 * unfit to run the service and every other result of the suite is suspect.
 */
interface Doc {
  key: string;
  count: number;
  items: { id: string }[];
}

describe('Database engine canary', () => {
  let connection: Connection;
  let docs: Model<Doc>;

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGODB_URI!, {
        serverSelectionTimeoutMS: 5000,
      })
      .asPromise();
    docs = connection.model<Doc>(
      'CanaryDoc',
      new Schema<Doc>(
        { key: String, count: Number, items: [{ _id: false, id: String }] },
        { autoIndex: false },
      ).index({ key: 1 }, { unique: true }),
    );
    await docs.createIndexes();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  const guardedPush = (key: string, id: string) =>
    docs
      .findOneAndUpdate(
        { key, 'items.id': { $ne: id } },
        { $push: { items: { id } }, $inc: { count: 1 } },
        { returnDocument: 'after', projection: { _id: 0, count: 1 } },
      )
      .lean<{ count: number }>();

  it('loses no write among 100 concurrent guarded $push/$inc on one document', async () => {
    await docs.create({ key: 'many', count: 0, items: [] });
    const results = await concurrently(100, (i) =>
      guardedPush('many', `id-${i}`),
    );

    const counts = results.map((r) => r?.count).sort((a, b) => a! - b!);
    expect(counts).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const stored = await docs.findOne({ key: 'many' }).lean();
    expect(stored!.count).toBe(100);
    expect(new Set(stored!.items.map((item) => item.id)).size).toBe(100);
    // The post-image count of each push is that item's position + 1.
    stored!.items.forEach((item, index) => {
      expect(results[Number(item.id.slice(3))]!.count).toBe(index + 1);
    });
  });

  it('admits a repeated id once among 40 concurrent guarded pushes', async () => {
    await docs.create({ key: 'same', count: 0, items: [] });
    const results = await concurrently(40, () => guardedPush('same', 'only'));

    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const stored = await docs.findOne({ key: 'same' }).lean();
    expect(stored!.items).toEqual([{ id: 'only' }]);
    expect(stored!.count).toBe(1);
  });

  it('rejects a sequential duplicate key with error 11000', async () => {
    await docs.create({ key: 'dup', count: 0, items: [] });
    await expect(
      docs.create({ key: 'dup', count: 0, items: [] }),
    ).rejects.toMatchObject({
      code: 11000,
    });
    expect(await docs.countDocuments({ key: 'dup' })).toBe(1);
  });

  it('never stores two documents under racing inserts of one key', async () => {
    for (let round = 0; round < 5; round++) {
      const key = `race-${round}`;
      const outcomes = await concurrently(16, () =>
        docs.create({ key, count: 0, items: [] }).then(
          () => 'stored',
          (error: { code?: number }) => `error ${error.code}`,
        ),
      );
      expect(countBy(outcomes, (o) => o).stored).toBe(1);
      expect(await docs.countDocuments({ key })).toBe(1);
    }
  });
});
