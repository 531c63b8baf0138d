/**
 * A small escaping template for server-rendered pages: `html\`<p>${name}</p>\`` escapes every interpolated value
 * unless it is itself `Html` (a fragment built the same way). Arrays are joined; null, undefined and false render as
 * nothing, so `${cond && html\`…\`}` works. There is no other way to put text into a page, so nothing unescaped can
 * reach one by accident.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

export type Interpolation = Html | string | number | boolean | null | undefined | Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
  return new Html(out);
}

/** Text already known to be markup (the stylesheet, a constant): never user input. */
export function trusted(markup: string): Html {
  return new Html(markup);
}
