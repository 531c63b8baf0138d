import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSchema,
  getSchemaPath,
  type ApiSchemaOptions,
  type SchemaObject,
} from '@nestjs/swagger';

/**
 * The schema is open: a problem carries the details of the rule that refused the request as further members (409
 * `event-allowed-in-state` adds `state` and `acceptedEvents`, 429 adds `retryAfterSeconds`), as RFC 9457 allows.
 */
const PROBLEM_SCHEMA: ApiSchemaOptions & Pick<SchemaObject, 'additionalProperties'> = {
  name: 'Problem',
  description:
    'RFC 9457 problem details (application/problem+json); `rule` names what refused the request, further members carry its details',
  additionalProperties: true,
};

/** Every refusal, as `ProblemFilter` writes it: one schema for every error status of every operation. */
@ApiSchema(PROBLEM_SCHEMA)
export class ProblemResponse {
  @ApiProperty({
    description: 'urn:lotse:problem:<rule>, or about:blank for an unexpected error',
    example: 'urn:lotse:problem:in-writing',
  })
  type!: string;

  @ApiProperty({ example: 'Rule violated' })
  title!: string;

  @ApiProperty({ example: 422 })
  status!: number;

  @ApiProperty({
    description: 'What went wrong, in a sentence',
    example: 'a notice is given in writing: reference and receivedOn are required',
  })
  detail!: string;

  @ApiProperty({ description: 'The request path', example: '/contracts/0b7f5c5e-3f7c-4c1e-9d55-4f3a3b8e2a10/notices' })
  instance!: string;

  @ApiPropertyOptional({
    description: 'The rule that refused the request; a client tells refusals apart by it',
    example: 'in-writing',
  })
  rule?: string;

  @ApiProperty({ description: 'Also the X-Request-Id header; quote it when reporting a problem' })
  correlationId!: string;

  @ApiPropertyOptional({ type: [String], description: 'Each malformed field (400 request-schema)' })
  errors?: string[];
}

/** The error statuses Lotse answers, each with what it means for any operation. */
const MEANING = {
  400: 'Malformed request: a parameter, field or date that is not valid (rule request-schema), or input refused at the edge (a NUL character, nesting too deep)',
  401: 'No valid bearer token (WWW-Authenticate: Bearer)',
  403: "Not allowed for the caller's role, or outside the caller's scope",
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with the current state (which state, and the events it accepts) or with a concurrent change',
  413: 'The body is over 100 kB, also after inflating (rule body-size-limit)',
  415: 'A body in an encoding or charset other than JSON in UTF-8, optionally gzip or deflate (rule body-encoding)',
  422: 'A rule refuses the request; `rule` names it. Nothing was written',
  429: 'Too many requests from this address (rule rate-limit); Retry-After says when to try again',
  503: 'The identity provider could not be asked for its keys; try again',
} as const;

export type ProblemStatus = keyof typeof MEANING;

/** One error status answered as application/problem+json with the shared Problem schema. */
export const ApiProblem = (status: ProblemStatus, description: string = MEANING[status]) =>
  applyDecorators(
    ApiExtraModels(ProblemResponse),
    ApiResponse({
      status,
      description,
      content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemResponse) } } },
    }),
  );

/**
 * The error statuses an operation can answer besides those its sign-in adds (`@Allow`: 401, 403, 503) and its rate
 * limit (`@RateLimited`: 429). 400 is always among them: any request can be malformed (a bad id, a NUL character in
 * the URL).
 */
export const ApiProblems = (...statuses: ProblemStatus[]) =>
  applyDecorators(...[...new Set<ProblemStatus>([400, ...statuses])].map((status) => ApiProblem(status)));

/** The same for an operation that takes a JSON body, which can also be too large (413) or unreadable (415). */
export const ApiWriteProblems = (...statuses: ProblemStatus[]) => ApiProblems(413, 415, ...statuses);
