package org.fedcredit.participantnode.serving.store;

import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.fedcredit.participantnode.serving.Decision;
import org.fedcredit.participantnode.serving.DecisionTokens;

/**
 * A {@link DecisionStore} in a map, for tests and demos: same checks, same order (decision time to
 * the microsecond, newest first, then token), nothing kept after the process ends.
 */
public final class InMemoryDecisionStore implements DecisionStore {
  static final Comparator<Decision> NEWEST_FIRST =
      Comparator.<Decision, java.time.Instant>comparing(
              d -> d.decidedAt().truncatedTo(ChronoUnit.MICROS), Comparator.reverseOrder())
          .thenComparing(Decision::token);

  private final Map<String, Decision> decisions = new ConcurrentHashMap<>();
  private volatile boolean closed;

  @Override
  public void save(Decision decision) {
    open();
    DecisionChecks.storable(decision);
    if (decisions.putIfAbsent(decision.token(), decision) != null) {
      throw new DuplicateDecisionException(decision.token());
    }
  }

  @Override
  public Optional<Decision> find(String token) {
    open();
    return DecisionTokens.isWellFormed(token)
        ? Optional.ofNullable(decisions.get(token))
        : Optional.empty();
  }

  @Override
  public List<Decision> recent(int limit, Optional<Decision.Outcome> outcome) {
    open();
    DecisionChecks.requireLimit(limit);
    Objects.requireNonNull(outcome, "outcome");
    return decisions.values().stream()
        .filter(d -> outcome.isEmpty() || d.outcome() == outcome.get())
        .sorted(NEWEST_FIRST)
        .limit(limit)
        .toList();
  }

  @Override
  public List<Written> writtenAfter(java.time.Instant at, String token, int limit) {
    open();
    DecisionChecks.requireLimit(limit);
    java.time.Instant t = at.truncatedTo(ChronoUnit.MICROS);
    return decisions.values().stream()
        .filter(
            d -> {
              java.time.Instant di = d.decidedAt().truncatedTo(ChronoUnit.MICROS);
              return di.isAfter(t) || di.equals(t) && d.token().compareTo(token) > 0;
            })
        .sorted(
            Comparator.<Decision, java.time.Instant>comparing(
                    d -> d.decidedAt().truncatedTo(ChronoUnit.MICROS))
                .thenComparing(Decision::token))
        .limit(limit)
        .map(
            d ->
                new Written(
                    d.token(),
                    d.decidedAt(),
                    d.model().job(),
                    d.model().version(),
                    DecisionStore.sha256(
                        org.fedcredit.participantnode.serving.DecisionJson.write(d))))
        .toList();
  }

  @Override
  public void close() {
    closed = true;
  }

  private void open() {
    if (closed) {
      throw new IllegalStateException("the in-memory decision store is closed");
    }
  }
}
