package org.fedcredit.coordinator.translog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Merkle tree hashing and proofs of RFC 6962 / RFC 9162 §2.1, over SHA-256.
 *
 * <p>Leaf hash {@code SHA-256(0x00 ‖ data)}, interior node {@code SHA-256(0x01 ‖ left ‖ right)},
 * tree head MTH of any size (the left subtree holds the largest power of two of leaves strictly
 * below the size), the empty tree's head is {@code SHA-256()}. Proofs are generated from a {@link
 * Subtrees} source of complete, aligned subtree hashes, so a stored log needs O(log n) reads per
 * proof; verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 exactly and needs nothing but the
 * proof, sizes and tree heads.
 */
public final class MerkleTree {
  /** Size in bytes of every hash. */
  public static final int HASH_BYTES = 32;

  private static final HexFormat HEX = HexFormat.of();

  private MerkleTree() {}

  /**
   * Hashes of complete subtrees: {@code hash(level, index)} is the MTH of the {@code 2^level}
   * leaves {@code [index·2^level, (index+1)·2^level)}; level 0 is the leaf hash.
   */
  @FunctionalInterface
  public interface Subtrees {
    byte[] hash(int level, long index);
  }

  /** {@code SHA-256(0x00 ‖ data)}. */
  public static byte[] leafHash(byte[] data) {
    MessageDigest sha = sha256();
    sha.update((byte) 0x00);
    sha.update(data);
    return sha.digest();
  }

  /** {@code SHA-256(0x01 ‖ left ‖ right)}. */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest sha = sha256();
    sha.update((byte) 0x01);
    sha.update(left);
    sha.update(right);
    return sha.digest();
  }

  /** The head of the empty tree, {@code SHA-256()}. */
  public static byte[] emptyRoot() {
    return sha256().digest();
  }

  /** MTH of the first {@code size} leaves. */
  public static byte[] root(long size, Subtrees subtrees) {
    if (size < 0) {
      throw new IllegalArgumentException("tree size " + size + " is negative");
    }
    return size == 0 ? emptyRoot() : rangeHash(0, size, subtrees);
  }

  /**
   * The audit path of leaf {@code index} in the tree of {@code size} leaves (RFC 6962 PATH), leaf
   * side first.
   */
  public static List<byte[]> inclusionProof(long index, long size, Subtrees subtrees) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException(
          "leaf index " + index + " is not in a tree of size " + size + "; use 0 to " + (size - 1));
    }
    List<byte[]> proof = new ArrayList<>();
    path(index, 0, size, subtrees, proof);
    return List.copyOf(proof);
  }

  /**
   * The proof that the tree of {@code oldSize} leaves is a prefix of the tree of {@code newSize}
   * leaves (RFC 6962 PROOF); empty when {@code oldSize} is 0 or equals {@code newSize}.
   */
  public static List<byte[]> consistencyProof(long oldSize, long newSize, Subtrees subtrees) {
    if (oldSize < 0 || oldSize > newSize) {
      throw new IllegalArgumentException(
          "cannot prove consistency from size "
              + oldSize
              + " to size "
              + newSize
              + "; the old size must be between 0 and the new size");
    }
    List<byte[]> proof = new ArrayList<>();
    if (oldSize > 0 && oldSize < newSize) {
      subproof(oldSize, 0, newSize, true, subtrees, proof);
    }
    return List.copyOf(proof);
  }

  /**
   * Checks that {@code proof} proves leaf hash {@code leafHash} at {@code index} in the tree of
   * {@code size} leaves with head {@code root} (RFC 9162 §2.1.3.2).
   *
   * @throws InvalidProofException naming what does not hold
   */
  public static void verifyInclusion(
      long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
      throws InvalidProofException {
    Objects.requireNonNull(proof, "proof");
    checkHash(leafHash, "leaf hash");
    checkHash(root, "root");
    if (index < 0 || size < 0 || index >= size) {
      throw new InvalidProofException("leaf index " + index + " is not in a tree of size " + size);
    }
    byte[] computed = rootFromInclusion(index, size, leafHash, proof);
    if (!MessageDigest.isEqual(computed, root)) {
      throw new InvalidProofException(
          "inclusion proof of leaf "
              + index
              + " in size "
              + size
              + " leads to root "
              + hex(computed)
              + ", not to the expected "
              + hex(root));
    }
  }

  /** The root that {@code proof} leads to from the leaf, failing on a proof of the wrong length. */
  static byte[] rootFromInclusion(long index, long size, byte[] leafHash, List<byte[]> proof)
      throws InvalidProofException {
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    int i = 0;
    for (byte[] p : proof) {
      checkProofHash(p, i);
      if (sn == 0) {
        throw new InvalidProofException(
            "inclusion proof of leaf "
                + index
                + " in size "
                + size
                + " has "
                + proof.size()
                + " hashes; only "
                + i
                + " are needed");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
      i++;
    }
    if (sn != 0) {
      throw new InvalidProofException(
          "inclusion proof of leaf "
              + index
              + " in size "
              + size
              + " has "
              + proof.size()
              + " hashes; it is too short to reach the root");
    }
    return r;
  }

  /**
   * Checks that {@code proof} proves the tree of {@code oldSize} leaves with head {@code oldRoot}
   * is a prefix of the tree of {@code newSize} leaves with head {@code newRoot} (RFC 9162 §2.1.4.2;
   * sizes 0 and equal sizes take an empty proof, as in transparency-dev/merkle).
   *
   * @throws InvalidProofException naming what does not hold
   */
  public static void verifyConsistency(
      long oldSize, long newSize, byte[] oldRoot, byte[] newRoot, List<byte[]> proof)
      throws InvalidProofException {
    Objects.requireNonNull(proof, "proof");
    checkHash(oldRoot, "old root");
    checkHash(newRoot, "new root");
    if (oldSize < 0 || oldSize > newSize) {
      throw new InvalidProofException(
          "old size " + oldSize + " is not between 0 and the new size " + newSize);
    }
    if (oldSize == 0 || oldSize == newSize) {
      if (!proof.isEmpty()) {
        throw new InvalidProofException(
            "consistency proof from size "
                + oldSize
                + " to "
                + newSize
                + " must be empty; it has "
                + proof.size()
                + " hashes");
      }
      if (oldSize == newSize && !MessageDigest.isEqual(oldRoot, newRoot)) {
        throw new InvalidProofException(
            "two different roots for the same size "
                + oldSize
                + ": "
                + hex(oldRoot)
                + " and "
                + hex(newRoot));
      }
      return;
    }
    if (proof.isEmpty()) {
      throw new InvalidProofException(
          "consistency proof from size " + oldSize + " to " + newSize + " is empty");
    }
    List<byte[]> path = new ArrayList<>(proof);
    if (Long.bitCount(oldSize) == 1) {
      path.add(0, oldRoot);
    }
    long fn = oldSize - 1;
    long sn = newSize - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    checkProofHash(path.get(0), 0);
    byte[] fr = path.get(0);
    byte[] sr = path.get(0);
    for (int i = 1; i < path.size(); i++) {
      byte[] c = path.get(i);
      checkProofHash(c, i);
      if (sn == 0) {
        throw new InvalidProofException(
            "consistency proof from size "
                + oldSize
                + " to "
                + newSize
                + " has "
                + proof.size()
                + " hashes; fewer are needed");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        sr = nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new InvalidProofException(
          "consistency proof from size "
              + oldSize
              + " to "
              + newSize
              + " has "
              + proof.size()
              + " hashes; it is too short");
    }
    if (!MessageDigest.isEqual(fr, oldRoot)) {
      throw new InvalidProofException(
          "consistency proof leads to old root "
              + hex(fr)
              + ", not to the expected "
              + hex(oldRoot)
              + " of size "
              + oldSize);
    }
    if (!MessageDigest.isEqual(sr, newRoot)) {
      throw new InvalidProofException(
          "consistency proof leads to new root "
              + hex(sr)
              + ", not to the expected "
              + hex(newRoot)
              + " of size "
              + newSize);
    }
  }

  /** Lower-case hex of a hash, for messages and exports. */
  public static String hex(byte[] hash) {
    return HEX.formatHex(hash);
  }

  // -------------------------------------------------------------------------------- internals

  /** Largest power of two strictly below {@code n} (n ≥ 2). */
  static long split(long n) {
    return Long.highestOneBit(n - 1);
  }

  /**
   * MTH of leaves {@code [start, start+size)} where {@code start} is a multiple of the power of two
   * at or above {@code size}, as MTH's recursion always produces: the range is the complete
   * subtrees of size's binary decomposition, largest first, folded from the right.
   */
  static byte[] rangeHash(long start, long size, Subtrees subtrees) {
    List<byte[]> parts = new ArrayList<>();
    long at = start;
    for (int level = 63 - Long.numberOfLeadingZeros(size); level >= 0; level--) {
      if ((size & (1L << level)) != 0) {
        parts.add(subtrees.hash(level, at >> level));
        at += 1L << level;
      }
    }
    byte[] r = parts.get(parts.size() - 1);
    for (int i = parts.size() - 2; i >= 0; i--) {
      r = nodeHash(parts.get(i), r);
    }
    return r;
  }

  private static void path(long m, long start, long n, Subtrees subtrees, List<byte[]> out) {
    if (n == 1) {
      return;
    }
    long k = split(n);
    if (m < k) {
      path(m, start, k, subtrees, out);
      out.add(rangeHash(start + k, n - k, subtrees));
    } else {
      path(m - k, start + k, n - k, subtrees, out);
      out.add(rangeHash(start, k, subtrees));
    }
  }

  private static void subproof(
      long m, long start, long n, boolean whole, Subtrees subtrees, List<byte[]> out) {
    if (m == n) {
      if (!whole) {
        out.add(rangeHash(start, n, subtrees));
      }
      return;
    }
    long k = split(n);
    if (m <= k) {
      subproof(m, start, k, whole, subtrees, out);
      out.add(rangeHash(start + k, n - k, subtrees));
    } else {
      subproof(m - k, start + k, n - k, false, subtrees, out);
      out.add(rangeHash(start, k, subtrees));
    }
  }

  private static void checkHash(byte[] hash, String what) throws InvalidProofException {
    if (hash == null || hash.length != HASH_BYTES) {
      throw new InvalidProofException(
          what
              + " must be "
              + HASH_BYTES
              + " bytes; it is "
              + (hash == null ? "missing" : hash.length + " bytes"));
    }
  }

  private static void checkProofHash(byte[] hash, int i) throws InvalidProofException {
    if (hash == null || hash.length != HASH_BYTES) {
      throw new InvalidProofException(
          "proof hash "
              + i
              + " must be "
              + HASH_BYTES
              + " bytes; it is "
              + (hash == null ? "missing" : hash.length + " bytes"));
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256, which every Java SE must have", e);
    }
  }

  static byte[] copy(byte[] hash) {
    return Arrays.copyOf(hash, hash.length);
  }
}
