/**
 * Reads a PDF back the way a reader or an archive does (pdf.js): the text of each page, the document information,
 * the XMP metadata (where PDF/A declares itself), whether it is tagged, and the languages its structure names.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface ReadPdf {
  pages: string[];
  info: Record<string, unknown>;
  /** XMP properties by name, e.g. `pdfaid:part`. */
  xmp: (name: string) => string | null;
  tagged: boolean;
  /** Every `lang` in the structure tree of the first page, in reading order. */
  structureLanguages: string[];
  /** Every font the file declares, and whether its program is in the file. */
  fonts: { name: string; embedded: boolean }[];
}

interface StructNode {
  role?: string;
  lang?: string;
  children?: StructNode[];
}

export async function readPdf(content: Buffer): Promise<ReadPdf> {
  const task = getDocument({
    data: new Uint8Array(content),
    verbosity: 0,
    disableFontFace: true,
    useSystemFonts: false,
  });
  const pdf = await task.promise;
  try {
    const pages: string[] = [];
    let structureLanguages: string[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const text = await page.getTextContent();
      pages.push(text.items.map((item) => ('str' in item ? `${item.str}${item.hasEOL ? '\n' : ''}` : '')).join(''));
      if (number === 1) {
        const languages: string[] = [];
        // An untagged file (a sign-in sheet) has no structure tree.
        const walk = (node: StructNode | null) => {
          if (!node) return;
          if (node.lang) languages.push(node.lang);
          node.children?.forEach(walk);
        };
        walk((await page.getStructTree()) as StructNode | null);
        structureLanguages = languages;
      }
    }
    const { info, metadata } = await pdf.getMetadata();
    const mark = await pdf.getMarkInfo();
    return {
      pages,
      info: info as Record<string, unknown>,
      xmp: (name) => (metadata ? (metadata.get(name) as string | null) : null),
      // pdf.js answers with a Map (of another realm under Jest, so no instanceof).
      tagged: (mark as unknown as Map<string, unknown> | null)?.get?.('Marked') === true,
      structureLanguages,
      fonts: declaredFonts(content),
    };
  } finally {
    await task.destroy();
  }
}

/**
 * The fonts as the file declares them (what `pdffonts` lists): each simple or CID font's BaseFont, embedded when its
 * descriptor carries a font program. Font dictionaries are plain objects in the file (only streams are compressed).
 */
function declaredFonts(content: Buffer): { name: string; embedded: boolean }[] {
  const file = content.toString('latin1');
  const descriptors = new Map<string, boolean>();
  for (const [descriptor] of file.matchAll(/\/Type \/FontDescriptor[^>]*/g)) {
    const name = /\/FontName \/([^\s/]+)/.exec(descriptor)?.[1];
    if (name) descriptors.set(name, /\/FontFile[23]? /.test(descriptor));
  }
  const names = new Set([...file.matchAll(/\/BaseFont \/([^\s/>]+)/g)].map((match) => match[1]));
  return [...names].map((name) => ({ name, embedded: descriptors.get(name) ?? false }));
}
