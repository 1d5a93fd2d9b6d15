package org.fedcredit.participantnode.serving.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.fedcredit.participantnode.serving.DecisionFixtures.approved;
import static org.fedcredit.participantnode.serving.DecisionFixtures.cannotDecide;
import static org.fedcredit.participantnode.serving.DecisionFixtures.refused;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fedcredit.participantnode.serving.Decision;
import org.fedcredit.participantnode.serving.Decision.Outcome;
import org.fedcredit.participantnode.serving.DecisionTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link DecisionStore} must have; a subclass per implementation. */
abstract class DecisionStoreContract {
  static final Instant T0 = Instant.parse("2026-11-27T01:00:00.123456Z");

  /** A store on a new, empty database (or schema). */
  protected abstract DecisionStore openEmpty();

  /** The same database again, for the checks that data outlive a store (none for in memory). */
  protected abstract Optional<DecisionStore> reopen();

  protected DecisionStore store;

  @BeforeEach
  void openStore() {
    store = openEmpty();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void everyKindOfDecisionComesBackEqualToTheOneSaved() {
    Decision refused = refused(DecisionTokens.newToken(), T0);
    Decision approved = approved(DecisionTokens.newToken(), T0.plusSeconds(1));
    Decision undecided = cannotDecide(DecisionTokens.newToken(), T0.plusSeconds(2));

    store.save(refused);
    store.save(approved);
    store.save(undecided);

    assertThat(store.find(refused.token())).contains(refused);
    assertThat(store.find(approved.token())).contains(approved);
    assertThat(store.find(undecided.token())).contains(undecided);
    assertThat(store.find(undecided.token()).orElseThrow().score()).isNaN();
    assertThat(store.find(undecided.token()).orElseThrow().explanation()).isNull();
  }

  @Test
  void writtenAfterPagesThroughDecisionsInTimeThenTokenOrderWithTheirJsonAsIssued() {
    List<Decision> saved = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      // two decisions share each instant but the last: ties are ordered by token
      Decision d =
          i % 2 == 0
              ? refused(DecisionTokens.newToken(), T0.plusSeconds(i / 2))
              : approved(DecisionTokens.newToken(), T0.plusSeconds(i / 2));
      saved.add(d);
    }
    List<String> jsons = new ArrayList<>();
    for (Decision d : saved) {
      DecisionStore.Stored stored = store.saveAndWrite(d);
      // the UTF-8 and hash handed on are those of the JSON as stored
      assertThat(stored.json())
          .isEqualTo(org.fedcredit.participantnode.serving.DecisionJson.write(d));
      assertThat(stored.utf8()).isEqualTo(stored.json().getBytes(StandardCharsets.UTF_8));
      assertThat(stored.sha256()).isEqualTo(sha256(stored.json()));
      jsons.add(stored.json());
    }
    List<Decision> expected =
        saved.stream()
            .sorted(
                java.util.Comparator.comparing(Decision::decidedAt).thenComparing(Decision::token))
            .toList();

    List<DecisionStore.Written> page1 = store.writtenAfter(T0.minusSeconds(1), "", 2);
    DecisionStore.Written last = page1.get(1);
    List<DecisionStore.Written> page2 = store.writtenAfter(last.decidedAt(), last.token(), 1000);

    List<DecisionStore.Written> all = new ArrayList<>(page1);
    all.addAll(page2);
    assertThat(all)
        .extracting(DecisionStore.Written::token)
        .containsExactlyElementsOf(expected.stream().map(Decision::token).toList());
    for (DecisionStore.Written w : all) {
      int i =
          saved.indexOf(
              saved.stream().filter(d -> d.token().equals(w.token())).findFirst().orElseThrow());
      assertThat(w.sha256()).isEqualTo(sha256(jsons.get(i)));
      assertThat(w.modelJob()).isEqualTo(saved.get(i).model().job());
      assertThat(w.modelVersion()).isEqualTo(saved.get(i).model().version());
    }
    assertThat(store.writtenAfter(T0, "", 1000)).hasSize(5);
    assertThat(store.writtenAfter(T0.plusSeconds(2), "", 1000)).hasSize(1);
    assertThat(store.writtenAfter(T0.plusSeconds(3), "", 1000)).isEmpty();
  }

  private static String sha256(String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void nanosecondsNegativeZeroAndOddTextsSurviveTheRoundTrip() {
    Decision base =
        refused(DecisionTokens.newToken(), Instant.parse("2026-11-27T01:02:03.123456789Z"));
    Decision odd =
        new Decision(
            base.token(),
            base.decidedAt(),
            "<script>alert('x')</script> \"企业\" \\ \u0001 \uD83D\uDE00",
            base.model(),
            base.outcome(),
            0.1 + 0.2,
            -0.0,
            "C-",
            base.explanation(),
            base.reasons(),
            base.counterfactuals(),
            Map.of("en", "line 1\nline 2 \u0000", "zh", "第一行\n第二行"));

    store.save(odd);

    Decision back = store.find(odd.token()).orElseThrow();
    assertThat(back).isEqualTo(odd);
    assertThat(back.decidedAt().getNano()).isEqualTo(123456789);
    assertThat(Double.doubleToRawLongBits(back.score()))
        .isEqualTo(Double.doubleToRawLongBits(-0.0));
    assertThat(back.probabilityOfDefault()).isEqualTo(0.30000000000000004);
  }

  @Test
  void aSecondSaveWithTheSameTokenIsRejectedAndTheFirstIsKept() {
    String token = DecisionTokens.newToken();
    Decision first = refused(token, T0);
    store.save(first);

    assertThatThrownBy(() -> store.save(approved(token, T0.plusSeconds(5))))
        .isInstanceOf(DuplicateDecisionException.class)
        .hasMessage(
            "a decision with token "
                + token
                + " is already stored; every decision needs a fresh DecisionTokens.newToken()");
    assertThat(store.find(token)).contains(first);
    assertThat(store.recent(10, Optional.empty())).containsExactly(first);
  }

  @Test
  void invalidDecisionsAreRejectedBeforeAnythingIsWritten() {
    Decision good = refused(DecisionTokens.newToken(), T0);

    assertThatThrownBy(() -> store.save(refused("guessable-1", T0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "decision token 'guessable-1' is not well formed (22 URL-safe base64 characters);"
                + " create it with DecisionTokens.newToken()");
    assertThatThrownBy(() -> store.save(withEnterprise(good, "x".repeat(256))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "decision "
                + good.token()
                + ": enterprise id has 256 characters, the store keeps at most 255; shorten it");
    assertThatThrownBy(() -> store.save(withScore(good, Double.POSITIVE_INFINITY)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "decision "
                + good.token()
                + ": score is Infinity; it must be a finite number, or NaN when the model gave"
                + " none");

    assertThat(store.recent(10, Optional.empty())).isEmpty();
    assertThat(store.find(good.token())).isEmpty();
  }

  @Test
  void unknownAndMalformedTokensFindNothing() {
    store.save(refused(DecisionTokens.newToken(), T0));

    assertThat(store.find(DecisionTokens.newToken())).isEmpty();
    assertThat(store.find("")).isEmpty();
    assertThat(store.find(null)).isEmpty();
    assertThat(store.find("' OR '1'='1' --------")).isEmpty();
    assertThat(store.find("../../../../etc/passwd")).isEmpty();
  }

  @Test
  void recentIsNewestFirstLimitedAndFilteredByOutcome() {
    List<Decision> saved = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Instant at = T0.plusSeconds(60L * i);
      Decision d =
          switch (i % 3) {
            case 0 -> refused(DecisionTokens.newToken(), at);
            case 1 -> approved(DecisionTokens.newToken(), at);
            default -> cannotDecide(DecisionTokens.newToken(), at);
          };
      saved.add(d);
    }
    // Saved out of time order: the order comes from the decision time, not from insertion.
    for (int i : new int[] {3, 0, 6, 1, 5, 2, 4}) {
      store.save(saved.get(i));
    }

    assertThat(store.recent(3, Optional.empty()))
        .containsExactly(saved.get(6), saved.get(5), saved.get(4));
    assertThat(store.recent(100, Optional.empty())).hasSize(7);
    assertThat(store.recent(100, Optional.of(Outcome.REFUSED)))
        .containsExactly(saved.get(6), saved.get(3), saved.get(0));
    assertThat(store.recent(1, Optional.of(Outcome.APPROVED))).containsExactly(saved.get(4));
    assertThat(store.recent(100, Optional.of(Outcome.CANNOT_DECIDE)))
        .containsExactly(saved.get(5), saved.get(2));
  }

  @Test
  void decisionsAtTheSameMicrosecondAreOrderedByToken() {
    Decision a = refused("A" + DecisionTokens.newToken().substring(1), T0);
    Decision b = approved("B" + DecisionTokens.newToken().substring(1), T0);
    store.save(b);
    store.save(a);

    assertThat(store.recent(2, Optional.empty())).containsExactly(a, b);
  }

  @Test
  void aLimitOutOfRangeIsRefused() {
    assertThatThrownBy(() -> store.recent(0, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit 0 is out of range; ask for 1 to 1000");
    assertThatThrownBy(() -> store.recent(1001, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit 1001 is out of range; ask for 1 to 1000");
  }

  @Test
  void concurrentSavesOfDistinctTokensAreAllKeptAndOfOneTokenOnlyOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      String shared = DecisionTokens.newToken();
      List<Callable<Boolean>> work = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        Instant at = T0.plusMillis(i);
        work.add(
            () -> {
              store.save(approved(DecisionTokens.newToken(), at));
              return true;
            });
        work.add(
            () -> {
              try {
                store.save(refused(shared, at));
                return true;
              } catch (DuplicateDecisionException e) {
                return false;
              }
            });
      }
      int sharedSaves = 0;
      List<Future<Boolean>> results = pool.invokeAll(work);
      for (int i = 0; i < results.size(); i++) {
        boolean ok = results.get(i).get();
        if (i % 2 == 1 && ok) {
          sharedSaves++;
        }
      }
      assertThat(sharedSaves).isEqualTo(1);
      assertThat(store.recent(1000, Optional.of(Outcome.APPROVED))).hasSize(16);
      assertThat(store.recent(1000, Optional.of(Outcome.REFUSED))).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void decisionsOutliveTheStoreThatSavedThem() {
    Decision refused = refused(DecisionTokens.newToken(), T0);
    store.save(refused);
    store.close();

    Optional<DecisionStore> again = reopen();
    if (again.isEmpty()) {
      store = openEmpty();
      return;
    }
    store = again.get();
    assertThat(store.find(refused.token())).contains(refused);
  }

  @Test
  void aClosedStoreSaysSo() {
    store.close();

    assertThatThrownBy(() -> store.find(DecisionTokens.newToken()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  static Decision withEnterprise(Decision d, String enterpriseId) {
    return new Decision(
        d.token(),
        d.decidedAt(),
        enterpriseId,
        d.model(),
        d.outcome(),
        d.probabilityOfDefault(),
        d.score(),
        d.band(),
        d.explanation(),
        d.reasons(),
        d.counterfactuals(),
        d.note());
  }

  static Decision withScore(Decision d, double score) {
    return new Decision(
        d.token(),
        d.decidedAt(),
        d.enterpriseId(),
        d.model(),
        d.outcome(),
        d.probabilityOfDefault(),
        score,
        d.band(),
        d.explanation(),
        d.reasons(),
        d.counterfactuals(),
        d.note());
  }
}
