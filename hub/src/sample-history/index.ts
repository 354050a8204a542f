/** Fictional count history for the example square (sample data for demos and tests). */
export { sampleHistory, SAMPLE_SITE, SAMPLE_SITE_NAME, SAMPLE_CAMERA, SAMPLE_INSTALLATION, SAMPLE_SCENE, type SampleHistoryOptions } from './generate.ts';
export { loadSampleHistory, type SampleHistoryLoad } from './load.ts';
