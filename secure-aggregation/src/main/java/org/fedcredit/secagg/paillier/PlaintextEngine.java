package org.fedcredit.secagg.paillier;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The same arithmetic as {@link PaillierEngine}, <b>without encryption</b>: a "ciphertext" holds
 * its plaintext {@code m ∈ Z_n}. For simulation (minutes instead of hours) and for showing that a
 * protocol's result does not depend on the encryption. Never use it between real parties.
 *
 * <p>It is insecure in plain sight: on the wire a value is {@code 1 + m·n mod n²}, the textbook
 * Paillier ciphertext with randomness 1, which anyone decrypts with the public key alone and which
 * {@link EncryptedVector#firstUnrandomised()} flags; its effective scheme is {@code
 * plaintext-insecure}. Results are bit-identical to {@link PaillierEngine}'s decryptions, because
 * both compute in {@code Z_n} with the same encodings.
 */
public final class PlaintextEngine implements HomomorphicEngine {

  private final PaillierPublicKey key;
  private final BigInteger n;
  private final BigInteger nSquared;

  public PlaintextEngine(PaillierPublicKey key) {
    this.key = Objects.requireNonNull(key, "key");
    this.n = key.n();
    this.nSquared = key.nSquared();
  }

  private Ciphertext wrap(BigInteger m) {
    return new Ciphertext(this, m);
  }

  private BigInteger value(Ciphertext c) {
    Objects.requireNonNull(c, "ciphertext");
    if (c.engine == this) {
      return (BigInteger) c.value;
    }
    if (!c.engine.publicKey().keyId().equals(key.keyId())) {
      throw new KeyMismatchException(key.keyId(), c.engine.publicKey().keyId());
    }
    return unwire(c.engine.toBigInteger(c));
  }

  private BigInteger unwire(BigInteger c) {
    BigInteger t = c.subtract(BigInteger.ONE);
    if (t.mod(n).signum() != 0) {
      throw new PaillierException(
          "the plaintext engine received a real Paillier ciphertext; both ends of a simulated job"
              + " must use the same crypto mode");
    }
    return t.divide(n);
  }

  private BigInteger checkPlaintext(BigInteger m) {
    return key.checkPlaintext(m);
  }

  @Override
  public PaillierPublicKey publicKey() {
    return key;
  }

  @Override
  public boolean isKeyOwner() {
    return true;
  }

  @Override
  public EffectiveParameters effectiveParameters() {
    return new EffectiveParameters(
        "plaintext-insecure", key.bits(), 0, 0, "none", 1, "none", key.keyId());
  }

  @Override
  public Ciphertext encrypt(BigInteger m) {
    return wrap(checkPlaintext(m));
  }

  @Override
  public Ciphertext encrypt(long m) {
    return wrap(BigInteger.valueOf(m).mod(n));
  }

  @Override
  public Ciphertext[] encrypt(BigInteger[] ms) {
    Ciphertext[] out = new Ciphertext[ms.length];
    for (int i = 0; i < ms.length; i++) {
      out[i] = encrypt(ms[i]);
    }
    return out;
  }

  @Override
  public Ciphertext rerandomize(Ciphertext c) {
    return wrap(value(c));
  }

  @Override
  public Ciphertext[] rerandomize(Ciphertext[] cs) {
    Ciphertext[] out = new Ciphertext[cs.length];
    for (int i = 0; i < cs.length; i++) {
      out[i] = rerandomize(cs[i]);
    }
    return out;
  }

  @Override
  public BigInteger decrypt(Ciphertext c) {
    return value(c);
  }

  @Override
  public BigInteger[] decrypt(Ciphertext[] cs) {
    BigInteger[] out = new BigInteger[cs.length];
    for (int i = 0; i < cs.length; i++) {
      out[i] = value(cs[i]);
    }
    return out;
  }

  @Override
  public Ciphertext add(Ciphertext a, Ciphertext b) {
    return wrap(value(a).add(value(b)).mod(n));
  }

  @Override
  public Ciphertext[] add(Ciphertext[] a, Ciphertext[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "vectors differ in length: " + a.length + " vs " + b.length);
    }
    Ciphertext[] out = new Ciphertext[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = add(a[i], b[i]);
    }
    return out;
  }

  @Override
  public Ciphertext addPlaintext(Ciphertext a, BigInteger k) {
    return wrap(value(a).add(checkPlaintext(k)).mod(n));
  }

  @Override
  public Ciphertext negate(Ciphertext a) {
    return wrap(value(a).negate().mod(n));
  }

  @Override
  public Ciphertext subtract(Ciphertext a, Ciphertext b) {
    return wrap(value(a).subtract(value(b)).mod(n));
  }

  @Override
  public Ciphertext multiply(Ciphertext a, BigInteger k) {
    return wrap(value(a).multiply(k).mod(n));
  }

  @Override
  public Ciphertext multiply(Ciphertext a, long k) {
    return multiply(a, BigInteger.valueOf(k));
  }

  @Override
  public Ciphertext[] multiply(Ciphertext[] a, long[] k) {
    if (a.length != k.length) {
      throw new IllegalArgumentException(
          "vectors differ in length: " + a.length + " ciphertexts, " + k.length + " scalars");
    }
    Ciphertext[] out = new Ciphertext[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = multiply(a[i], k[i]);
    }
    return out;
  }

  @Override
  public Ciphertext sum(Ciphertext[] cs) {
    BigInteger s = BigInteger.ZERO;
    for (Ciphertext c : cs) {
      s = s.add(value(c));
    }
    return wrap(s.mod(n));
  }

  @Override
  public Ciphertext[] multiplyMatrix(Ciphertext[] d, long[][] columns) {
    BigInteger[] v = new BigInteger[d.length];
    for (int i = 0; i < d.length; i++) {
      v[i] = value(d[i]);
    }
    Ciphertext[] out = new Ciphertext[columns.length];
    for (int j = 0; j < columns.length; j++) {
      if (columns[j].length != d.length) {
        throw new IllegalArgumentException(
            "column " + j + " has " + columns[j].length + " entries, the vector " + d.length);
      }
      BigInteger s = BigInteger.ZERO;
      for (int i = 0; i < d.length; i++) {
        if (columns[j][i] != 0) {
          s = s.add(v[i].multiply(BigInteger.valueOf(columns[j][i])));
        }
      }
      out[j] = wrap(s.mod(n));
    }
    return out;
  }

  @Override
  public BigInteger toBigInteger(Ciphertext c) {
    return BigInteger.ONE.add(value(c).multiply(n)).mod(nSquared);
  }

  @Override
  public Ciphertext fromBigInteger(BigInteger c) {
    EncryptedVector.checkRange(key, c, 0, 1);
    return wrap(unwire(c));
  }

  @Override
  public EncryptedVector toWire(Ciphertext[] cs, EncodingDescriptor encoding) {
    BigInteger[] wire = new BigInteger[cs.length];
    for (int i = 0; i < cs.length; i++) {
      wire[i] = toBigInteger(cs[i]);
    }
    return EncryptedVector.of(key, wire, encoding);
  }

  @Override
  public Ciphertext[] fromWire(EncryptedVector v) {
    if (!v.key().keyId().equals(key.keyId())) {
      throw new KeyMismatchException(key.keyId(), v.key().keyId());
    }
    Ciphertext[] out = new Ciphertext[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = wrap(unwire(v.get(i)));
    }
    return out;
  }

  @Override
  public void close() {}
}
