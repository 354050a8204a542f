export * from './ids.ts';
export * from './scene.ts';
export * from './classes.ts';
export * from './batch.ts';
export * from './status.ts';
export * from './summary.ts';
export * from './topics.ts';
export * from './errors.ts';
