/** Credentials: camera passwords (scrypt), API tokens (sha256), the camera username rule. */
export { hashPassword, verifyPassword, newPassword, newApiToken, tokenHash, cameraUsername } from './secrets.ts';
