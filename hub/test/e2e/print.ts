/**
 * A4 print figures for the dashboard's print tests and screenshots: the printable area under
 * the dashboard's `@page { size: A4; margin: 14mm 12mm }` in CSS pixels, and a PDF's page count.
 */
const MM = 96 / 25.4;

/** 210 × 297 mm less the page margins, in CSS px (96 per inch). */
export const A4_CONTENT_PX = { width: Math.floor((210 - 2 * 12) * MM), height: Math.floor((297 - 2 * 14) * MM) } as const;

/**
 * The number of pages in a PDF: its `/Type /Page` objects (not `/Pages`, the tree's nodes).
 * Chromium writes them uncompressed; a PDF with none is not one we can count, so that throws.
 */
export function pdfPageCount(pdf: Uint8Array): number {
  const text = Buffer.from(pdf).toString('latin1');
  if (!text.startsWith('%PDF-')) throw new Error('pdfPageCount: not a PDF (no %PDF- header)');
  const n = text.match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
  if (n === 0) throw new Error('pdfPageCount: no /Type /Page objects found (compressed object streams?)');
  return n;
}
