/**
 * Column shapes for migrations, portable across SQLite and PostgreSQL. Applied migrations depend on these: change
 * what a helper produces only by adding a new helper.
 */
export const str = (name: string, length: number, nullable = false) => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
export const text = (name: string, nullable = false) => ({ name, type: 'text', isNullable: nullable });
export const int = (name: string) => ({ name, type: 'integer' });
export const real = (name: string) => ({ name, type: 'real' });
/** An id or reference to one (UUID text). */
export const uuid = (name: string, nullable = false) => str(name, 36, nullable);
/** A calendar day, YYYY-MM-DD. */
export const day = (name: string, nullable = false) => str(name, 10, nullable);
export const serial = {
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment' as const,
};
