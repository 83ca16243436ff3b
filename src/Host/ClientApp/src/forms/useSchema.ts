import { api } from '../api';
import { useLoad } from '../useLoad';
import type { FormSchema } from './schema';

const cache = new Map<string, Promise<FormSchema>>();

/** The form schema as the server has it (GET /api/forms/{formId}), fetched once per page load. */
export function useSchema(formId: string | null | undefined) {
  return useLoad(async () => {
    if (!formId) return null;
    if (!cache.has(formId)) cache.set(formId, api.get<FormSchema>(`/api/forms/${encodeURIComponent(formId)}`).catch((e) => { cache.delete(formId); throw e; }));
    return cache.get(formId)!;
  }, [formId]);
}
