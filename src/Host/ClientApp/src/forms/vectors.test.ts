// The shared test vectors (tests/vectors/form-validation.json): the browser's validator gives exactly the errors each
// vector expects, as the server's FormValidator does in tests/Workflows.Tests/Forms/SharedVectorTests.cs.
import { describe, expect, it } from 'vitest';
import file from '../../../../../tests/vectors/form-validation.json';
import type { FormField, FormRule, FormSchema } from './schema';
import { validationProblems } from './validate';

interface Vector {
  name: string; field?: FormField; value?: unknown; fields?: FormField[]; rules?: FormRule[]; data?: Record<string, unknown>;
  errors: { path: string; code: string; message: string }[];
}

const vectors = (file as { vectors: unknown[] }).vectors as Vector[];
const line = (e: { path: string; code: string; message: string }) => `${e.path} [${e.code}] ${e.message}`;

describe('the shared form validation vectors', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_, vector) => {
    const schema: FormSchema = {
      id: 'vector', version: 1, title: '测试向量',
      sections: [{ key: 'main', title: '主要信息', fields: vector.field ? [vector.field] : vector.fields! }], rules: vector.rules ?? [],
    };
    const data = vector.field ? ('value' in vector ? { [vector.field.key]: vector.value } : {}) : vector.data!;

    const problems = validationProblems(schema, data).map(line).sort();

    expect(problems).toEqual(vector.errors.map(line).sort());
  });
});
