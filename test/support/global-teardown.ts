/** Stops only what global-setup started; a database that was already running stays up. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__TEST_DATABASE__?.stop();
}
