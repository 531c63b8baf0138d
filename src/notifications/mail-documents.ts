import { Injectable } from '@nestjs/common';
import type { MailDocument } from '../../workflows/shared/mail.js';
import { UndeliverableMail, type MailAttachment } from './mail-message.js';

/** Fetches one document by its id; throws a PermanentFailure when it does not exist. */
export type DocumentSource = (id: string) => Promise<MailAttachment>;

/**
 * Documents a programme attaches to its messages, fetched when the message is sent: a payload names them
 * (`{ kind: 'certificate', id }`) and stays small in the outbox, and the programme that owns a kind renders it.
 */
@Injectable()
export class MailDocuments {
  private readonly sources = new Map<string, DocumentSource>();

  register(kind: string, source: DocumentSource): void {
    if (this.sources.has(kind)) throw new Error(`mail documents of kind ${kind} are already provided`);
    this.sources.set(kind, source);
  }

  async fetch(documents: MailDocument[]): Promise<MailAttachment[]> {
    return Promise.all(
      documents.map((document) => {
        const source = this.sources.get(document.kind);
        if (!source) throw new UndeliverableMail(`no programme provides mail documents of kind ${document.kind}`);
        return source(document.id);
      }),
    );
  }
}
