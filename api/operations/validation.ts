/**
 * One validator for the API and the CLI: TypeBox's compiled checks over the schemas of schemas.ts, reporting the
 * failing field paths (`items/0/quantity`). Fastify uses it as its validator compiler, the CLI calls it directly.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { DtxError, type FieldError } from './errors';

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor<T extends TSchema>(schema: T): TypeCheck<T> {
  let checker = compiled.get(schema);
  if (checker === undefined) {
    checker = TypeCompiler.Compile(schema);
    compiled.set(schema, checker);
  }
  return checker as TypeCheck<T>;
}

/** The failing fields of `value`, one per path (the first error of each), empty when it is valid. */
export function fieldErrors(schema: TSchema, value: unknown): FieldError[] {
  const checker = checkerFor(schema);
  if (checker.Check(value)) return [];
  const byPath = new Map<string, FieldError>();
  for (const error of checker.Errors(value)) {
    const path = error.path.replace(/^\//, '');
    if (!byPath.has(path)) byPath.set(path, { path, message: messageOf(error.message, error.schema) });
  }
  return [...byPath.values()];
}

/** TypeBox's message, made specific where the schema says more (patterns and bounds). */
function messageOf(message: string, schema: TSchema): string {
  const description = typeof schema.description === 'string' ? ` (${schema.description})` : '';
  return `${message}${description}`;
}

/** An input validation failure that names where the input came from (body, querystring, params, headers). */
export class ValidationFailed extends DtxError {
  constructor(part: string, fields: FieldError[]) {
    super(
      'BAD_REQUEST',
      `invalid ${part}: ${fields.map((f) => `${f.path || '(root)'}: ${f.message}`).join('; ')}`,
      {
        fields,
      },
    );
    this.name = 'ValidationFailed';
  }
}

/** Returns `value` typed by the schema, or throws BAD_REQUEST naming every failing field. */
export function assertValid<T extends TSchema>(schema: T, value: unknown, part = 'input'): Static<T> {
  const fields = fieldErrors(schema, value);
  if (fields.length > 0) throw new ValidationFailed(part, fields);
  return value;
}

/** Fastify validator compiler: the same checks as `assertValid`, errors as ValidationFailed. */
export function fastifyValidatorCompiler({ schema, httpPart }: { schema: TSchema; httpPart?: string }) {
  const part = httpPart ?? 'input';
  return (data: unknown): { value: unknown } | { error: Error } => {
    const fields = fieldErrors(schema, data);
    return fields.length === 0 ? { value: data } : { error: new ValidationFailed(part, fields) };
  };
}
