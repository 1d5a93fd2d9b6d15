package org.fedcredit.transport.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedcredit.modelzoo.federation.PartyId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

  @TempDir Path dir;

  @Test
  void initCreatesASelfSignedP256CaForTenYearsWithAPrivateKeyFile() throws Exception {
    CertificateAuthority.CaFiles files = CertificateAuthority.init(dir.resolve("ca"));

    assertThat(files.certificate()).isEqualTo(dir.resolve("ca/ca.crt"));
    assertThat(Files.readString(files.certificate())).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(Files.readString(files.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.privateKey())))
        .isEqualTo("rw-------");
    X509Certificate ca = Pem.readCertificate(files.certificate(), "ca");
    assertThat(Pem.commonName(ca)).isEqualTo("FedCredit private CA");
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(ca.getSigAlgName()).isEqualToIgnoringCase("SHA256withECDSA");
    assertThat(ca.getPublicKey().getAlgorithm()).isIn("EC", "ECDSA");
    ca.verify(ca.getPublicKey());
    Duration validity = Duration.between(Instant.now(), ca.getNotAfter().toInstant());
    assertThat(validity.toDays()).isBetween(3650L, 3653L);
  }

  @Test
  void issueSignsANodeCertificateNamingThePartyForServerAndClientUse() throws Exception {
    Path ca = dir.resolve("ca");
    CertificateAuthority.init(ca);

    TlsIdentity id =
        CertificateAuthority.issue(ca, "tax-bureau", List.of("tax.example.org", "10.1.2.3"));

    assertThat(id.certificate()).isEqualTo(ca.resolve("tax-bureau.crt"));
    assertThat(id.privateKey()).isEqualTo(ca.resolve("tax-bureau.key"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(id.privateKey())))
        .isEqualTo("rw-------");
    TlsIdentity.Loaded loaded = id.load();
    X509Certificate cert = loaded.certificate();
    assertThat(loaded.party()).isEqualTo(PartyId.of("tax-bureau"));
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    List<String> sans = new ArrayList<>();
    for (List<?> san : cert.getSubjectAlternativeNames()) {
      sans.add(san.get(0) + ":" + san.get(1));
    }
    assertThat(sans)
        .containsExactly("2:localhost", "7:127.0.0.1", "2:tax.example.org", "7:10.1.2.3");
    cert.verify(loaded.caCertificate().getPublicKey());
    Duration validity = Duration.between(Instant.now(), cert.getNotAfter().toInstant());
    assertThat(validity.toDays()).isBetween(728L, 730L);
  }

  @Test
  void nothingIsEverOverwritten() throws Exception {
    Path ca = dir.resolve("ca");
    CertificateAuthority.init(ca);
    String before = Files.readString(ca.resolve("ca.key"));
    assertThatThrownBy(() -> CertificateAuthority.init(ca))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageContaining("refusing to overwrite " + ca.resolve("ca.crt"))
        .hasMessageContaining("a CA already exists in " + ca);
    CertificateAuthority.issue(ca, "bank");
    assertThatThrownBy(() -> CertificateAuthority.issue(ca, "bank"))
        .hasMessageContaining("refusing to overwrite " + ca.resolve("bank.crt"))
        .hasMessageContaining("delete both files to re-issue");
    assertThat(Files.readString(ca.resolve("ca.key"))).isEqualTo(before);
  }

  @Test
  void issueExplainsWhatIsMissingOrInvalid() {
    Path empty = dir.resolve("nothing-here");
    assertThatThrownBy(() -> CertificateAuthority.issue(empty, "bank"))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageContaining("cannot read CA certificate " + empty.resolve("ca.crt"))
        .hasMessageContaining("file does not exist")
        .hasMessageContaining("run `fedcredit certs init --dir " + empty + "` first");
    Path ca = dir.resolve("ca");
    CertificateAuthority.init(ca);
    assertThatThrownBy(() -> CertificateAuthority.issue(ca, "Bank Of X"))
        .hasMessageContaining("party id 'Bank Of X' is invalid");
    assertThatThrownBy(() -> CertificateAuthority.issue(ca, "bank", List.of("bad host!")))
        .hasMessageContaining("host 'bad host!' is neither a DNS name nor an IP address");
    assertThat(Files.exists(ca.resolve("bank.crt"))).isFalse();
  }

  @Test
  void loadNamesTheFileAtFault() throws Exception {
    Path ca = dir.resolve("ca");
    CertificateAuthority.init(ca);
    TlsIdentity bank = CertificateAuthority.issue(ca, "bank");
    TlsIdentity utility = CertificateAuthority.issue(ca, "utility");
    Path rogueDir = dir.resolve("rogue");
    CertificateAuthority.init(rogueDir);
    TlsIdentity rogue = CertificateAuthority.issue(rogueDir, "bank");
    Path garbage = Files.writeString(dir.resolve("garbage.crt"), "not a pem file\n");

    assertThatThrownBy(
            () ->
                new TlsIdentity(bank.caCertificate(), dir.resolve("missing.crt"), bank.privateKey())
                    .load())
        .hasMessage(
            "unreadable certificate " + dir.resolve("missing.crt") + ": file does not exist");
    assertThatThrownBy(
            () -> new TlsIdentity(bank.caCertificate(), garbage, bank.privateKey()).load())
        .hasMessageStartingWith("unreadable certificate " + garbage);
    assertThatThrownBy(
            () ->
                new TlsIdentity(bank.caCertificate(), bank.certificate(), bank.certificate())
                    .load())
        .hasMessageStartingWith("unreadable private key " + bank.certificate())
        .hasMessageContaining("no PEM PRIVATE KEY block");
    assertThatThrownBy(
            () ->
                new TlsIdentity(bank.caCertificate(), rogue.certificate(), rogue.privateKey())
                    .load())
        .hasMessageContaining(
            "certificate "
                + rogue.certificate()
                + " was not issued by the CA in "
                + bank.caCertificate());
    assertThatThrownBy(
            () ->
                new TlsIdentity(bank.caCertificate(), bank.certificate(), utility.privateKey())
                    .load())
        .hasMessage(
            "private key "
                + utility.privateKey()
                + " does not belong to certificate "
                + bank.certificate());
  }

  @Test
  void mutualTlsIsTheDefaultAndPlaintextMustBeAskedFor() {
    Path ca = dir.resolve("ca");
    CertificateAuthority.init(ca);
    TlsIdentity bank = CertificateAuthority.issue(ca, "bank");
    PartyId id = PartyId.of("bank");

    assertThat(TransportSecurity.select(id, Optional.of(bank), false))
        .isInstanceOf(TransportSecurity.MutualTls.class)
        .extracting(TransportSecurity::self)
        .isEqualTo(id);
    assertThatThrownBy(() -> TransportSecurity.select(id, Optional.empty(), false))
        .hasMessageContaining("no TLS identity configured for bank")
        .hasMessageContaining("--insecure-dev for development only");
    assertThatThrownBy(() -> TransportSecurity.select(id, Optional.of(bank), true))
        .hasMessageContaining("remove --insecure-dev");
    assertThatThrownBy(
            () -> TransportSecurity.select(PartyId.of("utility"), Optional.of(bank), false))
        .hasMessageContaining("is for party 'bank' but this node is configured as 'utility'");

    TransportSecurity insecure = TransportSecurity.select(id, Optional.empty(), true);
    assertThat(insecure).isInstanceOf(TransportSecurity.InsecureDev.class);
    assertThat(InsecureWarning.logged()).isTrue();
  }
}
