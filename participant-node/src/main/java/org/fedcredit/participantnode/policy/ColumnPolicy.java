package org.fedcredit.participantnode.policy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.fedcredit.modelzoo.federation.PartyId;

/**
 * A node's rules for who may use which of its columns, for what: the {@code policy} section of the
 * node configuration. Deny by default — a request is accepted only if rules match its requester,
 * purpose and dataset and together allow every requested column.
 *
 * <p>Columns are source column names: a categorical column stands for all of its indicator columns
 * ({@code industry} covers {@code industry=retail}, ...). The job's requested columns must be
 * expanded (an empty request meaning "all" becomes the dataset's columns) before {@link #evaluate};
 * an empty list is rejected, so that "nothing named" is never read as "everything".
 *
 * @param approval whether an accepted job starts at once or waits for an operator
 * @param rules the rules, in configuration order; several matching rules add up their columns
 */
public record ColumnPolicy(Approval approval, List<Rule> rules) {

  /** The wildcard that allows every column of the dataset. */
  public static final String ALL_COLUMNS = "*";

  /** What happens to a job the rules accept. */
  public enum Approval {
    /** Accepted jobs start without a human. */
    AUTO,
    /** Accepted jobs wait until an operator approves them. */
    MANUAL
  }

  /**
   * One rule: these requesters may, for these purposes, use these columns of this dataset.
   *
   * @param columns allowed source columns, or {@code *} for all
   */
  public record Rule(
      Set<PartyId> requesters, Set<String> purposes, String dataset, Set<String> columns) {
    public Rule {
      requesters = Set.copyOf(requesters);
      purposes = Set.copyOf(purposes);
      Objects.requireNonNull(dataset, "dataset");
      columns = Set.copyOf(columns);
      if (requesters.isEmpty() || purposes.isEmpty() || columns.isEmpty()) {
        throw new IllegalArgumentException(
            "a rule needs at least one requester, one purpose and one column (or '*')");
      }
    }

    boolean allowsAllColumns() {
      return columns.contains(ALL_COLUMNS);
    }
  }

  /** The outcome of {@link #evaluate}. */
  public sealed interface Decision permits Accepted, Rejected {
    boolean accepted();
  }

  /**
   * The rules allow the request.
   *
   * @param approval {@link Approval#MANUAL}: an operator must still approve the job
   */
  public record Accepted(Approval approval) implements Decision {
    @Override
    public boolean accepted() {
      return true;
    }
  }

  /**
   * The rules refuse the request.
   *
   * @param reason one line naming the first offending requester, purpose, dataset or column
   */
  public record Rejected(String reason) implements Decision {
    @Override
    public boolean accepted() {
      return false;
    }
  }

  public ColumnPolicy {
    Objects.requireNonNull(approval, "approval");
    rules = List.copyOf(rules);
  }

  /**
   * Decides a request. Checked in order — requester, purpose, dataset, then each column in the
   * requested order — and the reason names the first thing that fails.
   */
  public Decision evaluate(
      PartyId requester, String purpose, String dataset, List<String> requestedColumns) {
    List<Rule> byRequester =
        rules.stream().filter(r -> r.requesters().contains(requester)).toList();
    if (byRequester.isEmpty()) {
      return new Rejected("requester '" + requester + "' is not allowed");
    }
    List<Rule> byPurpose =
        byRequester.stream().filter(r -> r.purposes().contains(purpose)).toList();
    if (byPurpose.isEmpty()) {
      return new Rejected("purpose '" + purpose + "' is not allowed for " + requester);
    }
    List<Rule> byDataset = byPurpose.stream().filter(r -> r.dataset().equals(dataset)).toList();
    if (byDataset.isEmpty()) {
      return new Rejected(
          "dataset '" + dataset + "' is not allowed for " + requester + " / " + purpose);
    }
    if (requestedColumns.isEmpty()) {
      return new Rejected(
          "no columns requested on dataset " + dataset + "; the job must name the columns it uses");
    }
    if (byDataset.stream().anyMatch(Rule::allowsAllColumns)) {
      return new Accepted(approval);
    }
    Set<String> allowed = new LinkedHashSet<>();
    byDataset.forEach(r -> allowed.addAll(r.columns()));
    for (String c : requestedColumns) {
      if (!allowed.contains(c)) {
        return new Rejected(
            "column '"
                + c
                + "' is not allowed for "
                + requester
                + " / "
                + purpose
                + " on dataset "
                + dataset);
      }
    }
    return new Accepted(approval);
  }
}
