import { describe, expect, it } from 'vitest';
import { ffmpegEnvironment } from './ffmpeg-env.ts';

describe('ffmpegEnvironment', () => {
  it('drops what makes ffmpeg write a report or use a proxy', () => {
    const env = ffmpegEnvironment({
      PATH: '/usr/bin', FFREPORT: 'file=/tmp/x.log', http_proxy: 'http://proxy:3128', HTTPS_PROXY: 'http://proxy:3128',
      all_proxy: 'socks5://proxy', no_proxy: '*', MQTTJS_SOCKS_PROXY: 'socks5://proxy', NODE_OPTIONS: '--inspect', HOME: '/home/u', AV_LOG_FORCE_COLOR: '1',
    });
    expect(env).toEqual({ PATH: '/usr/bin' });
  });

  it('keeps the binary\'s search paths, locale and time zone', () => {
    const env = { PATH: '/opt/ffmpeg/bin', LD_LIBRARY_PATH: '/opt/ffmpeg/lib', LANG: 'da_DK.UTF-8', LC_NUMERIC: 'C', LC_ALL: 'C.UTF-8', TZ: 'Europe/Copenhagen', SystemRoot: 'C:\\Windows' };
    expect(ffmpegEnvironment(env)).toEqual(env);
  });

  it('leaves out unset variables', () => {
    expect(ffmpegEnvironment({ PATH: undefined })).toEqual({});
  });
});
