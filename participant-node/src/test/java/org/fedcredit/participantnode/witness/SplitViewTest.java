package org.fedcredit.participantnode.witness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fedcredit.coordinator.translog.Cosignature;
import org.fedcredit.coordinator.translog.SignedCheckpoint;
import org.fedcredit.transport.tls.TlsIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator that keeps two logs under its one key and shows the bank one history and the tax
 * bureau another. Each party alone sees a log that only grows; the fork shows when the coordinator
 * relays one party's cosignature to the other, as it does with every step request.
 */
class SplitViewTest {
  @TempDir Path dir;
  private WitnessFixtures fx;
  private TlsIdentity.Loaded bank;
  private TlsIdentity.Loaded tax;
  private String key;

  @BeforeEach
  void setUp() {
    fx = new WitnessFixtures(dir);
    bank = fx.party("bank");
    tax = fx.party("tax-bureau");
    key = WitnessFixtures.LOG_KEY.verifier().encode();
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void twoHistoriesShownToTwoPartiesAreDetectedByTheNextStep() throws Exception {
    // Both logs share entries e0..e3; then the bank's says the tax bureau accepted, the tax
    // bureau's says the job ran with other columns.
    WitnessFixtures.Log forBank = fx.log("bank-view", 4);
    WitnessFixtures.Log forTax = fx.log("tax-view", 4);
    forBank.appendText("party-decision tax-bureau accepted columns [vat_m1]");
    forTax.appendText("party-decision tax-bureau accepted columns [vat_m1, vat_m2]");
    Witness bankWitness = fx.witness(bank, Optional.empty());
    Witness taxWitness = fx.witness(tax, Optional.empty());

    // Step 1 (no cosignatures to relay yet): each party accepts its own view.
    Cosignature bankSaw =
        bankWitness.witness(forBank.checkpoint().note(), key, List.of(), forBank).orElseThrow();
    Cosignature taxSaw =
        taxWitness.witness(forTax.checkpoint().note(), key, List.of(), forTax).orElseThrow();

    // Step 2: the log grew; each request carries the other party's cosignature on step 1.
    forBank.append(5, 7);
    forTax.append(5, 7);
    SignedCheckpoint bankStep2 = forBank.checkpoint();
    SignedCheckpoint taxStep2 = forTax.checkpoint();

    assertThatThrownBy(() -> bankWitness.witness(bankStep2.note(), key, List.of(taxSaw), forBank))
        .isInstanceOf(WitnessException.class)
        .hasMessageContaining("tax-bureau's view (size 5")
        .hasMessageContaining("this node's view (size 7")
        .hasMessageContaining("consistency proof from size 5 to 7 does not verify")
        .hasMessageContaining("split view: the coordinator showed tax-bureau a different history");
    assertThatThrownBy(() -> taxWitness.witness(taxStep2.note(), key, List.of(bankSaw), forTax))
        .isInstanceOf(WitnessException.class)
        .hasMessageContaining("split view: the coordinator showed bank a different history");
  }

  @Test
  void aForkAtTheSameSizeIsDetectedWithoutAProof() throws Exception {
    WitnessFixtures.Log forBank = fx.log("bank-view", 3);
    WitnessFixtures.Log forTax = fx.log("tax-view", 2);
    forTax.appendText("e2 as the tax bureau was told");
    Witness bankWitness = fx.witness(bank, Optional.empty());
    Cosignature taxSaw =
        fx.witness(tax, Optional.empty())
            .witness(forTax.checkpoint().note(), key, List.of(), forTax)
            .orElseThrow();

    SignedCheckpoint shown = forBank.checkpoint();
    assertThatThrownBy(() -> bankWitness.witness(shown.note(), key, List.of(taxSaw), forBank))
        .hasMessageContaining("same size but different roots")
        .hasMessageContaining("split view");
    assertThat(forBank.proofRequests).isZero();
  }

  @Test
  void oneHistoryShownToBothIsCosignedByBoth() throws Exception {
    WitnessFixtures.Log log = fx.log("one", 4);
    Witness bankWitness = fx.witness(bank, Optional.empty());
    Witness taxWitness = fx.witness(tax, Optional.empty());
    SignedCheckpoint step1 = log.checkpoint();
    Cosignature b1 = bankWitness.witness(step1.note(), key, List.of(), log).orElseThrow();
    Cosignature t1 = taxWitness.witness(step1.note(), key, List.of(), log).orElseThrow();
    log.append(4, 9);
    SignedCheckpoint step2 = log.checkpoint();

    assertThat(bankWitness.witness(step2.note(), key, List.of(t1), log)).isPresent();
    assertThat(taxWitness.witness(step2.note(), key, List.of(b1), log)).isPresent();
  }
}
