/** OpenAPI paths of the indicators routes (merged into openapi.ts). */
export const indicatorsPaths: Record<string, object> = {};
