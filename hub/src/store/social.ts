/**
 * Social indicators (catalogue) and their values per district and period.
 *
 * Sample data never mixes with real data: an indicator is either sample (fictional numbers) or
 * real. Real data replaces sample data (importing real values or a real catalogue entry for a
 * sample indicator deletes its sample values first); importing sample data into a real
 * indicator is refused by the caller (see `sampleConflicts`).
 */
import type { SqlClient } from './sql.ts';

export interface SocialIndicatorRecord {
  id: string;
  nameDa: string;
  nameEn: string;
  unit: string;
  higherIsBetter: boolean;
  source: string | null;
  sample: boolean;
}

export interface SocialValueRecord {
  district: string;
  indicator: string;
  period: string;
  value: number;
  individuals: number;
  source: string | null;
  importedAt: string;
}

interface IndicatorRow {
  id: string;
  name_da: string;
  name_en: string;
  unit: string;
  higher_is_better: number;
  source: string | null;
  sample: number;
}

interface ValueRow {
  district: string;
  indicator: string;
  period: string;
  value: number;
  individuals: number;
  source: string | null;
  imported_at: string;
}

const toIndicator = (r: IndicatorRow): SocialIndicatorRecord => ({
  id: r.id,
  nameDa: r.name_da,
  nameEn: r.name_en,
  unit: r.unit,
  higherIsBetter: r.higher_is_better === 1,
  source: r.source,
  sample: r.sample === 1,
});

const toValue = (r: ValueRow): SocialValueRecord => ({
  district: r.district,
  indicator: r.indicator,
  period: r.period,
  value: r.value,
  individuals: r.individuals,
  source: r.source,
  importedAt: r.imported_at,
});

export type CatalogueInput = Omit<SocialIndicatorRecord, 'sample' | 'source'> & { source?: string | null; sample?: boolean };
export type SocialValueInputRow = Pick<SocialValueRecord, 'district' | 'indicator' | 'period' | 'value' | 'individuals'>;

export class SocialIndicators {
  constructor(private readonly sql: SqlClient) {}

  async indicators(): Promise<SocialIndicatorRecord[]> {
    return (await this.sql.all<IndicatorRow>('SELECT * FROM social_indicators ORDER BY id')).map(toIndicator);
  }

  async indicator(id: string): Promise<SocialIndicatorRecord | undefined> {
    const row = await this.sql.get<IndicatorRow>('SELECT * FROM social_indicators WHERE id = ?', [id]);
    return row && toIndicator(row);
  }

  /** Of `ids`, those that hold real data although the import is sample data (it must not mix in). */
  async sampleConflicts(ids: Iterable<string>, sample: boolean): Promise<string[]> {
    if (!sample) return [];
    const conflicts: string[] = [];
    for (const id of new Set(ids)) if ((await this.sql.get('SELECT 1 FROM social_indicators WHERE id = ? AND sample = 0', [id])) !== undefined) conflicts.push(id);
    return conflicts.sort();
  }

  /**
   * Imports catalogue entries and values in one transaction (all or nothing). Each entry's and
   * row's sample flag is `sample` (an entry may also say `sample: true` itself). Existing values
   * of the same district, indicator and period are replaced; others are kept.
   */
  import(
    input: { catalogue?: readonly CatalogueInput[]; values?: readonly SocialValueInputRow[]; source: string | null; sample: boolean },
    at: Date,
  ): Promise<{ indicators: number; values: number }> {
    return this.sql.transaction(async (tx) => {
      /** Real data replaces sample data: the sample values go before the first real row of an indicator lands. */
      const claim = async (id: string, sample: boolean) => {
        const flag = (await tx.get<{ sample: number }>('SELECT sample FROM social_indicators WHERE id = ?', [id]))?.sample;
        if (flag === 1 && !sample) {
          await tx.run('DELETE FROM social_values WHERE indicator = ?', [id]);
          await tx.run('UPDATE social_indicators SET sample = ? WHERE id = ?', [0, id]);
        }
      };
      for (const e of input.catalogue ?? []) {
        const sample = input.sample || e.sample === true;
        await claim(e.id, sample);
        await tx.run(
          `INSERT INTO social_indicators (id, name_da, name_en, unit, higher_is_better, source, sample) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(id) DO UPDATE SET name_da = excluded.name_da, name_en = excluded.name_en, unit = excluded.unit,
             higher_is_better = excluded.higher_is_better, source = excluded.source, sample = excluded.sample`,
          [e.id, e.nameDa, e.nameEn, e.unit, e.higherIsBetter ? 1 : 0, e.source ?? input.source, sample ? 1 : 0],
        );
      }
      const claimed = new Set<string>();
      for (const v of input.values ?? []) {
        if (!claimed.has(v.indicator)) {
          await claim(v.indicator, input.sample);
          claimed.add(v.indicator);
        }
        await tx.run(
          `INSERT INTO social_values (district, indicator, period, value, individuals, source, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(district, indicator, period) DO UPDATE SET value = excluded.value, individuals = excluded.individuals,
             source = excluded.source, imported_at = excluded.imported_at`,
          [v.district, v.indicator, v.period, v.value, v.individuals, input.source, at.toISOString()],
        );
      }
      return { indicators: input.catalogue?.length ?? 0, values: input.values?.length ?? 0 };
    });
  }

  /** Values, optionally of one district and/or one indicator, ordered by indicator, district, period. */
  async values(filter: { district?: string; indicator?: string } = {}): Promise<SocialValueRecord[]> {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.district !== undefined) {
      where.push('district = ?');
      params.push(filter.district);
    }
    if (filter.indicator !== undefined) {
      where.push('indicator = ?');
      params.push(filter.indicator);
    }
    const sql = `SELECT * FROM social_values ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY indicator, district, period`;
    return (await this.sql.all<ValueRow>(sql, params)).map(toValue);
  }
}
