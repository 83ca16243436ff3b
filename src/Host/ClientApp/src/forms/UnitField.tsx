// A form field that holds a unit's id (its key ends in `UnitId`, e.g. the account forms' accountUnitId): picked from the
// organisation by name and shown by name, never typed or read as a code (issue #18: unit ids such as `mzj` reached users).
// The server still decides whether the applicant may name the unit (AccountFacts.AnswersFor) and says so on the field.
import { Select, Typography } from 'antd';
import { useAuth } from '../auth';
import { useUnitOptions } from '../directory';
import type { UnitOption } from '../types';
import type { FormField } from './schema';

/** Whether a text field holds a unit's id, by the forms' naming convention (definitions/forms/README.md). */
export const isUnitField = (field: FormField) => field.type === 'text' && field.key.endsWith('UnitId');

/** The units an applicant of `own` may name: its own, its secondary units, a county data authority's county departments. */
export function unitsFor(own: { id: string; kind: string; regionCode: string } | undefined, units: UnitOption[]): UnitOption[] {
  if (!own) return [];
  return units.filter((u) => u.id === own.id || u.parentId === own.id
    || (own.kind === 'CountyAuthority' && u.kind === 'CountyDepartment' && u.regionCode === own.regionCode));
}

export function UnitSelect({ id, value, set, disabled }: { id: string; value: unknown; set: (v: unknown) => void; disabled: boolean }) {
  const { me } = useAuth();
  const units = useUnitOptions();
  const options = unitsFor(me?.unit, units.data ?? []).map((u) => ({ value: u.id, label: u.name }));
  return <Select id={id} value={(value as string) || undefined} onChange={(v) => set(v ?? '')} disabled={disabled} allowClear showSearch optionFilterProp="label"
    loading={units.loading} style={{ minWidth: 320 }} placeholder="请选择单位" options={options} />;
}

export function UnitName({ id }: { id: string }) {
  const units = useUnitOptions();
  const name = units.data?.find((u) => u.id === id)?.name;
  return <Typography.Text>{name ?? (units.loading ? '…' : '未知单位')}</Typography.Text>;
}
