package org.fedcredit.secagg.paillier;

/**
 * One Paillier ciphertext in the internal form of the {@link PaillierEngine} that made it
 * (Montgomery form for the fast kernel), so that chains of homomorphic operations never convert.
 * Convert with {@link PaillierEngine#toWire} before it leaves the process. Immutable.
 */
public final class Ciphertext {

  final PaillierEngine engine;
  final Object value;

  Ciphertext(PaillierEngine engine, Object value) {
    this.engine = engine;
    this.value = value;
  }

  /** The id of the key this ciphertext is under. */
  public String keyId() {
    return engine.publicKey().keyId();
  }

  @Override
  public String toString() {
    return "Ciphertext[key " + keyId() + "]";
  }
}
