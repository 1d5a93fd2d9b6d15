package org.fedcredit.participantnode.serving;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.participantnode.data.DataSource;

/**
 * A feature party's dataset indexed by enterprise id for online scoring: one row's raw values by
 * column name, exactly as the training job read them (the same {@link DataSource#load()}: the same
 * categorical expansion, NaN for a missing cell).
 *
 * <p>The index is a snapshot, reloaded from the source when it is older than {@code maxAge} (the
 * reload happens on the calling thread of the first lookup after that; a failed reload keeps the
 * previous snapshot and is reported by {@link #lastReloadError()}).
 */
public final class EnterpriseIndex {

  private final DataSource source;
  private final Duration maxAge;
  private volatile Snapshot snapshot;
  private volatile String lastReloadError;

  private record Snapshot(LocalTable table, Map<String, Integer> rowOf, Instant loadedAt) {}

  /**
   * Loads the dataset now.
   *
   * @throws org.fedcredit.participantnode.data.DatasetException if it cannot be read
   */
  public EnterpriseIndex(DataSource source, Duration maxAge) {
    this.source = Objects.requireNonNull(source, "source");
    this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
    this.snapshot = load(source);
  }

  /** An index over an already loaded table (never reloaded). */
  public static EnterpriseIndex of(LocalTable table) {
    return new EnterpriseIndex(table);
  }

  private EnterpriseIndex(LocalTable table) {
    this.source = null;
    this.maxAge = Duration.ofDays(36500);
    this.snapshot = index(table);
  }

  private static Snapshot load(DataSource source) {
    return index(source.load());
  }

  private static Snapshot index(LocalTable t) {
    Map<String, Integer> rowOf = new HashMap<>(t.rows() * 2);
    for (int i = 0; i < t.rows(); i++) {
      rowOf.put(t.ids().get(i), i);
    }
    return new Snapshot(t, rowOf, Instant.now());
  }

  /** The raw values of {@code enterpriseId} by column name (NaN = missing), if it is present. */
  public Optional<Map<String, Double>> row(String enterpriseId) {
    Snapshot s = current();
    Integer i = s.rowOf().get(enterpriseId);
    if (i == null) {
      return Optional.empty();
    }
    LocalTable t = s.table();
    Map<String, Double> out = new LinkedHashMap<>();
    for (int j = 0; j < t.features(); j++) {
      out.put(t.featureNames().get(j), t.value(i, j));
    }
    return Optional.of(out);
  }

  /** Rows in the current snapshot. */
  public int size() {
    return snapshot.table().rows();
  }

  /** Why the last reload failed, if it did (the previous snapshot is still served). */
  public Optional<String> lastReloadError() {
    return Optional.ofNullable(lastReloadError);
  }

  private Snapshot current() {
    Snapshot s = snapshot;
    if (source != null && s.loadedAt().plus(maxAge).isBefore(Instant.now())) {
      synchronized (this) {
        if (snapshot == s) {
          try {
            snapshot = load(source);
            lastReloadError = null;
          } catch (RuntimeException e) {
            lastReloadError = e.getMessage();
            snapshot = new Snapshot(s.table(), s.rowOf(), Instant.now()); // retry after maxAge
          }
        }
        s = snapshot;
      }
    }
    return s;
  }
}
