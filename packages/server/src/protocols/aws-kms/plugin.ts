import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isKmsError } from '../../core/errors.js';
import { requestContext } from '../http/request-context.js';
import { type AwsPartition, DEFAULT_PARTITION } from './arn.js';
import { AWS_ERRORS, AwsProtocolError } from './aws-errors.js';
import { operationFor } from './dispatch.js';
import { verifySigV4 } from './sigv4.js';

export interface AwsKmsDoorOptions {
  /** Region and account id the ARNs carry (config `aws`). */
  readonly partition?: AwsPartition;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

/**
 * The AWS KMS door (DESIGN.md): `POST /` with `X-Amz-Target:
 * TrentService.<Action>` and an awsJson1_1 body, authenticated by SigV4, so
 * an unmodified AWS SDK pointed at this listener works. It translates only;
 * every action calls the service.
 *
 * @example
 * await app.register(awsKmsDoor, { partition: { region: 'eu-west-1', accountId: '123456789012' } });
 */
export const awsKmsDoor: FastifyPluginAsync<AwsKmsDoorOptions> = (app, options) => {
  const partition = options.partition ?? DEFAULT_PARTITION;
  // SigV4 signs the body's bytes, so keep them as received.
  app.addContentTypeParser(
    [CONTENT_TYPE, 'application/x-amz-json-1.0'],
    { parseAs: 'buffer' },
    (_request, body, done) => {
      done(null, body);
    },
  );
  app.setErrorHandler(renderError);
  app.post('/', { config: { api: 'aws', operation: 'aws' } }, async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const principal = await verifySigV4(request.server.kms, request, body, partition.region);
    request.principal = principal;
    const target = request.headers['x-amz-target'];
    const operation = operationFor(typeof target === 'string' ? target : undefined);
    if (operation === undefined) throw new AwsProtocolError('UnknownOperationException', '');
    // Not a spread: a context of the shape every door builds keeps the
    // service's reads of it monomorphic (a spread gave it a class of its own).
    const ctx = Object.assign(requestContext(request), { door: 'aws' as const });
    const result = await operation({ ctx, partition }, parseJson(body));
    return reply.header('content-type', CONTENT_TYPE).send(JSON.stringify(result));
  });
  return Promise.resolve();
};

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new AwsProtocolError(
      'SerializationException',
      'Start of structure or map found where not expected.',
    );
  }
}

/** Every failure as AWS renders it: `{"__type","message"}` and AWS's status. */
function renderError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  let type: string;
  let status: number;
  let message: string;
  if (error instanceof AwsProtocolError) {
    ({ type, status, message } = error);
  } else if (isKmsError(error)) {
    ({ type, status } = AWS_ERRORS[error.code]);
    message =
      error.code === 'UNAUTHENTICATED'
        ? 'The security token included in the request is invalid.'
        : error.message;
    if (status >= 500)
      request.log.error({ errorName: error.name, code: error.code }, 'aws request failed');
  } else if (typeof error.statusCode === 'number' && error.statusCode < 500) {
    type = error.statusCode === 429 ? 'ThrottlingException' : 'ValidationException';
    status = 400;
    message = error.statusCode === 429 ? 'Rate exceeded' : error.message;
  } else {
    request.log.error({ errorName: error.name }, 'aws request failed');
    type = 'KMSInternalException';
    status = 500;
    message = 'An internal error occurred.';
  }
  return reply
    .status(status)
    .header('content-type', CONTENT_TYPE)
    .header('x-amzn-errortype', type)
    .send(JSON.stringify({ __type: type, message }));
}
