import { type DynamicModule, Module } from '@nestjs/common';
import { LotseConfig } from '../../config/configuration.js';
import { EngineModule } from '../engine/engine.module.js';
import type { MessageTemplates } from './mail-message.js';
import { MailDocuments } from './mail-documents.js';
import { EmlFileTransport, MailTransport, SmtpMailTransport } from './mail-transport.js';
import { MailHandler, MESSAGE_TEMPLATES } from './mail.handler.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';

/**
 * Mail delivery for every programme: the `mail` effect handler of the outbox, its transport (SMTP or .eml files)
 * and the API for failed messages. Global, so that programmes can provide the documents their messages attach.
 */
@Module({})
export class NotificationsModule {
  static forRoot(options: { messages: MessageTemplates }): DynamicModule {
    return {
      module: NotificationsModule,
      global: true,
      imports: [EngineModule],
      controllers: [NotificationsController],
      providers: [
        { provide: MESSAGE_TEMPLATES, useValue: options.messages },
        {
          provide: MailTransport,
          inject: [LotseConfig],
          useFactory: (config: LotseConfig) =>
            config.smtpUrl
              ? new SmtpMailTransport(config.smtpUrl, {
                  connectionTimeoutMs: config.smtpConnectionTimeoutMs,
                  greetingTimeoutMs: config.smtpGreetingTimeoutMs,
                  socketTimeoutMs: config.smtpSocketTimeoutMs,
                })
              : new EmlFileTransport(config.outboxDir),
        },
        MailHandler,
        MailDocuments,
        NotificationsService,
      ],
      exports: [MailDocuments],
    };
  }
}
