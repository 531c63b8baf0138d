/**
 * Forms that keep what was typed: a `Form` holds the submitted values, the German message per field and the general
 * ones, and the idempotency key the form was rendered with. A refusal of the services (LotseError with its `rule`)
 * or of the DTO's validation lands next to the field it concerns (`aria-invalid`, `aria-describedby`) and in the
 * error summary at the top, which links to each field.
 */
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { LotseError } from '../common/errors.js';
import type { FormFields } from './form-body.js';
import { html, type Html } from './html.js';
import { ruleText } from './rule-texts.js';

export const IDEMPOTENCY_FIELD = 'idempotencyKey';

export class Form {
  readonly errors = new Map<string, string>();
  readonly general: string[] = [];
  /** The HTTP status of the refusal, when there is one (422 for invalid input). */
  status = 200;
  /** Keeps the fields' ids unique when a page has several forms with fields of the same name. */
  prefix = '';

  constructor(
    readonly values: FormFields = {},
    /** Fresh for each rendering: a repeat of one submission writes once, a corrected one is a new request. */
    readonly key: string = randomUUID(),
  ) {}

  /** The form as submitted, with the key it was rendered with (the key a double submit repeats). */
  static submitted(values: FormFields): Form {
    const key = typeof values[IDEMPOTENCY_FIELD] === 'string' ? values[IDEMPOTENCY_FIELD] : undefined;
    return new Form(values, key && /^[0-9a-f-]{36}$/.test(key) ? key : randomUUID());
  }

  text(name: string): string {
    const value = this.values[name];
    return (Array.isArray(value) ? value[0] : (value ?? '')).trim();
  }

  list(name: string): string[] {
    const value = this.values[name];
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  }

  /** The text, or undefined when the field was left empty (an optional DTO field). */
  optional(name: string): string | undefined {
    return this.text(name) || undefined;
  }

  /**
   * A number field for a DTO: the number typed, undefined when left empty, else the text itself, which the DTO's
   * validation then refuses as no number.
   */
  number(name: string): number | string | undefined {
    const text = this.text(name);
    const value = Number(text);
    return text === '' ? undefined : Number.isFinite(value) ? value : text;
  }

  get ok(): boolean {
    return this.errors.size === 0 && this.general.length === 0;
  }

  fieldError(name: string, message: string): void {
    if (!this.errors.has(name)) this.errors.set(name, message);
    this.status = Math.max(this.status, 422);
  }

  /**
   * Takes a refusal of a service into the form: its German rule text next to the field `fieldOfRule` names (else at
   * the top). Anything that is not a refusal (a bug, a lost database) is thrown on.
   */
  refused(error: unknown, fieldOfRule: Record<string, string> = {}): this {
    if (!(error instanceof LotseError)) throw error;
    const message = ruleText(error.rule, error.message);
    const field = error.rule ? fieldOfRule[error.rule] : undefined;
    if (field) this.errors.set(field, message);
    else this.general.push(message);
    this.status = error.status;
    return this;
  }

  /**
   * Runs the form's action; true when it was done. A refusal is taken into the form as `refused` does, so the
   * caller renders the form again.
   */
  async attempt(action: () => Promise<unknown>, fieldOfRule: Record<string, string> = {}): Promise<boolean> {
    try {
      await action();
      return true;
    } catch (error) {
      this.refused(error, fieldOfRule);
      return false;
    }
  }

  /** Names the form, for the ids of its fields (`feld-<prefix>-<name>`). */
  named(prefix: string): this {
    this.prefix = prefix;
    return this;
  }

  /** The same form to render again after a refusal: what was typed, with a new key for the corrected submission. */
  again(): Form {
    const form = new Form(this.values);
    for (const [name, message] of this.errors) form.errors.set(name, message);
    form.general.push(...this.general);
    form.status = this.status;
    form.prefix = this.prefix;
    return form;
  }
}

/** German messages for class-validator's constraints, by constraint name. */
function constraintText(constraint: string, message: string): string {
  const number = /(\d+)/.exec(message)?.[1];
  switch (constraint) {
    case 'isUuid':
    case 'isUUID':
    case 'isIn':
      return 'Bitte wählen Sie eine der angebotenen Möglichkeiten.';
    case 'isCalendarDay':
      return 'Bitte geben Sie ein gültiges Datum an.';
    case 'minLength':
      return `Bitte geben Sie mindestens ${number} Zeichen ein.`;
    case 'maxLength':
      return `Bitte geben Sie höchstens ${number} Zeichen ein.`;
    case 'isInt':
      return 'Bitte geben Sie eine ganze Zahl ein.';
    case 'min':
      return `Bitte geben Sie mindestens ${number} ein.`;
    case 'max':
      return `Bitte geben Sie höchstens ${number} ein.`;
    case 'isEmail':
      return 'Bitte geben Sie eine E-Mail-Adresse ein.';
    case 'matches':
      return 'Bitte geben Sie die Uhrzeit als HH:MM an.';
    case 'arrayMinSize':
      return 'Bitte geben Sie mindestens einen Eintrag an.';
    case 'isBoolean':
      return 'Bitte wählen Sie Ja oder Nein.';
    default:
      return 'Diese Angabe ist ungültig.';
  }
}

function flatten(errors: ValidationError[], prefix = ''): { path: string; constraint: string; message: string }[] {
  return errors.flatMap((error) => [
    ...Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
      path: `${prefix}${error.property}`,
      constraint,
      message,
    })),
    ...flatten(error.children ?? [], `${prefix}${error.property}.`),
  ]);
}

/**
 * Validates the body a form builds against the API's DTO (the same rules as the API's ValidationPipe); each failure
 * becomes a German message at the field `fieldOf` maps its property path to (default: the path itself).
 */
export async function validated<T extends object>(
  form: Form,
  dto: new () => T,
  body: Record<string, unknown>,
  fieldOf: (path: string) => string = (p) => p,
): Promise<T | undefined> {
  const instance = plainToInstance(dto, body);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  for (const failure of flatten(errors))
    form.fieldError(fieldOf(failure.path), constraintText(failure.constraint, failure.message));
  return errors.length ? undefined : instance;
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

const idOf = (form: Form, name: string) =>
  `feld-${form.prefix ? `${form.prefix}-` : ''}${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

interface FieldOptions {
  name: string;
  label: string;
  hint?: string;
  required?: boolean;
}

function describedBy(form: Form, options: FieldOptions): { attributes: Html; before: Html } {
  const id = idOf(form, options.name);
  const error = form.errors.get(options.name);
  const ids = [options.hint ? `${id}-hinweis` : '', error ? `${id}-fehler` : ''].filter(Boolean).join(' ');
  return {
    attributes: html` id="${id}" name="${options.name}"${options.required ? html` required` : ''}${ids ? html` aria-describedby="${ids}"` : ''}${error ? html` aria-invalid="true"` : ''}`,
    before: html`${options.hint && html`<span class="hint" id="${id}-hinweis">${options.hint}</span>`}${error && html`<span class="error-message" id="${id}-fehler"><span class="visually-hidden">Fehler: </span>${error}</span>`}`,
  };
}

export function textField(
  form: Form,
  options: FieldOptions & {
    type?: 'text' | 'date' | 'time' | 'number' | 'password' | 'email';
    autocomplete?: string;
    value?: string;
    multiline?: boolean;
    hiddenLabel?: boolean;
  },
): Html {
  const { attributes, before } = describedBy(form, options);
  const value = options.value ?? form.text(options.name);
  const control = options.multiline
    ? html`<textarea${attributes}>${value}</textarea>`
    : html`<input type="${options.type ?? 'text'}"${attributes} value="${options.type === 'password' ? '' : value}"${options.autocomplete ? html` autocomplete="${options.autocomplete}"` : ''}>`;
  return html`<div class="field${form.errors.has(options.name) ? ' invalid' : ''}"><label for="${idOf(form, options.name)}"${options.hiddenLabel ? html` class="visually-hidden"` : ''}>${options.label}</label>${before}${control}</div>`;
}

export function selectField(
  form: Form,
  options: FieldOptions & { choices: { value: string; label: string }[]; placeholder?: string; hiddenLabel?: boolean },
): Html {
  const { attributes, before } = describedBy(form, options);
  const selected = form.text(options.name);
  return html`<div class="field${form.errors.has(options.name) ? ' invalid' : ''}"><label for="${idOf(form, options.name)}"${options.hiddenLabel ? html` class="visually-hidden"` : ''}>${options.label}</label>${before}<select${attributes}>
    ${options.placeholder !== undefined && html`<option value="">${options.placeholder}</option>`}
    ${options.choices.map((c) => html`<option value="${c.value}"${c.value === selected ? html` selected` : ''}>${c.label}</option>`)}
  </select></div>`;
}

/** Radio buttons in a fieldset; the error is tied to the group through the fieldset's aria-describedby. */
export function radioField(form: Form, options: FieldOptions & { choices: { value: string; label: string }[] }): Html {
  const id = idOf(form, options.name);
  const error = form.errors.get(options.name);
  const selected = form.text(options.name);
  const ids = [options.hint ? `${id}-hinweis` : '', error ? `${id}-fehler` : ''].filter(Boolean).join(' ');
  return html`<fieldset class="field choices${error ? ' invalid' : ''}" id="${id}"${ids ? html` aria-describedby="${ids}"` : ''}>
    <legend>${options.label}</legend>
    ${options.hint && html`<span class="hint" id="${id}-hinweis">${options.hint}</span>`}
    ${error && html`<span class="error-message" id="${id}-fehler"><span class="visually-hidden">Fehler: </span>${error}</span>`}
    ${options.choices.map((c, i) => html`<label><input type="radio" name="${options.name}" id="${id}-${i}" value="${c.value}"${c.value === selected ? html` checked` : ''}${error ? html` aria-invalid="true"` : ''}${options.required ? html` required` : ''}> ${c.label}</label>`)}
  </fieldset>`;
}

/** The hidden idempotency key: a double submit of the same rendering is one action. */
export function keyField(form: Form): Html {
  return html`<input type="hidden" name="${IDEMPOTENCY_FIELD}" value="${form.key}">`;
}

/** The summary at the top of a refused form: every message, each linking to its field. */
export function errorSummary(form: Form, labels: Record<string, string> = {}): Html {
  if (form.ok) return html``;
  const title = `fehler-${form.prefix || 'formular'}`;
  return html`<div class="error-summary" role="alert" aria-labelledby="${title}" tabindex="-1">
    <h2 id="${title}">Bitte prüfen Sie Ihre Angaben</h2>
    <ul>
      ${form.general.map((message) => html`<li>${message}</li>`)}
      ${[...form.errors].map(([name, message]) => html`<li><a href="#${idOf(form, name)}">${labels[name] ? `${labels[name]}: ` : ''}${message}</a></li>`)}
    </ul>
  </div>`;
}
