import type { Role, SignedInActor } from '../auth/policy.js';
import { html, type Html } from './html.js';

export const ROLE_LABELS: Record<Role, string> = {
  ministry: 'Ministerium',
  district: 'Bezirksregierung',
  institute: 'Beauftragte Institution',
  moderator: 'Moderation',
  participant: 'Teilnahme',
  contract_admin: 'Vertragsverwaltung',
};

/** The pages each role works with, in the order of its navigation; the first is its start page. */
export const NAVIGATION: Record<Role, { href: string; label: string }[]> = {
  district: [
    { href: '/app/bezirk/tandems', label: 'Tandems' },
    { href: '/app/bezirk/tandems/neu', label: 'Tandem bilden und anmelden' },
  ],
  institute: [
    { href: '/app/institut/gruppen', label: 'Gruppen' },
    { href: '/app/institut/anmeldungen', label: 'Anmeldungen' },
    { href: '/app/institut/uebersicht', label: 'Landesweite Übersicht' },
  ],
  moderator: [{ href: '/app/moderation/gruppen', label: 'Meine Gruppen' }],
  participant: [{ href: '/app/teilnahme', label: 'Mein Plan' }],
  ministry: [
    { href: '/app/start', label: 'Start' },
    { href: '/app/ministerium', label: 'Landesweite Übersicht' },
    { href: '/app/ministerium/moderation', label: 'Moderationstandems' },
    { href: '/app/vertraege', label: 'Kooperationsverträge' },
  ],
  contract_admin: [
    { href: '/app/start', label: 'Start' },
    { href: '/app/vertraege', label: 'Meine Verträge' },
    { href: '/app/vertraege/rechner', label: 'Kündigungsrechner' },
  ],
};

/** The caller as the pages show it: with the name the DisplayNameInterceptor found, if any. */
export type PageActor = SignedInActor & { displayName?: string };

export interface PageOptions {
  title: string;
  actor?: PageActor;
  /** The path of the page, to mark its navigation entry as current. */
  path?: string;
  /** A confirmation shown above the content (after a successful action), announced to screen readers. */
  notice?: string;
  main: Html;
  /** Go on to this page at once (after the identity provider's sign-in: a same-site navigation, which sends the session cookie). */
  refresh?: string;
}

/** One layout for every page: landmarks, a skip link, the role's navigation, who is signed in and sign-out. */
export function layout(options: PageOptions): Html {
  const { actor } = options;
  const nav = actor ? NAVIGATION[actor.role] : [];
  const current = nav
    .filter((item) => options.path === item.href || options.path?.startsWith(`${item.href}/`))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return html`<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} – Lotse</title>
<link rel="stylesheet" href="/app/assets/lotse.css">
${options.refresh && html`<meta http-equiv="refresh" content="0; url=${options.refresh}">`}
</head>
<body>
<a class="skip-link" href="#inhalt">Zum Inhalt springen</a>
<header class="site">
  <div class="bar">
    <a class="brand" href="/app">Lotse</a>
    ${
      actor &&
      html`<div class="who">
      <span>Angemeldet: <strong>${actor.displayName ?? actor.id}</strong> (${ROLE_LABELS[actor.role]})</span>
      <form method="post" action="/app/abmelden"><button type="submit">Abmelden</button></form>
    </div>`
    }
  </div>
</header>
${
  nav.length > 0 &&
  html`<nav class="main" aria-label="Hauptnavigation"><ul>
  ${nav.map((item) => html`<li><a href="${item.href}"${item === current ? html` aria-current="page"` : ''}>${item.label}</a></li>`)}
</ul></nav>`
}
<main id="inhalt" tabindex="-1">
${options.notice && html`<div class="notice" role="status"><p>${options.notice}</p></div>`}
${options.main}
</main>
<footer class="site"><p>Lotse – Tandemqualifizierung NRW und Kooperationsverträge Niedersachsen. <a href="/docs">API-Dokumentation (English)</a></p></footer>
</body>
</html>
`;
}
