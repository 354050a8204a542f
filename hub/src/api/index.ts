/** The HTTP API: createApi (hono app), the OpenAPI document, the export's data dictionary. */
export { createApi, openApiDocument, type ApiOptions } from './app.ts';
export { DATA_DICTIONARY, EXPORT_COLUMNS, DEFAULT_CITATION, type ExportRow } from './routes/export-dictionary.ts';
