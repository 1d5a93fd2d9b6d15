package org.fedcredit.transport.tls;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.fedcredit.modelzoo.federation.PartyId;

/**
 * The federation's private certificate authority (DESIGN.md §6): one per deployment, kept by its
 * operator, the only trust anchor of every node's mutual TLS.
 *
 * <p>Guarantees: {@link #init} creates an EC P-256 self-signed CA certificate (CN "FedCredit
 * private CA", 10 years) and its PKCS#8 key ({@code ca.crt}, {@code ca.key}, key mode 600); {@link
 * #issue} creates a node certificate signed by that CA whose subject CN is the party id, with SAN
 * {@code DNS:localhost}, {@code IP:127.0.0.1} and the extra hosts given, extended key usage
 * serverAuth and clientAuth, valid 2 years (never beyond the CA). Existing files are never
 * overwritten. All cryptography is BouncyCastle's (SHA256withECDSA).
 */
public final class CertificateAuthority {

  /** Subject CN of the CA certificate. */
  public static final String CA_NAME = "FedCredit private CA";

  public static final String CA_CERT_FILE = "ca.crt";
  public static final String CA_KEY_FILE = "ca.key";
  public static final Duration CA_VALIDITY = Duration.ofDays(3652);
  public static final Duration NODE_VALIDITY = Duration.ofDays(730);

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final Duration BACKDATE = Duration.ofMinutes(5);
  private static final Pattern DNS_NAME =
      Pattern.compile(
          "(?i)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private static final SecureRandom RANDOM = new SecureRandom();

  /** The files {@link #init} wrote. */
  public record CaFiles(Path certificate, Path privateKey) {}

  private CertificateAuthority() {}

  /**
   * Creates a new private CA in {@code dir} (created if missing): {@code ca.crt} and {@code
   * ca.key}.
   *
   * @throws TlsSetupException if either file exists (nothing is overwritten) or cannot be written
   */
  public static CaFiles init(Path dir) {
    Path cert = dir.resolve(CA_CERT_FILE);
    Path key = dir.resolve(CA_KEY_FILE);
    Pem.requireAbsent(
        new LinkedHashSet<>(List.of(cert, key)),
        "a CA already exists in "
            + dir
            + "; issue node certificates with it or choose another --dir");
    createDirectories(dir);
    KeyPair pair = newKeyPair();
    Instant now = Instant.now();
    X500Name subject = name(CA_NAME);
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(CA_VALIDITY)),
                  subject,
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate ca = sign(b, pair.getPrivate());
      Pem.writeNew(cert, Pem.encode(ca), false);
      Pem.writeNew(key, Pem.encode(pair.getPrivate()), true);
      return new CaFiles(cert, key);
    } catch (CertIOException | GeneralSecurityException e) {
      throw new TlsSetupException("cannot create the CA in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** {@link #issue(Path, String, List)} with no extra hosts. */
  public static TlsIdentity issue(Path dir, String party) {
    return issue(dir, party, List.of());
  }

  /**
   * Issues a node certificate for {@code party} with the CA in {@code dir}, writing {@code
   * <party>.crt} and {@code <party>.key} next to it.
   *
   * @param extraHosts host names or IP literals the node is reached at, besides localhost and
   *     127.0.0.1 (they go into the subject alternative names checked by clients)
   * @return the identity the node loads: CA certificate, node certificate, node key
   * @throws TlsSetupException if the party id is invalid, a host is malformed, the CA cannot be
   *     read, or the node's files exist already
   */
  public static TlsIdentity issue(Path dir, String party, List<String> extraHosts) {
    PartyId id;
    try {
      id = PartyId.of(party);
    } catch (IllegalArgumentException e) {
      throw new TlsSetupException("cannot issue a certificate: " + e.getMessage(), e);
    }
    List<GeneralName> san = subjectAltNames(extraHosts);
    Path caCert = dir.resolve(CA_CERT_FILE);
    Path caKeyFile = dir.resolve(CA_KEY_FILE);
    String initHint = "; run `fedcredit certs init --dir " + dir + "` first";
    X509Certificate ca;
    PrivateKey caKey;
    try {
      ca = Pem.readCertificate(caCert, "cannot read CA certificate");
      caKey = Pem.readPrivateKey(caKeyFile, "cannot read CA key");
    } catch (TlsSetupException e) {
      throw new TlsSetupException(e.getMessage() + initHint, e);
    }
    Path cert = dir.resolve(id.name() + ".crt");
    Path key = dir.resolve(id.name() + ".key");
    Pem.requireAbsent(
        new LinkedHashSet<>(List.of(cert, key)),
        "party " + id + " already has a certificate in " + dir + "; delete both files to re-issue");
    KeyPair pair = newKeyPair();
    Instant now = Instant.now();
    Instant notAfter = now.plus(NODE_VALIDITY);
    if (notAfter.isAfter(ca.getNotAfter().toInstant())) {
      notAfter = ca.getNotAfter().toInstant();
    }
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  ca,
                  serial(),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(notAfter),
                  name(id.name()),
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(
                  Extension.keyUsage,
                  true,
                  new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(
                      new KeyPurposeId[] {
                        KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                      }))
              .addExtension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(san.toArray(GeneralName[]::new)))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(pair.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
      X509Certificate issued = sign(b, caKey);
      Pem.writeNew(cert, Pem.encode(issued), false);
      Pem.writeNew(key, Pem.encode(pair.getPrivate()), true);
      return new TlsIdentity(caCert, cert, key);
    } catch (CertIOException | GeneralSecurityException e) {
      throw new TlsSetupException(
          "cannot issue a certificate for " + id + " with the CA in " + dir + ": " + e.getMessage(),
          e);
    }
  }

  private static List<GeneralName> subjectAltNames(List<String> extraHosts) {
    Set<String> hosts = new LinkedHashSet<>();
    hosts.add("localhost");
    hosts.add("127.0.0.1");
    hosts.addAll(extraHosts);
    List<GeneralName> out = new ArrayList<>();
    for (String h : hosts) {
      if (IPV4.matcher(h).matches() || h.contains(":")) {
        try {
          // A literal: getByName parses it without a DNS lookup.
          InetAddress.getByName(h);
        } catch (UnknownHostException e) {
          throw new TlsSetupException("host '" + h + "' is not a valid IP address");
        }
        out.add(new GeneralName(GeneralName.iPAddress, h));
      } else if (h.length() <= 253 && DNS_NAME.matcher(h).matches()) {
        out.add(new GeneralName(GeneralName.dNSName, h));
      } else {
        throw new TlsSetupException(
            "host '"
                + h
                + "' is neither a DNS name nor an IP address; give e.g. node1.example.org"
                + " or 10.0.0.5");
      }
    }
    return out;
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new TlsSetupException("cannot create directory " + dir + ": " + Pem.describe(e), e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Pem.BC);
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new TlsSetupException("cannot generate an EC P-256 key: " + e.getMessage(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey)
      throws GeneralSecurityException {
    try {
      ContentSigner signer =
          new JcaContentSignerBuilder(SIGNATURE).setProvider(Pem.BC).build(issuerKey);
      return new JcaX509CertificateConverter().setProvider(Pem.BC).getCertificate(b.build(signer));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e.getMessage(), e);
    }
  }

  private static X500Name name(String cn) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).build();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).setBit(126);
  }
}
