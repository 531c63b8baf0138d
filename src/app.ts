import { type DynamicModule, type INestApplication, Module, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { Logger as NestPinoLogger, LoggerModule, PinoLogger, type Params } from 'nestjs-pino';
import pg from 'pg';
import type { LotseConfig } from '../config/configuration.js';
import { AppModule, type AppOptions } from './app.module.js';
import { accessLog, createLogger } from './common/logging.js';
import { ProblemFilter } from './common/problem.filter.js';
import { BODY_LIMIT, explainBodyParserError, refuseHostileInput } from './common/request-guard.js';
import { formBody } from './web/form-body.js';

/** The application and the logging around it: Nest's own log lines and ours go through the same JSON logger. */
@Module({})
class LoggedAppModule {
  static forRoot(options: AppOptions, logging: Params): DynamicModule {
    return { module: LoggedAppModule, imports: [LoggerModule.forRoot(logging), AppModule.forRoot(options)] };
  }
}

/** Builds the HTTP application the same way for `npm start`, the demo and end-to-end tests. */
export async function createApp(options: AppOptions): Promise<INestApplication> {
  // LOTSE_QUIET: tests, the demo and benchmarks log errors only.
  const logger = createLogger(process.env.LOTSE_QUIET ? 'error' : options.config.logLevel);
  // useExisting: the access-log middleware is mounted below, ahead of body parsing, so that a request refused for a
  // malformed body is logged with its id too; nestjs-pino binds each request's logger for the log lines made in it.
  const logging: Params = { pinoHttp: { logger }, useExisting: true };
  // Nest logs through pino from the first line on, start-up failures included; abortOnError false lets such a
  // failure (database unreachable) reach main(), which says what failed and exits.
  const app = await oneAtATime(options.config, () =>
    NestFactory.create<NestExpressApplication>(LoggedAppModule.forRoot(options, logging), {
      logger: new NestPinoLogger(new PinoLogger(logging), logging),
      abortOnError: false,
      bodyParser: false,
    }),
  );
  app.use(accessLog(logger));
  // JSON, and HTML forms' bodies for the pages under /app only, within BODY_LIMIT; then one walk over headers, URL
  // and body (request-guard.ts).
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(explainBodyParserError);
  app.use('/app', formBody);
  app.use(refuseHostileInput);
  // Security headers on every answer (helmet's defaults: CSP, HSTS, nosniff, frame and referrer policies).
  app.use(helmet());
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Lotse')
      .setDescription(
        'Workflow engine for qualification programmes in school administration. Errors are application/problem+json; every response carries X-Request-Id.',
      )
      .setVersion('0.1.0')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT or API token',
        description: "POST /auth/token, the Land's identity provider, or an API token",
      })
      .build(),
    {
      // Operation ids are the controller methods' names (`getContract`, `recordAttendance`): what a generated client calls.
      operationIdFactory: (_controller: string, method: string) => method,
    },
  );
  SwaggerModule.setup('docs', app, document);
  return app;
}

/** Any fixed number, the same in every Lotse process: the key of the advisory lock around start-up. */
const START_UP_LOCK = 5_071_657_335;

/**
 * Several processes starting at once on one PostgreSQL database (a rolling upgrade, a fresh cluster) would run the
 * same migrations at once, and all but one would fail. On PostgreSQL, start-up (which applies pending migrations)
 * therefore holds a session advisory lock: the others wait, then find nothing left to migrate. SQLite has one
 * process and needs none.
 */
async function oneAtATime<T>(config: LotseConfig, start: () => Promise<T>): Promise<T> {
  if (!config.databaseUrl) return start();
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [START_UP_LOCK]);
    return await start();
  } finally {
    // Ending the session releases the lock, also when start-up failed.
    await client.end();
  }
}
