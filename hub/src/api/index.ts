/** The HTTP API: createApi (hono app), the OpenAPI document, the export's data dictionary. */
export { createApi, type ApiOptions } from './app.ts';
export { openApiDocument } from './openapi.ts';
export { DATA_DICTIONARY, EXPORT_COLUMNS, DEFAULT_CITATION, type ExportRow } from './routes/export-dictionary.ts';
