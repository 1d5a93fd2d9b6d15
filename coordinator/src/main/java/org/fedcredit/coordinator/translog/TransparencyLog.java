package org.fedcredit.coordinator.translog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.StoreException;

/**
 * An append-only, Certificate-Transparency-style log (RFC 6962 hashing, see {@link MerkleTree}) in
 * the coordinator's relational store: tables {@code translog_entries}, {@code translog_nodes} and
 * {@code translog_state} of migration V2, on embedded H2 and on PostgreSQL alike.
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li>entries get indices 0, 1, 2, ... with no gaps, in commit order, also with several writers
 *       (each append locks the single {@code translog_state} row);
 *   <li>every complete subtree hash is written when its last leaf is appended, so {@link #root},
 *       {@link #inclusionProof} and {@link #consistencyProof} read O(log n) rows of {@code
 *       translog_nodes} and never the entries;
 *   <li>an append is one transaction: all of a batch is appended or none.
 * </ul>
 *
 * <p>Thread-safe. Database failures surface as {@link StoreException}; a request outside the tree
 * as {@link IllegalArgumentException}; a node missing from the store (rows deleted behind the log's
 * back) as {@link TamperedLogException}.
 */
public final class TransparencyLog {
  /** Largest entry accepted, 1 MiB: entries are small canonical records, not payloads. */
  public static final int MAX_ENTRY_BYTES = 1 << 20;

  private final CoordinatorStore store;
  private final Object appendLock = new Object();

  /** The rightmost complete subtree at each level whose bit is set in {@link #frontierSize}. */
  private TreeMap<Integer, byte[]> frontier = new TreeMap<>();

  private long frontierSize = -1;
  private final AtomicLong nodeReads = new AtomicLong();

  private TransparencyLog(CoordinatorStore store) {
    this.store = store;
  }

  /** The transparency log kept in {@code store} (its migrations created the tables). */
  public static TransparencyLog in(CoordinatorStore store) {
    return new TransparencyLog(Objects.requireNonNull(store, "store"));
  }

  /** Appends {@code entry}; returns its index. */
  public long append(byte[] entry) {
    return appendAll(List.of(entry));
  }

  /**
   * Appends {@code entries} in order in one transaction; returns the index of the first (the
   * current size if the list is empty).
   */
  public long appendAll(List<byte[]> entries) {
    return appendAll(entries, (c, first) -> {});
  }

  /** Work done in the transaction of an append, given the index of the first entry appended. */
  @FunctionalInterface
  public interface AppendHook {
    void run(java.sql.Connection c, long firstIndex) throws SQLException;
  }

  /**
   * Like {@link #appendAll(List)}, and runs {@code hook} in the same transaction (e.g. to index the
   * entries elsewhere in the store): both commit or neither does.
   */
  public long appendAll(List<byte[]> entries, AppendHook hook) {
    for (int i = 0; i < entries.size(); i++) {
      byte[] e = Objects.requireNonNull(entries.get(i), "entry");
      if (e.length > MAX_ENTRY_BYTES) {
        throw new IllegalArgumentException(
            "entry "
                + i
                + " of the batch is "
                + e.length
                + " bytes; the transparency log takes at most "
                + MAX_ENTRY_BYTES
                + " bytes per entry; log a hash of large content instead");
      }
    }
    synchronized (appendLock) {
      try {
        return store.inTransaction(
            "append " + entries.size() + " entries to the transparency log",
            c -> {
              long first = appendLocked(c, entries);
              hook.run(c, first);
              return first;
            });
      } catch (RuntimeException e) {
        frontierSize = -1; // the in-memory frontier may be ahead of the rolled-back database
        throw e;
      }
    }
  }

  /** Number of entries committed. */
  public long size() {
    return store.reading("read the transparency log's size", TransparencyLog::committedSize);
  }

  /** The root (MTH) of the first {@code size} entries. */
  public byte[] root(long size) {
    return read(
        "compute the transparency log's root of size " + size,
        c -> {
          checkSize(size, committedSize(c));
          return MerkleTree.root(size, nodes(c));
        });
  }

  /** The audit path of entry {@code index} in the tree of the first {@code size} entries. */
  public List<byte[]> inclusionProof(long index, long size) {
    return read(
        "compute the inclusion proof of entry " + index + " in size " + size,
        c -> {
          checkSize(size, committedSize(c));
          return MerkleTree.inclusionProof(index, size, nodes(c));
        });
  }

  /** The proof that the first {@code oldSize} entries are a prefix of the first {@code newSize}. */
  public List<byte[]> consistencyProof(long oldSize, long newSize) {
    return read(
        "compute the consistency proof from size " + oldSize + " to " + newSize,
        c -> {
          checkSize(newSize, committedSize(c));
          return MerkleTree.consistencyProof(oldSize, newSize, nodes(c));
        });
  }

  /** The entry at {@code index}, as appended. */
  public byte[] entry(long index) {
    return store.reading(
        "read entry " + index + " of the transparency log",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT entry FROM translog_entries WHERE idx = ?")) {
            ps.setLong(1, index);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                return rs.getBytes(1);
              }
            }
          }
          long size = committedSize(c);
          if (index < 0 || index >= size) {
            throw new IllegalArgumentException(
                "the transparency log has no entry "
                    + index
                    + "; it holds entries 0 to "
                    + (size - 1));
          }
          throw new TamperedLogException(
              index, "entry " + index + " is missing from translog_entries; it was deleted");
        });
  }

  /**
   * Calls {@code sink} with (index, entry) for every stored entry row with {@code from <= index <
   * to}, in index order, streaming (for exports). Rows are passed as stored: a gap or a changed
   * entry is for the verifier to find.
   */
  public void forEachEntry(long from, long to, BiConsumer<Long, byte[]> sink) {
    store.reading(
        "read entries " + from + " to " + to + " of the transparency log",
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT idx, entry FROM translog_entries WHERE idx >= ? AND idx < ?"
                      + " ORDER BY idx")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                sink.accept(rs.getLong(1), rs.getBytes(2));
              }
            }
          }
          return null;
        });
  }

  /** The stored level-0 node (leaf hash) of every index in {@code [from, to)}, in order. */
  public List<byte[]> leafHashes(long from, long to) {
    return store.reading(
        "read leaf hashes " + from + " to " + to + " of the transparency log",
        c -> {
          List<byte[]> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT hash FROM translog_nodes WHERE lvl = 0 AND idx >= ? AND idx < ?"
                      + " ORDER BY idx")) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(rs.getBytes(1));
              }
            }
          }
          return out;
        });
  }

  /** Like {@link CoordinatorStore#reading}, letting SQL failures out of node lookups. */
  private <T> T read(String what, CoordinatorStore.SqlWork<T> work) {
    return store.reading(
        what,
        c -> {
          try {
            return work.run(c);
          } catch (SqlFailure e) {
            throw e.getCause();
          }
        });
  }

  /**
   * Signs a checkpoint of the log as it is now with {@code signer} (origin = the key's name, as
   * C2SP checkpoints name their log), records it in {@code translog_checkpoints} and returns it.
   */
  public SignedCheckpoint checkpoint(NoteKeys.Signer signer) {
    return store.inTransaction(
        "sign a checkpoint of the transparency log",
        c -> {
          long size = committedSize(c);
          byte[] root;
          try {
            root = MerkleTree.root(size, nodes(c));
          } catch (SqlFailure e) {
            throw e.getCause();
          }
          SignedCheckpoint cp = SignedCheckpoint.sign(signer.name(), size, root, signer);
          long seq;
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM translog_checkpoints");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            seq = rs.getLong(1) + 1;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO translog_checkpoints (seq, tree_size, note) VALUES (?, ?, ?)")) {
            ps.setLong(1, seq);
            ps.setLong(2, size);
            ps.setString(3, cp.note());
            ps.executeUpdate();
          }
          return cp;
        });
  }

  /** The signed checkpoint notes recorded by {@link #checkpoint}, oldest first. */
  public List<String> checkpointNotes() {
    return store.reading(
        "read the transparency log's checkpoints",
        c -> {
          List<String> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT note FROM translog_checkpoints ORDER BY seq");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  /** Rows read from {@code translog_nodes} so far, for tests of the O(log n) read bound. */
  long nodeReads() {
    return nodeReads.get();
  }

  // -------------------------------------------------------------------------------- internals

  private long appendLocked(Connection c, List<byte[]> entries) throws SQLException {
    long size;
    try (PreparedStatement ps =
            c.prepareStatement("SELECT size FROM translog_state WHERE id = 1 FOR UPDATE");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new StoreException(
            "the transparency log's state row is missing from translog_state; the store was"
                + " modified outside FedCredit; restore it from a backup");
      }
      size = rs.getLong(1);
    }
    if (size != frontierSize) {
      frontier = loadFrontier(c, size);
      frontierSize = size;
    }
    long first = size;
    if (entries.isEmpty()) {
      return first;
    }
    try (PreparedStatement insertEntry =
            c.prepareStatement(
                "INSERT INTO translog_entries (idx, entry, leaf_hash) VALUES (?, ?, ?)");
        PreparedStatement insertNode =
            c.prepareStatement("INSERT INTO translog_nodes (lvl, idx, hash) VALUES (?, ?, ?)")) {
      for (byte[] entry : entries) {
        byte[] leaf = MerkleTree.leafHash(entry);
        insertEntry.setLong(1, size);
        insertEntry.setBytes(2, entry);
        insertEntry.setBytes(3, leaf);
        insertEntry.addBatch();
        addNode(insertNode, 0, size, leaf);
        byte[] hash = leaf;
        int level = 0;
        for (long i = size; (i & 1) == 1; i >>= 1) {
          hash = MerkleTree.nodeHash(frontier.remove(level), hash);
          level++;
          addNode(insertNode, level, i >> 1, hash);
        }
        frontier.put(level, hash);
        size++;
        frontierSize = size;
      }
      insertEntry.executeBatch();
      insertNode.executeBatch();
    }
    try (PreparedStatement ps =
        c.prepareStatement("UPDATE translog_state SET size = ? WHERE id = 1")) {
      ps.setLong(1, size);
      ps.executeUpdate();
    }
    return first;
  }

  private static void addNode(PreparedStatement ps, int level, long index, byte[] hash)
      throws SQLException {
    ps.setInt(1, level);
    ps.setLong(2, index);
    ps.setBytes(3, hash);
    ps.addBatch();
  }

  private TreeMap<Integer, byte[]> loadFrontier(Connection c, long size) throws SQLException {
    TreeMap<Integer, byte[]> loaded = new TreeMap<>();
    MerkleTree.Subtrees nodes = nodes(c);
    try {
      for (int level = 0; level < 63; level++) {
        if ((size & (1L << level)) != 0) {
          loaded.put(level, nodes.hash(level, (size >> level) - 1));
        }
      }
    } catch (SqlFailure e) {
      throw e.getCause();
    }
    return loaded;
  }

  private static long committedSize(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT size FROM translog_state WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        throw new StoreException(
            "the transparency log's state row is missing from translog_state; the store was"
                + " modified outside FedCredit; restore it from a backup");
      }
      return rs.getLong(1);
    }
  }

  private static void checkSize(long size, long committed) {
    if (size < 0 || size > committed) {
      throw new IllegalArgumentException(
          "tree size " + size + " is not between 0 and the transparency log's size " + committed);
    }
  }

  /** Subtree hashes read one row at a time from {@code translog_nodes}. */
  private MerkleTree.Subtrees nodes(Connection c) {
    return (level, index) -> {
      nodeReads.incrementAndGet();
      try (PreparedStatement ps =
          c.prepareStatement("SELECT hash FROM translog_nodes WHERE lvl = ? AND idx = ?")) {
        ps.setInt(1, level);
        ps.setLong(2, index);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return rs.getBytes(1);
          }
        }
      } catch (SQLException e) {
        throw new SqlFailure(e);
      }
      throw new TamperedLogException(
          index << level,
          "the hash of leaves "
              + (index << level)
              + " to "
              + (((index + 1) << level) - 1)
              + " (level "
              + level
              + " node "
              + index
              + ") is missing from translog_nodes; rows were deleted behind the log's back");
    };
  }

  /** Carries an {@link SQLException} out of a {@link MerkleTree.Subtrees} lambda. */
  private static final class SqlFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SqlFailure(SQLException cause) {
      super(cause);
    }

    @Override
    public synchronized SQLException getCause() {
      return (SQLException) super.getCause();
    }
  }
}
