package org.fedcredit.secagg.modmul;

import java.math.BigInteger;

/**
 * The portable kernel: Barrett reduction on {@link BigInteger}. Needs no JVM flags; about 2.5×
 * slower than {@link MontgomeryArithmetic} on 4096-bit moduli.
 */
final class BarrettArithmetic implements ModularArithmetic<BigInteger> {

  private final BigInteger m;
  private final int k;
  private final BigInteger mu;

  BarrettArithmetic(BigInteger m) {
    if (m.signum() <= 0 || !m.testBit(0)) {
      throw new IllegalArgumentException("modulus must be odd and positive");
    }
    this.m = m;
    this.k = m.bitLength();
    this.mu = BigInteger.ONE.shiftLeft(2 * k).divide(m);
  }

  @Override
  public BigInteger multiplyPlain(BigInteger a, BigInteger b) {
    return reduce(a.multiply(b));
  }

  @Override
  public BigInteger reduce(BigInteger x) {
    if (x.signum() < 0 || x.bitLength() > 2 * k) {
      return x.mod(m);
    }
    // x < 2^(2k), so q underestimates floor(x / m) by at most 2.
    BigInteger q = x.shiftRight(k - 1).multiply(mu).shiftRight(k + 1);
    BigInteger r = x.subtract(q.multiply(m));
    while (r.compareTo(m) >= 0) {
      r = r.subtract(m);
    }
    return r;
  }

  @Override
  public BigInteger modulus() {
    return m;
  }

  @Override
  public BigInteger fromBigInteger(BigInteger x) {
    return x;
  }

  @Override
  public BigInteger toBigInteger(BigInteger x) {
    return x;
  }

  @Override
  public BigInteger load(BigInteger x) {
    return x;
  }

  @Override
  public BigInteger unload(BigInteger x) {
    return x;
  }

  @Override
  public BigInteger domainFactor() {
    return BigInteger.ONE;
  }

  @Override
  public BigInteger one() {
    return BigInteger.ONE;
  }

  @Override
  public BigInteger multiply(BigInteger a, BigInteger b) {
    return reduce(a.multiply(b));
  }

  @Override
  public BigInteger square(BigInteger a) {
    return reduce(a.multiply(a));
  }

  @Override
  public BigInteger pow(BigInteger base, BigInteger e) {
    return base.modPow(e, m);
  }
}
