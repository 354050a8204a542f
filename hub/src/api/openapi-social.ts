/** OpenAPI paths of the social routes (merged into openapi.ts). */
export const socialPaths: Record<string, object> = {};
