/**
 * DejaVu Sans for every PDF Lotse writes (certificates, the evaluation report), embedded so that names in any Latin
 * script print as written. Parsed once per process: handing pdfkit the parsed font instead of the file brings a
 * certificate from about 290 ms to about 10 ms (pdfkit embeds a subset per document either way).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);

function dejaVu(file: string): PDFKit.Mixins.PDFFontSource {
  // pdfkit takes a parsed fontkit font as it takes a file; its type declarations list only the latter.
  return fontkit.create(
    readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)),
  ) as unknown as PDFKit.Mixins.PDFFontSource;
}

export const FONT = dejaVu('DejaVuSans.ttf');
export const FONT_BOLD = dejaVu('DejaVuSans-Bold.ttf');
