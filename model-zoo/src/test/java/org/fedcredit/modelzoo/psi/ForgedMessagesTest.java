package org.fedcredit.modelzoo.psi;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.FederationException;
import org.fedcredit.modelzoo.federation.InMemoryFederation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.protocols.psi.v1.AlignmentBatch;
import org.fedcredit.protocols.psi.v1.AlignmentSize;
import org.fedcredit.protocols.psi.v1.BlindedBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A scripted label party that follows the protocol except for one forged message; the real feature
 * party must reject each forgery with a {@link PsiException} saying what is wrong, never align.
 */
class ForgedMessagesTest {

  static final PartyId BANK = PartyId.of("bank");
  static final PartyId TAX = PartyId.of("tax-bureau");
  static final int N = 20;
  static final int BATCH = 8;

  enum Forgery {
    NONE(null),
    BLINDED_BATCH_WRONG_OFFSET("has offset 8 and"),
    BLINDED_BATCH_TRUNCATED("expected offset 0 and 256 bytes"),
    SMALL_ORDER_POINT("sent a point of small order"),
    ALIGNMENT_LARGER_THAN_SET("announces 21 aligned rows of 20"),
    ALIGNMENT_REPEATED_POSITION("out of range or repeated"),
    ALIGNMENT_POSITION_OUT_OF_RANGE("names position 20"),
    ALIGNMENT_OFFSET_GAP("at offset 3 with");

    final String message;

    Forgery(String message) {
      this.message = message;
    }
  }

  @ParameterizedTest
  @EnumSource(Forgery.class)
  void featurePartyRejectsEveryForgery(Forgery forgery) throws Exception {
    InMemoryFederation fed =
        new InMemoryFederation(Set.of(BANK, TAX), java.time.Duration.ofSeconds(20));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      ids.add("id-" + i);
    }
    PsiConfig config = PsiConfig.of("job-7").withBatchSize(BATCH).withThreads(1);
    CompletableFuture<Alignment> tax =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new PsiFeatureParty(fed.endpoint(TAX), BANK, config).run(PsiInput.of(ids));
              } catch (RuntimeException e) {
                fed.fail(TAX, e);
                throw e;
              }
            });

    try {
      scriptedBank(fed.endpoint(BANK), ids, forgery);
    } catch (FederationException expectedOnceTheFeaturePartyStopped) {
      assertThat(forgery).isNotEqualTo(Forgery.NONE);
    }

    if (forgery == Forgery.NONE) {
      // The script itself is faithful: without a forgery, the feature party aligns.
      assertThat(tax.get(20, TimeUnit.SECONDS).size()).isEqualTo(4);
      return;
    }
    assertThat(tax)
        .failsWithin(20, TimeUnit.SECONDS)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOf(PsiException.class)
        .withMessageContaining(forgery.message);
  }

  /** The label party's side with the bank holding ids id-0..id-19 (so all 20 match). */
  static void scriptedBank(Federation fed, List<String> ids, Forgery forgery) {
    byte[] domain = PsiWire.domain("job-7");
    BlindingKey key = BlindingKey.random(new SecureRandom());
    fed.send(TAX, PsiWire.HELLO, PsiWire.hello(domain, N, BATCH));
    PsiWire.receiveHello(fed, TAX, domain);
    byte[][] theirs = new byte[PsiWire.batches(N, BATCH)][];
    for (int k = 0; k < theirs.length; k++) {
      theirs[k] = PsiWire.receiveBatch(fed, TAX, PsiWire.FEATURE_BLINDED, k, BATCH, N);
    }
    int[] rows = new int[N];
    for (int i = 0; i < N; i++) {
      rows[i] = i;
    }
    for (int k = 0; k < PsiWire.batches(N, BATCH); k++) {
      byte[] points = key.hashAndBlind(domain, ids, rows, k * BATCH, Math.min(N, (k + 1) * BATCH));
      int offset = k * BATCH;
      if (k == 0 && forgery == Forgery.BLINDED_BATCH_WRONG_OFFSET) {
        offset = BATCH;
      }
      if (k == 0 && forgery == Forgery.BLINDED_BATCH_TRUNCATED) {
        points = java.util.Arrays.copyOf(points, points.length - 1);
      }
      if (k == 0 && forgery == Forgery.SMALL_ORDER_POINT) {
        java.util.Arrays.fill(points, 0, 32, (byte) 0);
      }
      fed.send(TAX, PsiWire.LABEL_BLINDED, PsiWire.batch(offset, points));
    }
    for (int k = 0; k < PsiWire.batches(N, BATCH); k++) {
      fed.receive(TAX, PsiWire.LABEL_DOUBLE_BLINDED, BlindedBatch.class);
    }
    // Align positions 0..3 of the feature party's stream, or a forgery of that.
    List<Integer> positions = new ArrayList<>(List.of(0, 1, 2, 3));
    int size = 4;
    switch (forgery) {
      case ALIGNMENT_LARGER_THAN_SET -> size = N + 1;
      case ALIGNMENT_REPEATED_POSITION -> positions.set(3, 1);
      case ALIGNMENT_POSITION_OUT_OF_RANGE -> positions.set(2, N);
      default -> {}
    }
    fed.send(TAX, PsiWire.ALIGNMENT_SIZE, AlignmentSize.newBuilder().setSize(size).build());
    if (forgery == Forgery.ALIGNMENT_OFFSET_GAP) {
      fed.send(
          TAX,
          PsiWire.ALIGNMENT,
          AlignmentBatch.newBuilder().setOffset(0).addPositions(0).addPositions(1).build());
      fed.send(
          TAX,
          PsiWire.ALIGNMENT,
          AlignmentBatch.newBuilder().setOffset(3).addPositions(2).addPositions(3).build());
      return;
    }
    fed.send(
        TAX,
        PsiWire.ALIGNMENT,
        AlignmentBatch.newBuilder().setOffset(0).addAllPositions(positions).build());
  }
}
