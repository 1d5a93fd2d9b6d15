package org.fedcredit.coordinator.translog;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Objects;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * A witness's cosignature on a checkpoint: the witness checked that the checkpoint is consistent
 * with every checkpoint of the log it saw before, and signs it with its TLS key.
 *
 * <p>The signed message follows C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature): {@code
 * "cosignature/v1\ntime <timestamp>\n"} followed by the checkpoint body. The key is not a C2SP
 * Ed25519 witness key but the witness's TLS key (ECDSA P-256 with SHA-256, the deployment's private
 * CA certifies it), so anybody holding the CA certificate can authenticate a cosignature and no
 * witness key has to be distributed; the {@code cosignature/v1} prefix keeps these signatures apart
 * from TLS handshake signatures (which begin with 64 spaces and a TLS context string).
 *
 * @param witness the witness's party id, the subject CN of {@code certificate}
 * @param certificate the witness's X.509 certificate, DER
 * @param checkpoint the checkpoint body cosigned (origin, size and root lines)
 * @param timestamp seconds since 1970-01-01 UTC when it was cosigned
 * @param signature the ECDSA signature (DER) over {@link #message}
 */
public record Cosignature(
    String witness, byte[] certificate, String checkpoint, long timestamp, byte[] signature) {
  private static final String HEADER = "cosignature/v1\n";
  private static final String ALGORITHM = "SHA256withECDSA";
  // Keys read from PEM by the TLS setup are BouncyCastle key objects, which only its provider
  // signs.
  private static final java.security.Provider BC =
      new org.bouncycastle.jce.provider.BouncyCastleProvider();

  public Cosignature {
    Objects.requireNonNull(witness, "witness");
    Objects.requireNonNull(checkpoint, "checkpoint");
    certificate = certificate.clone();
    signature = signature.clone();
  }

  @Override
  public byte[] certificate() {
    return certificate.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The bytes a witness signs: the C2SP cosignature/v1 header, the time, the body. */
  public static byte[] message(String checkpointBody, long timestamp) {
    return (HEADER + "time " + timestamp + "\n" + checkpointBody).getBytes(StandardCharsets.UTF_8);
  }

  /** Cosigns the body of {@code checkpoint} at {@code timestamp} with the witness's TLS key. */
  public static Cosignature sign(
      String witness,
      X509Certificate certificate,
      PrivateKey key,
      SignedCheckpoint checkpoint,
      long timestamp) {
    try {
      Signature s = Signature.getInstance(ALGORITHM, BC);
      s.initSign(key);
      s.update(message(checkpoint.body(), timestamp));
      return new Cosignature(
          witness, certificate.getEncoded(), checkpoint.body(), timestamp, s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot cosign with the key of " + witness + " (" + e.getMessage() + ")", e);
    }
  }

  /** The cosigned checkpoint's origin, size and root (its note is the bare body). */
  public SignedCheckpoint cosigned() throws CheckpointException {
    return SignedCheckpoint.parseBody(checkpoint, checkpoint);
  }

  /** The witness's certificate, parsed. */
  public X509Certificate x509() throws CheckpointException {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(certificate));
    } catch (CertificateException e) {
      throw new CheckpointException(
          "the cosignature by " + witness + " carries no readable X.509 certificate");
    }
  }

  /** SHA-256 of the certificate's DER, lower-case hex (the fingerprint the coordinator records). */
  public String certificateSha256() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Checks that the certificate is {@link #witness}'s (its subject CN) and that its key signed this
   * checkpoint body at this time. Says nothing about who issued the certificate: see {@link
   * #verifyIssuedBy}.
   *
   * @throws CheckpointException naming the witness and what does not hold
   */
  public void verify() throws CheckpointException {
    X509Certificate cert = x509();
    String cn = commonName(cert);
    if (!witness.equals(cn)) {
      throw new CheckpointException(
          "the cosignature claims to be by "
              + witness
              + " but its certificate is for '"
              + cn
              + "'");
    }
    cosigned();
    boolean ok;
    try {
      Signature s = Signature.getInstance(ALGORITHM, BC);
      s.initVerify(cert.getPublicKey());
      s.update(message(checkpoint, timestamp));
      ok = s.verify(signature);
    } catch (GeneralSecurityException e) {
      ok = false;
    }
    if (!ok) {
      throw new CheckpointException(
          "the cosignature by "
              + witness
              + " does not verify with its certificate: the checkpoint, the time or the signature"
              + " was changed after cosigning");
    }
  }

  /**
   * {@link #verify()}, and the certificate was issued by {@code ca} (the deployment's CA).
   *
   * @throws CheckpointException naming the witness and what does not hold
   */
  public void verifyIssuedBy(X509Certificate ca) throws CheckpointException {
    verify();
    try {
      x509().verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CheckpointException(
          "the certificate in the cosignature by "
              + witness
              + " was not issued by the federation's CA ("
              + ca.getSubjectX500Principal().getName()
              + ")");
    }
  }

  private static String commonName(X509Certificate cert) throws CheckpointException {
    try {
      for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return String.valueOf(rdn.getValue());
        }
      }
    } catch (InvalidNameException e) {
      // fall through
    }
    throw new CheckpointException(
        "the certificate " + cert.getSubjectX500Principal().getName() + " has no subject CN");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cosignature c
        && witness.equals(c.witness)
        && checkpoint.equals(c.checkpoint)
        && timestamp == c.timestamp
        && MessageDigest.isEqual(certificate, c.certificate)
        && MessageDigest.isEqual(signature, c.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(witness, checkpoint, timestamp);
  }

  @Override
  public String toString() {
    return "Cosignature[" + witness + ", " + checkpoint.replace('\n', ' ').trim() + "]";
  }
}
