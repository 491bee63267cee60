// Types for the untyped `tlsh` npm package (idealista tlsh-js 1.0.8, pre-4.0 TLSH: no "T1", >= 512 chars).
// Only the tests use it, as an independent oracle for the implementation in tlsh.ts.

declare module 'tlsh' {
  /** Digest of `data` read as char codes & 0xff; throws InsufficientComplexityError when it cannot hash. */
  function hash(data: string): string;
  export = hash;
}

declare module 'tlsh/lib/digests/digest-hash-builder.js' {
  interface PackageDigest {
    calculateDifference(other: PackageDigest, lengthDiff: boolean): number;
  }
  interface PackageDigestBuilder {
    withHash(hash: string): PackageDigestBuilder;
    build(): PackageDigest;
  }
  const DigestHashBuilder: new () => PackageDigestBuilder;
  export = DigestHashBuilder;
}
