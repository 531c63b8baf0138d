import { html, type Html } from './html.js';

/** Links to download a list as CSV (German Excel) and XLSX (GET /exports/{list}.csv|xlsx, with the session cookie). */
export function exportLinks(
  label: string,
  list: 'enrolments' | 'attendance' | 'deadlines' | 'certificates',
  query = '',
): Html {
  return html`<p class="no-print">${label}: <a href="/exports/${list}.csv${query}" download>CSV</a>, <a href="/exports/${list}.xlsx${query}" download>Excel (XLSX)</a></p>`;
}
