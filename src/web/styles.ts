/**
 * The one stylesheet of the web interface, served as /app/assets/lotse.css. Kept as a module so that `tsc` ships it
 * with the service (no separate build). Colours: text #1b1b1b and links #00467f on white, and white on #00467f, all
 * above 7:1; errors #a4001d (7.3:1); the focus ring is 3px and never removed.
 */
export const STYLESHEET = `
*, *::before, *::after { box-sizing: border-box; }
html { font-family: system-ui, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; font-size: 100%; line-height: 1.5; color: #1b1b1b; background: #fff; }
body { margin: 0; }
a { color: #00467f; text-decoration: underline; }
a:hover { color: #002b4f; }
:focus-visible { outline: 3px solid #d35400; outline-offset: 2px; }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid #d35400; outline-offset: 2px; }
.skip-link { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 10; }
.skip-link:focus { left: 1rem; top: .5rem; }
header.site { background: #00467f; color: #fff; }
header.site .bar { max-width: 72rem; margin: 0 auto; padding: .75rem 1rem; display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; justify-content: space-between; }
header.site a { color: #fff; }
header.site .brand { font-weight: 700; font-size: 1.25rem; text-decoration: none; }
header.site .who { display: flex; gap: .75rem; align-items: center; flex-wrap: wrap; }
header.site form { margin: 0; }
header.site button { background: #fff; color: #00467f; border: 2px solid #fff; }
header.site :focus-visible { outline-color: #ffd27f; }
nav.main { background: #e8eef4; border-bottom: 1px solid #b8c6d4; }
nav.main ul { list-style: none; margin: 0 auto; padding: 0 1rem; max-width: 72rem; display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; }
nav.main a { display: inline-block; padding: .6rem 0; color: #00467f; font-weight: 600; }
nav.main a[aria-current="page"] { color: #1b1b1b; text-decoration-thickness: 3px; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1rem 3rem; }
footer.site { border-top: 1px solid #b8c6d4; color: #3d3d3d; font-size: .875rem; }
footer.site p { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.75rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .75rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #b8c6d4; padding: .4rem .6rem; text-align: left; vertical-align: top; }
thead th { background: #e8eef4; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; }
form.stacked { max-width: 40rem; }
.field { margin: 0 0 1rem; }
.field label, .field legend { display: block; font-weight: 600; margin-bottom: .25rem; }
.field .hint { display: block; color: #3d3d3d; font-size: .9rem; margin-bottom: .25rem; }
input[type="text"], input[type="password"], input[type="date"], input[type="time"], input[type="number"], input[type="email"], select, textarea {
  font: inherit; padding: .45rem .5rem; border: 2px solid #5a5a5a; border-radius: 3px; width: 100%; max-width: 32rem; background: #fff; color: #1b1b1b; }
textarea { min-height: 5rem; }
fieldset { border: 1px solid #b8c6d4; margin: 0 0 1rem; padding: .5rem 1rem 1rem; }
fieldset.choices label { display: inline-flex; gap: .4rem; align-items: center; font-weight: 400; margin-right: 1.25rem; }
button, .button { font: inherit; font-weight: 600; padding: .5rem 1rem; border: 2px solid #00467f; border-radius: 3px; background: #00467f; color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: #fff; color: #00467f; }
button:hover { background: #002b4f; border-color: #002b4f; color: #fff; }
form.inline { display: inline; }
form.compact { display: flex; gap: .5rem; align-items: flex-end; flex-wrap: wrap; }
form.compact .field { margin: 0; }
form.compact input[type="number"] { width: 6rem; }
form.compact .error-summary { flex-basis: 100%; }
.actions { display: flex; gap: .75rem; flex-wrap: wrap; align-items: center; margin-top: 1rem; }
.field.invalid input, .field.invalid select, .field.invalid textarea, .field.invalid fieldset { border-color: #a4001d; }
.error-message { display: block; color: #a4001d; font-weight: 600; margin-bottom: .25rem; }
.error-summary { border: 3px solid #a4001d; padding: .75rem 1rem; margin: 0 0 1.5rem; }
.error-summary h2 { margin: 0 0 .5rem; font-size: 1.15rem; color: #a4001d; }
.error-summary ul { margin: 0; padding-left: 1.25rem; }
.error-summary a { color: #a4001d; font-weight: 600; }
.notice { border-left: 6px solid #1d6b2c; background: #eef6ef; padding: .75rem 1rem; margin: 0 0 1.5rem; }
.status { display: inline-block; padding: 0 .4rem; border: 1px solid currentColor; border-radius: 3px; font-size: .9rem; white-space: nowrap; }
.muted { color: #3d3d3d; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 1rem; padding: 0; list-style: none; }
.cards li { border: 1px solid #b8c6d4; padding: .75rem 1rem; }
.cards h3 { margin-top: 0; }
.print-only { display: none; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
td.present { color: #1d6b2c; font-weight: 600; }
td.absent { color: #a4001d; font-weight: 600; }
ol.timeline { list-style: none; margin: 0 0 1.5rem; padding: 0 0 0 1.5rem; border-left: 3px solid #b8c6d4; }
ol.timeline li { position: relative; margin: 0 0 1rem; padding-left: .75rem; }
ol.timeline li::before { content: ""; position: absolute; left: -1.95rem; top: .35rem; width: .9rem; height: .9rem; border-radius: 50%; background: #fff; border: 3px solid #00467f; }
ol.timeline li.overdue::before, ol.timeline li.step::before { background: #00467f; }
ol.timeline p { margin: 0; }
ol.timeline .when { font-weight: 700; }
ol.timeline .why, ol.timeline .reminders { color: #3d3d3d; font-size: .9rem; }
figure.diagram { margin: 0 0 1.5rem; }
figure.diagram .diagram-scroll { overflow-x: auto; border: 1px solid #b8c6d4; }
figure.diagram svg { display: block; max-width: none; }
figure.diagram figcaption { color: #3d3d3d; font-size: .9rem; margin-top: .5rem; }
@media print {
  header.site, nav.main, footer.site, .skip-link, form, .actions, .no-print { display: none !important; }
  html { font-size: 11pt; color: #000; }
  .print-only { display: inline; }
  main { max-width: none; padding: 0; }
  a { color: #000; text-decoration: none; }
  table { page-break-inside: auto; }
  tr, td, th { page-break-inside: avoid; }
  thead { display: table-header-group; }
  th, td { border-color: #000; }
  h1, h2, h3 { page-break-after: avoid; }
}
`;
