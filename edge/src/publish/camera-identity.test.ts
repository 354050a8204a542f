import { describe, expect, it } from 'vitest';
import { cameraAccountName, cameraIdentityMismatch } from './camera-identity.ts';

const scene = { site: 'torvet', camera: 'nord' };

describe('cameraIdentityMismatch', () => {
  it('accepts the account named after the scene\'s camera', () => {
    expect(cameraIdentityMismatch(scene, cameraAccountName('torvet', 'nord'), 'scene.json')).toBeUndefined();
  });

  it('says nothing without a username (an open broker has no accounts)', () => {
    expect(cameraIdentityMismatch(scene, undefined, 'scene.json')).toBeUndefined();
  });

  it.each([
    ['torvet/syd', /site torvet, camera nord .*--username is "torvet\/syd" \(site torvet, camera syd\)/],
    ['havnen/nord', /--username is "havnen\/nord" \(site havnen, camera nord\)/],
    ['nord', /--username is "nord" \(not a camera account: those are named <site>\/<camera>\)/],
    ['torvet/nord/x', /not a camera account/],
    ['/nord', /not a camera account/],
  ])('names both sides when the username is %s', (username, message) => {
    const found = cameraIdentityMismatch(scene, username, '/etc/byliv/nord.json');
    expect(found).toMatch(message);
    expect(found).toContain('/etc/byliv/nord.json');
    expect(found).toContain("byliv-hub camera add torvet nord");
  });

  it('is case-sensitive, as the broker is', () => {
    expect(cameraIdentityMismatch(scene, 'Torvet/nord', 'scene.json')).toMatch(/"Torvet\/nord"/);
  });
});
