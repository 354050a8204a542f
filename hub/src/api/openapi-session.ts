/** OpenAPI paths of the session routes (merged into openapi.ts). */
export const sessionPaths: Record<string, object> = {};
