package org.fedcredit.participantnode.witness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fedcredit.coordinator.translog.Cosignature;
import org.fedcredit.coordinator.translog.NoteKeys;
import org.fedcredit.coordinator.translog.SignedCheckpoint;
import org.fedcredit.transport.tls.TlsIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WitnessTest {
  @TempDir Path dir;
  private WitnessFixtures fx;
  private TlsIdentity.Loaded bank;
  private String announced;

  @BeforeEach
  void setUp() {
    fx = new WitnessFixtures(dir);
    bank = fx.party("bank");
    announced = WitnessFixtures.LOG_KEY.verifier().encode();
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void consistentGrowthIsCheckedWithAProofStoredAndCosigned() throws Exception {
    WitnessFixtures.Log log = fx.log("a", 3);
    Witness w = fx.witness(bank, Optional.empty());
    SignedCheckpoint first = log.checkpoint();

    Cosignature c1 = w.witness(first.note(), announced, List.of(), log).orElseThrow();
    assertThat(log.proofRequests).isZero();

    log.append(3, 10);
    SignedCheckpoint second = log.checkpoint();
    Cosignature c2 = w.witness(second.note(), announced, List.of(), log).orElseThrow();

    assertThat(log.proofRequests).isEqualTo(1);
    assertThat(w.latest()).contains(second);
    assertThat(Files.readString(dir.resolve("witness-bank").resolve(Witness.CHECKPOINT_FILE)))
        .isEqualTo(second.note());
    for (var c : List.of(c1, c2)) {
      c.verifyIssuedBy(bank.caCertificate());
      assertThat(c.witness()).isEqualTo("bank");
    }
    assertThat(c2.cosigned().size()).isEqualTo(10);
    assertThat(c2.cosigned().root()).isEqualTo(second.root());
  }

  @Test
  void anOlderCheckpointThatIsAPrefixIsCosignedButDoesNotReplaceTheStoredOne() throws Exception {
    WitnessFixtures.Log log = fx.log("a", 4);
    SignedCheckpoint older = log.checkpoint();
    log.append(4, 9);
    SignedCheckpoint newer = log.checkpoint();
    Witness w = fx.witness(bank, Optional.empty());
    w.witness(newer.note(), announced, List.of(), log);

    Cosignature c = w.witness(older.note(), announced, List.of(), log).orElseThrow();

    assertThat(c.cosigned().size()).isEqualTo(4);
    assertThat(w.latest()).contains(newer);
  }

  @Test
  void aRewrittenHistoryOfTheSameSizeIsRefusedWithBothRoots() throws Exception {
    WitnessFixtures.Log honest = fx.log("a", 5);
    WitnessFixtures.Log rewritten = fx.log("b", 2);
    rewritten.appendText("e2 rewritten");
    rewritten.append(3, 5);
    Witness w = fx.witness(bank, Optional.empty());
    SignedCheckpoint seen = honest.checkpoint();
    w.witness(seen.note(), announced, List.of(), honest);

    SignedCheckpoint other = rewritten.checkpoint();
    assertThatThrownBy(() -> w.witness(other.note(), announced, List.of(), rewritten))
        .isInstanceOf(WitnessException.class)
        .hasMessageContaining("same size but different roots")
        .hasMessageContaining("size 5")
        .hasMessageContaining(org.fedcredit.coordinator.translog.MerkleTree.hex(seen.root()))
        .hasMessageContaining(org.fedcredit.coordinator.translog.MerkleTree.hex(other.root()))
        .hasMessageContaining("split view or rewritten history");
    assertThat(w.latest()).contains(seen);
  }

  @Test
  void aRewrittenHistoryThatGrewIsRefusedBecauseNoProofConnectsIt() throws Exception {
    WitnessFixtures.Log honest = fx.log("a", 5);
    WitnessFixtures.Log rewritten = fx.log("b", 2);
    rewritten.appendText("e2 rewritten");
    rewritten.append(3, 8);
    Witness w = fx.witness(bank, Optional.empty());
    w.witness(honest.checkpoint().note(), announced, List.of(), honest);

    assertThatThrownBy(
            () -> w.witness(rewritten.checkpoint().note(), announced, List.of(), rewritten))
        .isInstanceOf(WitnessException.class)
        .hasMessageContaining("consistency proof from size 5 to 8 does not verify")
        .hasMessageContaining("split view or rewritten history");
  }

  @Test
  void aCheckpointNotSignedByTheConfiguredKeyIsRefused() {
    WitnessFixtures.Log log = fx.log("a", 3);
    NoteKeys.Signer impostor = NoteKeys.generate("fedcredit/coordinator");
    Witness w = fx.witness(bank, Optional.of(WitnessFixtures.LOG_KEY.verifier()));

    String note = log.checkpoint(impostor).note();
    assertThatThrownBy(() -> w.witness(note, impostor.verifier().encode(), List.of(), log))
        .isInstanceOf(WitnessException.class)
        .hasMessageContaining("does not verify with the log key " + announced);
    assertThat(w.latest()).isEmpty();
  }

  @Test
  void withoutAConfiguredKeyTheFirstKeyIsPinnedAndAnotherKeyLaterIsRefused() throws Exception {
    WitnessFixtures.Log log = fx.log("a", 3);
    Witness w = fx.witness(bank, Optional.empty());
    w.witness(log.checkpoint().note(), announced, List.of(), log);
    assertThat(Files.readString(dir.resolve("witness-bank").resolve(Witness.PINNED_KEY_FILE)))
        .isEqualTo(announced + "\n");

    NoteKeys.Signer replaced = NoteKeys.generate("fedcredit/coordinator");
    log.append(3, 4);
    String note = log.checkpoint(replaced).note();
    assertThatThrownBy(() -> w.witness(note, replaced.verifier().encode(), List.of(), log))
        .isInstanceOf(WitnessException.class)
        .hasMessageContaining("now announces the log key " + replaced.verifier().encode())
        .hasMessageContaining("pinned " + announced + " on first use");
    // Announcing the old key while signing with the new one does not help either.
    assertThatThrownBy(() -> w.witness(note, announced, List.of(), log))
        .isInstanceOf(WitnessException.class)
        .hasMessageContaining("does not verify with the log key " + announced);
  }

  @Test
  void stateSurvivesARestart() throws Exception {
    WitnessFixtures.Log honest = fx.log("a", 5);
    SignedCheckpoint seen = honest.checkpoint();
    fx.witness(bank, Optional.empty()).witness(seen.note(), announced, List.of(), honest);

    Witness restarted = fx.witness(bank, Optional.empty());

    assertThat(restarted.latest()).contains(seen);
    WitnessFixtures.Log rewritten = fx.log("b", 4);
    rewritten.appendText("e4 rewritten");
    assertThatThrownBy(
            () -> restarted.witness(rewritten.checkpoint().note(), announced, List.of(), rewritten))
        .hasMessageContaining("same size but different roots");
    NoteKeys.Signer replaced = NoteKeys.generate("fedcredit/coordinator");
    assertThatThrownBy(
            () ->
                restarted.witness(
                    honest.checkpoint(replaced).note(),
                    replaced.verifier().encode(),
                    List.of(),
                    honest))
        .hasMessageContaining("on first use");
  }

  @Test
  void storedStateThatTheConfiguredKeyDoesNotVerifyStopsTheNode() throws Exception {
    WitnessFixtures.Log log = fx.log("a", 2);
    fx.witness(bank, Optional.empty()).witness(log.checkpoint().note(), announced, List.of(), log);
    NoteKeys.Verifier other = NoteKeys.generate("fedcredit/coordinator").verifier();

    assertThatThrownBy(() -> fx.witness(bank, Optional.of(other)))
        .isInstanceOf(Witness.WitnessStateException.class)
        .hasMessageContaining("does not verify with the log key " + other.encode());
  }

  @Test
  void aStepWithoutACheckpointIsRefused() {
    WitnessFixtures.Log log = fx.log("a", 2);
    Witness w = fx.witness(bank, Optional.empty());
    assertThatThrownBy(() -> w.witness("", announced, List.of(), log))
        .isInstanceOf(WitnessException.class)
        .hasMessageContaining("sent no signed checkpoint");
  }

  @Test
  void aRelayedCosignatureThatDoesNotVerifyIsRefusedNamingItsWitness() throws Exception {
    WitnessFixtures.Log log = fx.log("a", 4);
    TlsIdentity.Loaded tax = fx.party("tax-bureau");
    SignedCheckpoint cp = log.checkpoint();
    Cosignature good =
        fx.witness(tax, Optional.empty()).witness(cp.note(), announced, List.of(), log).get();
    byte[] sig = good.signature();
    sig[sig.length - 1] ^= 1;
    Cosignature forged =
        new Cosignature(
            good.witness(), good.certificate(), good.checkpoint(), good.timestamp(), sig);
    Cosignature renamed =
        new Cosignature(
            "utility", good.certificate(), good.checkpoint(), good.timestamp(), good.signature());
    Witness w = fx.witness(bank, Optional.empty());

    assertThat(w.witness(cp.note(), announced, List.of(good), log)).isPresent();
    assertThatThrownBy(() -> w.witness(cp.note(), announced, List.of(forged), log))
        .hasMessageContaining("cosignature by tax-bureau that is not valid")
        .hasMessageContaining("does not verify");
    assertThatThrownBy(() -> w.witness(cp.note(), announced, List.of(renamed), log))
        .hasMessageContaining("claims to be by utility but its certificate is for 'tax-bureau'");
  }

  @Test
  void aCosignatureFromAnotherFederationsCaIsRefused() throws Exception {
    WitnessFixtures.Log log = fx.log("a", 4);
    SignedCheckpoint cp = log.checkpoint();
    WitnessFixtures elsewhere = new WitnessFixtures(dir.resolve("elsewhere"));
    TlsIdentity.Loaded stranger = elsewhere.party("tax-bureau");
    Cosignature theirs =
        Cosignature.sign("tax-bureau", stranger.certificate(), stranger.key(), cp, 1L);
    Witness w = fx.witness(bank, Optional.empty());

    assertThatThrownBy(() -> w.witness(cp.note(), announced, List.of(theirs), log))
        .hasMessageContaining("was not issued by the federation's CA");
  }
}
