package org.fedcredit.participantnode.serving.store;

import java.util.List;
import java.util.Optional;
import org.fedcredit.participantnode.serving.Decision;
import org.fedcredit.participantnode.serving.DecisionTokens;

/**
 * Every credit decision the bank's node issued, kept as issued and addressable by its token (issue
 * 6, item 5): the borrower page reads one by token, the credit officer view lists the recent ones.
 *
 * <p>Contract, for every implementation:
 *
 * <ul>
 *   <li>{@link #save} stores the decision whole or not at all; {@link #find} returns a decision
 *       {@code equals} to the one saved (scores, probabilities, attributions, texts, instants to
 *       the nanosecond, NaN where there was NaN);
 *   <li>a token is saved once: a second save with the same token throws {@link
 *       DuplicateDecisionException} and leaves the first decision unchanged;
 *   <li>tokens must be {@link DecisionTokens#isWellFormed well formed} (from {@link
 *       DecisionTokens#newToken()}), because the token is the page's only access control;
 *   <li>nothing returns {@code null}; thread-safe.
 * </ul>
 *
 * <p>{@link JdbcDecisionStore} is the production store (embedded H2 or PostgreSQL); {@link
 * InMemoryDecisionStore} is for tests and demos.
 */
public interface DecisionStore extends AutoCloseable {
  /** Upper bound of {@link #recent}'s {@code limit}. */
  int MAX_LIMIT = 1000;

  /**
   * Stores {@code decision}.
   *
   * @throws DuplicateDecisionException if a decision with this token is stored; nothing is written
   * @throws IllegalArgumentException if the token is not well formed, a field is longer than the
   *     store keeps (enterprise id, model job and version 255 characters, algorithm and band 64) or
   *     a number is infinite (NaN is allowed); nothing is written
   * @throws DecisionStoreException if the database fails; nothing is written
   */
  void save(Decision decision);

  /**
   * A decision's JSON as stored, in UTF-8 and its hash: encoded once, then stored, answered and
   * reported to the audit log.
   *
   * @param json {@link org.fedcredit.participantnode.serving.DecisionJson#write} of the decision
   * @param utf8 {@code json} in UTF-8 (not copied: do not modify)
   * @param sha256 {@link #sha256} of {@code json}
   */
  record Stored(String json, byte[] utf8, String sha256) {
    /** {@code decision} written as JSON in UTF-8 once, then decoded for the store and hashed. */
    public static Stored of(Decision decision) {
      byte[] utf8 = org.fedcredit.participantnode.serving.DecisionJson.writeUtf8(decision);
      return new Stored(
          new String(utf8, java.nio.charset.StandardCharsets.UTF_8),
          utf8,
          DecisionStore.sha256(utf8));
    }
  }

  /**
   * {@link #save} and the decision's JSON ({@link
   * org.fedcredit.participantnode.serving.DecisionJson#write}), written once for both.
   */
  default Stored saveAndWrite(Decision decision) {
    save(decision);
    return Stored.of(decision);
  }

  /** The decision with {@code token}; empty if there is none or the token is malformed. */
  Optional<Decision> find(String token);

  /**
   * The {@code limit} most recent decisions, newest first (ties by token), with {@code outcome}
   * only when given.
   *
   * @throws IllegalArgumentException if {@code limit} is not between 1 and {@value #MAX_LIMIT}
   */
  List<Decision> recent(int limit, Optional<Decision.Outcome> outcome);

  /**
   * A stored decision as the audit log records it.
   *
   * @param token the decision's token
   * @param decidedAt when it was decided (as stored)
   * @param modelJob the job whose model decided
   * @param modelVersion that model's version
   * @param sha256 {@link #sha256} of its JSON exactly as written (what {@link #saveAndWrite}
   *     returned)
   */
  record Written(
      String token,
      java.time.Instant decidedAt,
      String modelJob,
      String modelVersion,
      String sha256) {}

  /** SHA-256 (lower-case hex) of a decision's JSON, UTF-8: the decision hash of the audit log. */
  static String sha256(String json) {
    return sha256(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** SHA-256 (lower-case hex) of a decision's JSON already in UTF-8. */
  static String sha256(byte[] utf8) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(utf8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Decisions after ({@code at}, {@code token}) in (decided-at, token) order, at most {@code
   * limit}: the next page for a reader that has seen everything up to that pair ({@code token}
   * empty: everything decided at {@code at} or later).
   *
   * @throws IllegalArgumentException if {@code limit} is not between 1 and {@value #MAX_LIMIT}
   */
  List<Written> writtenAfter(java.time.Instant at, String token, int limit);

  /** Releases the store's resources; using it afterwards throws {@link IllegalStateException}. */
  @Override
  void close();
}
