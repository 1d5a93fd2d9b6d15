package org.fedcredit.transport.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.fedcredit.modelzoo.federation.PartyId;

/**
 * Where a node's TLS identity lives: the private CA's certificate (the only trust anchor), the
 * node's certificate and its PKCS#8 private key, all PEM. {@link #load()} reads and checks them
 * together so that a misconfigured node fails at start with one line naming the file, not at its
 * first handshake.
 *
 * @param caCertificate the private CA's certificate ({@code ca.crt})
 * @param certificate the node's certificate ({@code <party>.crt}); its subject CN is the party id
 * @param privateKey the node's key ({@code <party>.key})
 */
public record TlsIdentity(Path caCertificate, Path certificate, Path privateKey) {

  public TlsIdentity {
    Objects.requireNonNull(caCertificate, "caCertificate");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
  }

  /**
   * The identity in memory, checked: the certificate is signed by the CA, currently valid, its CN
   * is a valid {@link PartyId}, and the key belongs to it.
   */
  public record Loaded(
      PartyId party, X509Certificate caCertificate, X509Certificate certificate, PrivateKey key) {}

  /**
   * Reads and checks the three files.
   *
   * @throws TlsSetupException with a one-line message naming the file at fault, e.g. {@code
   *     unreadable certificate /etc/fedcredit/bank.crt: file does not exist}
   */
  public Loaded load() {
    X509Certificate ca = Pem.readCertificate(caCertificate, "unreadable CA certificate");
    X509Certificate cert = Pem.readCertificate(certificate, "unreadable certificate");
    PrivateKey key = Pem.readPrivateKey(privateKey, "unreadable private key");
    try {
      cert.verify(ca.getPublicKey(), Pem.BC);
    } catch (GeneralSecurityException e) {
      throw new TlsSetupException(
          "certificate "
              + certificate
              + " was not issued by the CA in "
              + caCertificate
              + " ("
              + cert.getIssuerX500Principal().getName()
              + "); issue it with `fedcredit certs issue` from that CA");
    }
    for (var c : new Object[][] {{ca, caCertificate}, {cert, certificate}}) {
      try {
        ((X509Certificate) c[0]).checkValidity();
      } catch (CertificateExpiredException e) {
        throw new TlsSetupException(
            "certificate "
                + c[1]
                + " expired on "
                + ((X509Certificate) c[0]).getNotAfter().toInstant()
                + "; issue a new one");
      } catch (CertificateNotYetValidException e) {
        throw new TlsSetupException(
            "certificate "
                + c[1]
                + " is not valid before "
                + ((X509Certificate) c[0]).getNotBefore().toInstant()
                + "; check the clock of this machine");
      }
    }
    String cn = Pem.commonName(cert);
    PartyId party;
    try {
      party = PartyId.of(cn);
    } catch (IllegalArgumentException e) {
      throw new TlsSetupException(
          "certificate " + certificate + " has subject CN '" + cn + "': " + e.getMessage());
    }
    requireKeyMatches(cert, key);
    return new Loaded(party, ca, cert, key);
  }

  private void requireKeyMatches(X509Certificate cert, PrivateKey key) {
    boolean ok;
    try {
      String alg =
          "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256with" + key.getAlgorithm();
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature s = Signature.getInstance(alg, Pem.BC);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg, Pem.BC);
      v.initVerify(cert.getPublicKey());
      v.update(probe);
      ok = v.verify(sig);
    } catch (GeneralSecurityException e) {
      ok = false;
    }
    if (!ok) {
      throw new TlsSetupException(
          "private key " + privateKey + " does not belong to certificate " + certificate);
    }
  }
}
