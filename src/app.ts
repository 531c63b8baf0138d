import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import helmet from 'helmet';
import { AppModule, type AppOptions } from './app.module.js';
import { ProblemFilter } from './common/problem.filter.js';
import { BODY_LIMIT, explainBodyParserError, refuseHostileInput } from './common/request-guard.js';

/** Builds the HTTP application the same way for `npm start`, the demo and end-to-end tests. */
export async function createApp(options: AppOptions): Promise<INestApplication> {
  // JSON only (no form bodies), within BODY_LIMIT; then one walk over headers, URL and body (request-guard.ts).
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    logger: process.env.LOTSE_QUIET ? ['error'] : undefined,
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: BODY_LIMIT });
  app.use(explainBodyParserError);
  app.use(refuseHostileInput);
  // Security headers on every answer (helmet's defaults: CSP, HSTS, nosniff, frame and referrer policies).
  app.use(helmet());
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Lotse')
    .setDescription('Workflow engine for qualification programmes in school administration. Errors are application/problem+json.')
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT or API token', description: 'POST /auth/token, the Land\'s identity provider, or an API token' })
    .build());
  SwaggerModule.setup('docs', app, document);
  return app;
}
