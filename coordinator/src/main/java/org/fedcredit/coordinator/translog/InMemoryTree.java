package org.fedcredit.coordinator.translog;

import java.util.ArrayList;
import java.util.List;

/**
 * A Merkle tree held in memory: every complete subtree hash, level by level, so roots and proofs of
 * any size up to the current one are O(log n). Used by the offline {@link Verifier} to recompute a
 * log from its exported entries, and by tests. Not thread-safe.
 */
public final class InMemoryTree implements MerkleTree.Subtrees {
  private final List<List<byte[]>> levels = new ArrayList<>();

  /** Appends the leaf with hash {@code leafHash}; returns its index. */
  public long appendLeafHash(byte[] leafHash) {
    if (leafHash.length != MerkleTree.HASH_BYTES) {
      throw new IllegalArgumentException(
          "a leaf hash is " + MerkleTree.HASH_BYTES + " bytes, not " + leafHash.length);
    }
    if (levels.isEmpty()) {
      levels.add(new ArrayList<>());
    }
    levels.get(0).add(MerkleTree.copy(leafHash));
    for (int level = 0; levels.get(level).size() % 2 == 0; level++) {
      List<byte[]> nodes = levels.get(level);
      byte[] parent = MerkleTree.nodeHash(nodes.get(nodes.size() - 2), nodes.get(nodes.size() - 1));
      if (levels.size() == level + 1) {
        levels.add(new ArrayList<>());
      }
      levels.get(level + 1).add(parent);
    }
    return size() - 1;
  }

  /** Appends {@code data} as a leaf; returns its index. */
  public long append(byte[] data) {
    return appendLeafHash(MerkleTree.leafHash(data));
  }

  public long size() {
    return levels.isEmpty() ? 0 : levels.get(0).size();
  }

  public byte[] root() {
    return MerkleTree.root(size(), this);
  }

  public byte[] root(long size) {
    checkSize(size);
    return MerkleTree.root(size, this);
  }

  public byte[] leafHash(long index) {
    return hash(0, index);
  }

  public List<byte[]> inclusionProof(long index, long size) {
    checkSize(size);
    return MerkleTree.inclusionProof(index, size, this);
  }

  public List<byte[]> consistencyProof(long oldSize, long newSize) {
    checkSize(newSize);
    return MerkleTree.consistencyProof(oldSize, newSize, this);
  }

  @Override
  public byte[] hash(int level, long index) {
    if (level >= levels.size() || index < 0 || index >= levels.get(level).size()) {
      throw new IllegalArgumentException(
          "no complete subtree at level " + level + " index " + index + " in size " + size());
    }
    return MerkleTree.copy(levels.get(level).get((int) index));
  }

  private void checkSize(long size) {
    if (size < 0 || size > size()) {
      throw new IllegalArgumentException(
          "tree size " + size + " is not between 0 and the current size " + size());
    }
  }
}
