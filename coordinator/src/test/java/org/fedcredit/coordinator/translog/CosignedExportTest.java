package org.fedcredit.coordinator.translog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.StoreConfig;
import org.fedcredit.transport.tls.CertificateAuthority;
import org.fedcredit.transport.tls.TlsIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Witnesses' cosignatures kept in the real store, exported and checked offline: the verifier
 * reports who cosigned what, and rejects a bad or forked cosignature naming its witness.
 */
class CosignedExportTest {
  static final NoteKeys.Signer KEY = VerifierTest.KEY;

  @TempDir Path dir;
  CoordinatorStore store;
  TransparencyLog log;
  Cosignatures cosignatures;
  TlsIdentity.Loaded bank;
  TlsIdentity.Loaded tax;
  TlsIdentity.Loaded utility;

  @BeforeEach
  void fill() {
    store = CoordinatorStore.open(StoreConfig.embedded(dir.resolve("work")));
    log = TransparencyLog.in(store);
    cosignatures = Cosignatures.in(store);
    CertificateAuthority.init(dir.resolve("ca"));
    bank = CertificateAuthority.issue(dir.resolve("ca"), "bank").load();
    tax = CertificateAuthority.issue(dir.resolve("ca"), "tax-bureau").load();
    utility = CertificateAuthority.issue(dir.resolve("ca"), "utility").load();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private SignedCheckpoint grow(int to) {
    for (long i = log.size(); i < to; i++) {
      log.append(TransparencyLogContract.entry((int) i));
    }
    return log.checkpoint(KEY);
  }

  private static Cosignature cosign(TlsIdentity.Loaded who, SignedCheckpoint cp) {
    return Cosignature.sign(who.party().name(), who.certificate(), who.key(), cp, 1_795_000_000L);
  }

  private Verifier.Result verifyThroughAFile(Optional<java.security.cert.X509Certificate> ca)
      throws Exception {
    Path file = dir.resolve("export.json");
    Export.of(log, KEY.verifier(), cosignatures.all()).write(file);
    return Verifier.verify(Export.read(file), KEY.verifier(), ca);
  }

  @Test
  void theVerifierReportsWhoCosignedUpToWhichSize() throws Exception {
    SignedCheckpoint at12 = grow(12);
    assertThat(cosignatures.record(cosign(utility, at12))).isTrue();
    SignedCheckpoint at16 = grow(16);
    cosignatures.record(cosign(bank, at16));
    cosignatures.record(cosign(tax, at16));

    Verifier.Result r = verifyThroughAFile(Optional.of(bank.caCertificate()));

    assertThat(r.verified()).as(r.problem()).isTrue();
    assertThat(r.witnessed()).isEqualTo(Map.of("bank", 16L, "tax-bureau", 16L, "utility", 12L));
    assertThat(r.witnessesOfLatest()).containsExactly("bank", "tax-bureau");
  }

  @Test
  void theStoreKeepsTheFirstCosignatureOfAWitnessOnASize() throws Exception {
    SignedCheckpoint cp = grow(8);
    Cosignature first = cosign(bank, cp);
    Cosignature later =
        Cosignature.sign("bank", bank.certificate(), bank.key(), cp, 1_795_000_999L);

    assertThat(cosignatures.record(first)).isTrue();
    assertThat(cosignatures.record(later)).isFalse();
    assertThat(cosignatures.all()).containsExactly(first);
  }

  @Test
  void anExportWithoutCosignaturesStillReadsAndVerifies() throws Exception {
    grow(8);
    cosignatures.record(cosign(bank, log.checkpoint(KEY)));
    Path file = dir.resolve("export.json");
    Export.of(log, KEY.verifier(), cosignatures.all()).write(file);
    ObjectMapper json = new ObjectMapper();
    ObjectNode tree = (ObjectNode) json.readTree(file.toFile());
    assertThat(tree.has("cosignatures")).isTrue();
    tree.remove("cosignatures");
    Files.writeString(file, json.writeValueAsString(tree));

    Export old = Export.read(file);
    Verifier.Result r = Verifier.verify(old, KEY.verifier());

    assertThat(old.cosignatures()).isEmpty();
    assertThat(r.verified()).isTrue();
    assertThat(r.witnessed()).isEmpty();
  }

  @Test
  void aTamperedCosignatureIsRejectedNamingItsWitness() throws Exception {
    SignedCheckpoint cp = grow(16);
    cosignatures.record(cosign(bank, cp));
    Cosignature good = cosign(tax, cp);
    Cosignature moved =
        new Cosignature(
            good.witness(),
            good.certificate(),
            good.checkpoint(),
            good.timestamp() + 1,
            good.signature());
    cosignatures.record(moved);

    Verifier.Result r = verifyThroughAFile(Optional.empty());

    assertThat(r.verified()).isFalse();
    assertThat(r.problem())
        .startsWith("cosignature 1 by witness tax-bureau: the cosignature by tax-bureau does not")
        .contains("changed after cosigning");
  }

  @Test
  void aCosignatureOnAnotherHistoryIsReportedAsASplitView() throws Exception {
    SignedCheckpoint ours = grow(16);
    cosignatures.record(cosign(bank, ours));
    SignedCheckpoint theirs;
    try (CoordinatorStore fork = CoordinatorStore.open(StoreConfig.embedded(dir.resolve("fork")))) {
      TransparencyLog forked = TransparencyLog.in(fork);
      for (int i = 0; i < 12; i++) {
        forked.append(TransparencyLogContract.entry(i == 6 ? 600 : i));
      }
      theirs = forked.checkpoint(KEY);
    }
    cosignatures.record(cosign(tax, theirs));

    Verifier.Result r = verifyThroughAFile(Optional.empty());

    assertThat(r.verified()).isFalse();
    assertThat(r.problem())
        .startsWith("cosignature 1 by witness tax-bureau is on size 12 with root ")
        .endsWith("the coordinator showed this witness another history (split view)");
  }

  @Test
  void withTheFederationsCaACertificateFromElsewhereIsRejected() throws Exception {
    SignedCheckpoint cp = grow(4);
    CertificateAuthority.init(dir.resolve("other-ca"));
    TlsIdentity.Loaded stranger =
        CertificateAuthority.issue(dir.resolve("other-ca"), "bank").load();
    cosignatures.record(cosign(stranger, cp));

    assertThat(verifyThroughAFile(Optional.empty()).verified()).isTrue();
    Verifier.Result r = verifyThroughAFile(Optional.of(bank.caCertificate()));
    assertThat(r.verified()).isFalse();
    assertThat(r.problem())
        .isEqualTo(
            "cosignature 0 by witness bank: the certificate in the cosignature by bank was not"
                + " issued by the federation's CA ("
                + bank.caCertificate().getSubjectX500Principal().getName()
                + ")");
    assertThat(List.of(r.witnessed())).containsExactly(Map.of());
  }
}
