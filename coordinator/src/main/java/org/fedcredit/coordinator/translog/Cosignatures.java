package org.fedcredit.coordinator.translog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.fedcredit.coordinator.store.CoordinatorStore;

/**
 * The witnesses' {@link Cosignature cosignatures} kept in the coordinator store (table {@code
 * translog_cosignatures}, migration V4): the first cosignature of each witness on each tree size.
 * Nothing here checks a cosignature; the caller does before recording it, and a {@link Verifier}
 * checks every exported one again.
 */
public final class Cosignatures {
  private final CoordinatorStore store;

  private Cosignatures(CoordinatorStore store) {
    this.store = store;
  }

  /** The cosignatures kept in {@code store}. */
  public static Cosignatures in(CoordinatorStore store) {
    return new Cosignatures(Objects.requireNonNull(store, "store"));
  }

  /**
   * Records {@code c} unless its witness already has a cosignature on that tree size; returns
   * whether it was recorded.
   *
   * @throws CheckpointException if the cosignature's checkpoint body cannot be parsed
   */
  public boolean record(Cosignature c) throws CheckpointException {
    long size = c.cosigned().size();
    return store.inTransaction(
        "record the cosignature of " + c.witness() + " on size " + size,
        conn -> {
          // Serialises with appends and other recorders (seq is MAX + 1).
          try (PreparedStatement ps =
                  conn.prepareStatement("SELECT size FROM translog_state WHERE id = 1 FOR UPDATE");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
          }
          try (PreparedStatement ps =
              conn.prepareStatement(
                  "SELECT 1 FROM translog_cosignatures WHERE witness = ? AND tree_size = ?")) {
            ps.setString(1, c.witness());
            ps.setLong(2, size);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                return false;
              }
            }
          }
          try (PreparedStatement ps =
              conn.prepareStatement(
                  "INSERT INTO translog_cosignatures (seq, witness, tree_size, checkpoint,"
                      + " cosigned_at, certificate, signature) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, nextSeq(conn));
            ps.setString(2, c.witness());
            ps.setLong(3, size);
            ps.setString(4, c.checkpoint());
            ps.setLong(5, c.timestamp());
            ps.setBytes(6, c.certificate());
            ps.setBytes(7, c.signature());
            ps.executeUpdate();
          }
          return true;
        });
  }

  /** Every recorded cosignature, in the order recorded. */
  public List<Cosignature> all() {
    return store.reading(
        "read the witnesses' cosignatures",
        c -> {
          List<Cosignature> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT witness, certificate, checkpoint, cosigned_at, signature"
                          + " FROM translog_cosignatures ORDER BY seq");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new Cosignature(
                      rs.getString(1),
                      rs.getBytes(2),
                      rs.getString(3),
                      rs.getLong(4),
                      rs.getBytes(5)));
            }
          }
          return out;
        });
  }

  /** The cosignature of {@code witness} on the largest tree size it cosigned, if any. */
  public Optional<Cosignature> latestOf(String witness) {
    return store.reading(
        "read the latest cosignature of " + witness,
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT witness, certificate, checkpoint, cosigned_at, signature"
                      + " FROM translog_cosignatures WHERE witness = ?"
                      + " ORDER BY tree_size DESC LIMIT 1")) {
            ps.setString(1, witness);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? Optional.of(
                      new Cosignature(
                          rs.getString(1),
                          rs.getBytes(2),
                          rs.getString(3),
                          rs.getLong(4),
                          rs.getBytes(5)))
                  : Optional.<Cosignature>empty();
            }
          }
        });
  }

  private static long nextSeq(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM translog_cosignatures");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1) + 1;
    }
  }
}
