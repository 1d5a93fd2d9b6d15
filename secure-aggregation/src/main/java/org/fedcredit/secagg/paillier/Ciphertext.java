package org.fedcredit.secagg.paillier;

/**
 * One ciphertext in the internal form of the {@link HomomorphicEngine} that made it (Montgomery
 * form for the fast kernel), so that chains of homomorphic operations never convert. Convert with
 * {@link PaillierEngine#toWire} before it leaves the process. Immutable.
 */
public final class Ciphertext {

  final HomomorphicEngine engine;
  final Object value;

  Ciphertext(HomomorphicEngine engine, Object value) {
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
