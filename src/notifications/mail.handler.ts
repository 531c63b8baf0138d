import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { LotseConfig } from '../../config/configuration.js';
import { MAIL_EFFECT } from '../../workflows/shared/mail.js';
import { Clock } from '../engine/clock.js';
import { OutboxDispatcher } from '../engine/outbox-dispatcher.js';
import type { OutboxRow } from '../engine/persistence/entities.js';
import { MailDocuments } from './mail-documents.js';
import { buildMailMessage, mailPayload, type MessageTemplates } from './mail-message.js';
import { MailTransport } from './mail-transport.js';

/** The message templates of all programmes (plus any a test adds), keyed `<programme>/<template>`. */
export const MESSAGE_TEMPLATES = Symbol('MESSAGE_TEMPLATES');

/**
 * Carries out `mail` effects from the outbox: renders, then hands the message to the transport. The engine's
 * dispatcher claims, retries with backoff and dead-letters; this handler only decides what a failure means.
 */
@Injectable()
export class MailHandler implements OnModuleInit {
  private readonly logger = new Logger(MailHandler.name);

  constructor(
    private readonly dispatcher: OutboxDispatcher,
    private readonly transport: MailTransport,
    private readonly clock: Clock,
    private readonly config: LotseConfig,
    private readonly documents: MailDocuments,
    @Inject(MESSAGE_TEMPLATES) private readonly templates: MessageTemplates,
  ) {}

  onModuleInit(): void {
    this.dispatcher.register(MAIL_EFFECT, (message) => this.send(message), this.transport.longestAttemptMs);
    this.logger.log(`mail goes to ${this.transport.target}`);
  }

  /** An UndeliverableMail is a PermanentFailure: the dispatcher dead-letters it without retrying. */
  async send(message: OutboxRow): Promise<void> {
    const payload = mailPayload(message.payload);
    await this.transport.deliver(
      buildMailMessage({
        outboxKey: message.key,
        payload,
        templates: this.templates,
        from: this.config.mailFrom,
        replyTo: this.config.mailReplyTo,
        publicBaseUrl: this.config.publicBaseUrl,
        timeZone: this.config.timeZone,
        queuedAt: new Date(message.createdAt),
        now: this.clock.now(),
        documents: await this.documents.fetch(payload.documents ?? []),
      }),
    );
  }
}
