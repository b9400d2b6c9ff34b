/** http_ece (RFC 8188 / 8291 content encoding, what web-push encrypts with) ships no types: what the fake push service uses. */
declare module 'http_ece' {
  const ece: { decrypt: (body: Buffer, params: object) => Buffer };
  export default ece;
}
