/** The one message a user sees when the OS lacks ffmpeg, whichever tool was missing. */
export function ffmpegNotFound(binary: string): Error {
  return new Error(
    `${binary} was not found. Byliv decodes video with ffmpeg from the OS packages: ` +
      `install it (Debian: sudo apt-get install ffmpeg) or set BYLIV_FFMPEG / BYLIV_FFPROBE to its path.`,
  );
}
