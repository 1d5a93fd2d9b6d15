package org.fedcredit.secagg.paillier;

/**
 * How a job computes on values that must stay hidden: with Paillier (the only mode for real
 * parties), or in the clear for simulation ({@link PlaintextEngine}, insecure by design).
 */
public enum CryptoMode {
  /** Paillier encryption: the default and the only mode between real parties. */
  PAILLIER,
  /** No encryption: simulation and verification only; flagged on the wire and in the audit. */
  PLAINTEXT_INSECURE;

  /** An engine that can encrypt and compute under {@code key}. */
  public HomomorphicEngine publicEngine(PaillierPublicKey key, PaillierEngine.Options options) {
    return this == PAILLIER ? PaillierEngine.forPublicKey(key, options) : new PlaintextEngine(key);
  }

  /** The key owner's engine (decrypts). */
  public HomomorphicEngine ownerEngine(PaillierPrivateKey key, PaillierEngine.Options options) {
    return this == PAILLIER
        ? PaillierEngine.forKeyOwner(key, options)
        : new PlaintextEngine(key.publicKey());
  }
}
