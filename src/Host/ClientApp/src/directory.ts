// Names the lists' filters offer: the processes and the organisation's units, fetched once per page load.
import { api } from './api';
import type { DefinitionSummary, UnitOption } from './types';
import { useLoad } from './useLoad';

let processes: Promise<{ value: string; label: string }[]> | null = null;
let units: Promise<UnitOption[]> | null = null;

export function useProcessOptions() {
  return useLoad(() => {
    processes ??= api.get<DefinitionSummary[]>('/api/definitions').then((all) => {
      const latest = new Map<string, DefinitionSummary>();
      for (const d of all) if (!latest.has(d.definitionId) || latest.get(d.definitionId)!.version < d.version) latest.set(d.definitionId, d);
      return [...latest.values()].map((d) => ({ value: d.definitionId, label: d.name ?? '未命名流程' })).sort((a, b) => a.label.localeCompare(b.label, 'zh-CN'));
    }).catch((e) => { processes = null; throw e; });
    return processes;
  }, []);
}

export function useUnitOptions() {
  return useLoad(() => {
    units ??= api.get<UnitOption[]>('/api/units').catch((e) => { units = null; throw e; });
    return units;
  }, []);
}
