import { describe, expect, it } from 'vitest';
import { checkSceneFitsFrame, parseSceneText } from './scene-file.ts';

const good = { camera: 'cam1', site: 'vaerebro', lines: [{ id: 'path', a: [10, 10], b: [100, 10] }], zones: [{ id: 'bench', polygon: [[0, 0], [50, 0], [50, 50]] }] };

describe('scene files', () => {
  it('reads JSON and YAML alike', () => {
    const fromJson = parseSceneText(JSON.stringify(good), 'scene.json');
    const fromYaml = parseSceneText(
      'camera: cam1\nsite: vaerebro\nlines:\n  - id: path\n    a: [10, 10]\n    b: [100, 10]\nzones:\n  - id: bench\n    polygon: [[0, 0], [50, 0], [50, 50]]\n',
      'scene.yaml',
    );
    expect(fromYaml).toEqual(fromJson);
  });

  it('names the file and the field that is wrong', () => {
    const bad = { ...good, lines: [{ id: 'path', a: [10, 'x'], b: [100, 10] }] };
    expect(() => parseSceneText(JSON.stringify(bad), 'cams/east.json')).toThrow(/scene file cams\/east\.json is invalid:\n  lines\[0\]\.a\[1\]: /);
  });

  it('refuses unknown fields, duplicate ids and two-point zones', () => {
    const bad = { ...good, lins: [], zones: [good.zones[0], { id: 'bench', polygon: [[0, 0], [1, 1]] }] };
    let message = '';
    try {
      parseSceneText(JSON.stringify(bad), 's.json');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('lins');
    expect(message).toContain('zones[1].polygon');
    expect(message).toMatch(/zones\[1\]\.id: duplicate id "bench"/);
  });

  it('says when a file is not JSON at all', () => {
    expect(() => parseSceneText('{ camera: ', 'x.json')).toThrow(/scene file x\.json is not valid JSON/);
  });

  it('refuses lines and zones drawn outside the frame', () => {
    const scene = parseSceneText(JSON.stringify({ ...good, lines: [{ id: 'l', a: [10, 10], b: [900, 10] }] }), 's.json');
    expect(() => checkSceneFitsFrame(scene, 768, 576, 's.json')).toThrow('lines[0].b: point [900, 10] is outside the 768×576 frame');
    expect(() => checkSceneFitsFrame(parseSceneText(JSON.stringify(good), 's.json'), 768, 576, 's.json')).not.toThrow();
  });
});
