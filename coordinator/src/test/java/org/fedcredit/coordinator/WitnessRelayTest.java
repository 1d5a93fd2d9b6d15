package org.fedcredit.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedcredit.coordinator.audit.AuditEntry;
import org.fedcredit.coordinator.audit.AuditLog;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.PartyRecord;
import org.fedcredit.coordinator.store.StoreConfig;
import org.fedcredit.coordinator.translog.Cosignature;
import org.fedcredit.coordinator.translog.CosignatureMessages;
import org.fedcredit.coordinator.translog.NoteKeys;
import org.fedcredit.coordinator.translog.SignedCheckpoint;
import org.fedcredit.protocols.participant.v1.StepRequest;
import org.fedcredit.protocols.participant.v1.StepResult;
import org.fedcredit.transport.tls.CertificateAuthority;
import org.fedcredit.transport.tls.TlsIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator's side of the witnesses, on a real store and real certificates. */
class WitnessRelayTest {
  static final Instant T = Instant.parse("2026-11-27T00:00:00Z");

  @TempDir Path dir;
  CoordinatorStore store;
  AuditLog log;
  WitnessRelay relay;
  TlsIdentity.Loaded bank;
  TlsIdentity.Loaded tax;
  final StepRequest base = StepRequest.newBuilder().setJobId("job-b").setStep("psi").build();

  @BeforeEach
  void setUp() throws Exception {
    store = CoordinatorStore.open(StoreConfig.embedded(dir.resolve("work")));
    log = AuditLog.open(store, NoteKeys.generate("fedcredit/coordinator"));
    relay = new WitnessRelay(log, store);
    CertificateAuthority.init(dir.resolve("ca"));
    bank = CertificateAuthority.issue(dir.resolve("ca"), "bank").load();
    tax = CertificateAuthority.issue(dir.resolve("ca"), "tax-bureau").load();
    for (TlsIdentity.Loaded p : List.of(bank, tax)) {
      String sha256 =
          java.util.HexFormat.of()
              .formatHex(
                  java.security.MessageDigest.getInstance("SHA-256")
                      .digest(p.certificate().getEncoded()));
      store.registerParty(
          new PartyRecord(p.party().name(), "127.0.0.1:7000", sha256, T, Optional.of(T)));
    }
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  private SignedCheckpoint checkpoint() {
    log.append(AuditEntry.ofJob("job-submitted", "job-a", T, Map.of("n", log.size())));
    return log.checkpoint();
  }

  private static StepResult result(Cosignature c) {
    return StepResult.newBuilder().setCosignature(CosignatureMessages.toMessage(c)).build();
  }

  private static Cosignature cosign(TlsIdentity.Loaded p, SignedCheckpoint cp) {
    return Cosignature.sign(p.party().name(), p.certificate(), p.key(), cp, 1);
  }

  @Test
  void theRequestCarriesTheCheckpointTheKeyAndTheOtherPartiesLatestCosignatures() {
    SignedCheckpoint inJobA = checkpoint();
    Cosignature taxInJobA = cosign(tax, inJobA);
    assertThat(relay.accept("job-a", "tax-bureau", inJobA, result(taxInJobA))).isEmpty();
    relay.forget("job-a");
    SignedCheckpoint cp = checkpoint();

    // A new job: before the tax bureau cosigns in it, its cosignature from job-a is relayed.
    StepRequest toBank = relay.requestFor(base, "job-b", "bank", List.of("bank", "tax-bureau"), cp);
    assertThat(toBank.getCheckpoint()).isEqualTo(cp.note());
    assertThat(toBank.getLogKey()).isEqualTo(log.verifier().encode());
    assertThat(toBank.getCosignaturesList())
        .extracting(m -> CosignatureMessages.fromMessage(m))
        .containsExactly(taxInJobA);
    assertThat(
            relay
                .requestFor(base, "job-b", "tax-bureau", List.of("bank", "tax-bureau"), cp)
                .getCosignaturesList())
        .isEmpty();

    // Once it cosigned in this job, that one is relayed.
    assertThat(relay.accept("job-b", "tax-bureau", cp, result(cosign(tax, cp)))).isEmpty();
    assertThat(
            relay
                .requestFor(base, "job-b", "bank", List.of("bank", "tax-bureau"), cp)
                .getCosignaturesList())
        .extracting(m -> CosignatureMessages.fromMessage(m).cosigned().size())
        .containsExactly(cp.size());
    assertThat(log.cosignatures().all()).hasSize(2);
  }

  @Test
  void aCosignatureThatIsNotThePartysOnTheCheckpointSentIsRefused() {
    SignedCheckpoint earlier = checkpoint();
    SignedCheckpoint cp = checkpoint();

    assertThat(relay.accept("job-b", "bank", cp, result(cosign(tax, cp))))
        .contains("its cosignature is by tax-bureau, not by bank");
    assertThat(relay.accept("job-b", "bank", cp, result(cosign(bank, earlier))))
        .hasValueSatisfying(m -> assertThat(m).startsWith("it cosigned another checkpoint"));
    CertificateAuthority.init(dir.resolve("ca2"));
    TlsIdentity.Loaded reissued = CertificateAuthority.issue(dir.resolve("ca2"), "bank").load();
    assertThat(relay.accept("job-b", "bank", cp, result(cosign(reissued, cp))))
        .hasValueSatisfying(m -> assertThat(m).contains("but registered with"));
    Cosignature good = cosign(bank, cp);
    Cosignature forged =
        new Cosignature(
            "bank", good.certificate(), good.checkpoint(), good.timestamp() + 5, good.signature());
    assertThat(relay.accept("job-b", "bank", cp, result(forged)))
        .hasValueSatisfying(m -> assertThat(m).contains("does not verify"));
    assertThat(log.cosignatures().all()).isEmpty();

    assertThat(relay.accept("job-b", "bank", cp, result(good))).isEmpty();
    assertThat(relay.accept("job-b", "bank", cp, StepResult.getDefaultInstance())).isEmpty();
    assertThat(log.cosignatures().all()).containsExactly(good);
  }

  private static List<String> hex(List<byte[]> hashes) {
    return hashes.stream().map(h -> java.util.HexFormat.of().formatHex(h)).toList();
  }

  @Test
  void proofsAreServedOnlyWithinTheLog() {
    checkpoint();
    checkpoint();
    checkpoint();
    assertThat(hex(relay.consistencyProof(1, 3)))
        .hasSize(2)
        .isEqualTo(hex(log.log().consistencyProof(1, 3)));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> relay.consistencyProof(2, 4))
        .hasMessageContaining("0 <= old <= new <= 3");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> relay.consistencyProof(3, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
