// The form schema shape of definitions/forms/README.md, as served by GET /api/forms/{formId}.

export type FieldType = 'text' | 'textarea' | 'number' | 'integer' | 'date' | 'datetime' | 'select' | 'multiselect' | 'checkbox' | 'email' | 'phone' | 'file' | 'table';
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface FormOption { value: string | number | boolean; label: string; }
export interface FormField {
  key: string; label: string; type: FieldType; help?: string; placeholder?: string; default?: Json; required?: boolean;
  minLength?: number; maxLength?: number; pattern?: string; patternMessage?: string; format?: string; min?: number; max?: number;
  options?: FormOption[]; minItems?: number; maxItems?: number; accept?: string[]; columns?: FormField[]; rules?: FormRule[];
  /** 'platform': filled by the server from its records (catalog, organisation); never sent by the client. */
  source?: 'platform';
}
export interface FormSection { key: string; title: string; description?: string; fields: FormField[]; }
export interface FormCondition { field: string; equals?: Json; notEquals?: Json; in?: Json[]; notIn?: Json[]; filled?: boolean; }
export interface FormRule {
  kind: 'requiredWhen' | 'emptyWhen' | 'allowedWhen' | 'compare' | 'dateRange' | 'unique' | 'custom';
  message?: string; field?: string; when?: FormCondition; values?: Json[]; left?: string; operator?: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'; right?: string;
  start?: string; end?: string; maxDays?: number; table?: string; columns?: string[]; name?: string; fields?: Record<string, string>;
}
// The defaults of a text field without its own maxLength (FormField.EffectiveMaxLength on the server).
const defaultMaxLength: Partial<Record<FieldType, number>> = { text: 200, textarea: 2000, email: 254, phone: 30 };

/** The most characters the server takes in this field: its maxLength, or its type's default. */
export const effectiveMaxLength = (field: FormField): number | undefined => field.maxLength ?? defaultMaxLength[field.type];

export interface FormSchema { id: string; version: number; title: string; description?: string; sections: FormSection[]; rules?: FormRule[]; }

export type Permission = 'editable' | 'readonly' | 'readOnly' | 'hidden';
export interface FieldPermissions { default: string; fields?: Record<string, string> | null; }

export function permissionOf(permissions: FieldPermissions | null | undefined, key: string): 'editable' | 'readonly' | 'hidden' {
  const value = (permissions?.fields?.[key] ?? permissions?.default ?? 'editable').toLowerCase();
  return value === 'hidden' ? 'hidden' : value === 'readonly' ? 'readonly' : 'editable';
}

export function allFields(schema: FormSchema): FormField[] { return schema.sections.flatMap((s) => s.fields); }

export function initialData(schema: FormSchema): Record<string, Json> {
  const data: Record<string, Json> = {};
  for (const field of allFields(schema)) if (field.default !== undefined) data[field.key] = field.default;
  return data;
}

/** The fields the platform fills from its records: shown read-only, never sent (the server refuses a different value). */
export const platformFields = (schema: FormSchema): string[] =>
  schema.sections.flatMap((s) => s.fields).filter((f) => f.source === 'platform').map((f) => f.key);

/** What an applicant edits: every field but those the platform fills (shown, never typed, never checked here). */
export const applicantPermissions = (schema: FormSchema): FieldPermissions =>
  ({ default: 'editable', fields: Object.fromEntries(platformFields(schema).map((k) => [k, 'readonly'])) });

/** The form without the fields the platform fills. */
export function withoutPlatformFields(schema: FormSchema, data: Record<string, unknown>): Record<string, unknown> {
  const platform = new Set(platformFields(schema));
  return Object.fromEntries(Object.entries(data).filter(([k]) => !platform.has(k)));
}
