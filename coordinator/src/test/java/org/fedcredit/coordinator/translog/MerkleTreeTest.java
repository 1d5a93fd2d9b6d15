package org.fedcredit.coordinator.translog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MerkleTreeTest {
  private static final HexFormat HEX = HexFormat.of();

  /** RFC 6962 reference leaves used by Certificate Transparency's and transparency-dev's tests. */
  private static final List<String> CT_LEAVES =
      List.of(
          "",
          "00",
          "10",
          "2021",
          "3031",
          "40414243",
          "5051525354555657",
          "606162636465666768696a6b6c6d6e6f");

  /** Their published roots for sizes 0..8. */
  private static final List<String> CT_ROOTS =
      List.of(
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
          "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
          "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
          "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
          "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
          "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
          "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
          "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  private static VectorFile vectors;
  private static InMemoryTree tree;

  @BeforeAll
  static void load() throws Exception {
    vectors = VectorFile.load();
    tree = new InMemoryTree();
    vectors.leaves.forEach(tree::append);
  }

  @Test
  void rootsMatchTheRfc6962ReferenceValues() {
    InMemoryTree ct = new InMemoryTree();
    assertThat(MerkleTree.hex(ct.root())).isEqualTo(CT_ROOTS.get(0));
    for (int n = 1; n <= 8; n++) {
      ct.append(HEX.parseHex(CT_LEAVES.get(n - 1)));
      assertThat(MerkleTree.hex(ct.root())).as("size %d", n).isEqualTo(CT_ROOTS.get(n));
    }
  }

  @Test
  void inclusionProofsMatchTheRfc6962ReferencePaths() {
    InMemoryTree ct = new InMemoryTree();
    CT_LEAVES.forEach(l -> ct.append(HEX.parseHex(l)));

    assertThat(ct.inclusionProof(0, 8).stream().map(MerkleTree::hex))
        .containsExactly(
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
    assertThat(ct.inclusionProof(5, 8).stream().map(MerkleTree::hex))
        .containsExactly(
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
  }

  @Test
  void theVectorFileIsWhatTheNaiveRfcTranscriptionComputes() {
    for (int n = 0; n <= 8; n++) {
      assertThat(vectors.roots.get(n)).isEqualTo(NaiveTree.mth(vectors.leaves.subList(0, n)));
    }
    for (VectorFile.Inclusion v : vectors.inclusions) {
      assertThat(v.proof())
          .containsExactlyElementsOf(
              NaiveTree.path(v.index(), vectors.leaves.subList(0, v.size())));
    }
    for (VectorFile.Consistency v : vectors.consistencies) {
      assertThat(v.proof())
          .containsExactlyElementsOf(
              NaiveTree.proof(v.oldSize(), vectors.leaves.subList(0, v.newSize())));
    }
    assertThat(vectors.inclusions).hasSize(36);
    assertThat(vectors.consistencies).hasSize(45);
  }

  @Test
  void rootsAndProofsMatchTheVectors() {
    for (int n = 0; n <= 8; n++) {
      assertThat(tree.root(n)).as("root of size %d", n).isEqualTo(vectors.roots.get(n));
    }
    for (VectorFile.Inclusion v : vectors.inclusions) {
      assertThat(tree.inclusionProof(v.index(), v.size()))
          .as("inclusion %d in %d", v.index(), v.size())
          .containsExactlyElementsOf(v.proof());
    }
    for (VectorFile.Consistency v : vectors.consistencies) {
      assertThat(tree.consistencyProof(v.oldSize(), v.newSize()))
          .as("consistency %d to %d", v.oldSize(), v.newSize())
          .containsExactlyElementsOf(v.proof());
    }
  }

  @Test
  void everyVectorVerifies() throws Exception {
    for (VectorFile.Inclusion v : vectors.inclusions) {
      MerkleTree.verifyInclusion(
          v.index(), v.size(), leaf(v.index()), v.proof(), vectors.roots.get(v.size()));
    }
    for (VectorFile.Consistency v : vectors.consistencies) {
      MerkleTree.verifyConsistency(
          v.oldSize(),
          v.newSize(),
          vectors.roots.get(v.oldSize()),
          vectors.roots.get(v.newSize()),
          v.proof());
    }
  }

  static Stream<Arguments> inclusionMutations() throws Exception {
    List<Arguments> out = new ArrayList<>();
    for (VectorFile.Inclusion v : VectorFile.load().inclusions) {
      int i = v.index();
      int n = v.size();
      List<byte[]> p = v.proof();
      Mutator mutation = (what, index, size, proof) -> Arguments.of(what, index, size, proof, i, n);
      for (int h = 0; h < p.size(); h++) {
        out.add(mutation.of("bit 4 of proof hash " + h + " flipped", i, n, flip(p, h)));
      }
      if (!p.isEmpty()) {
        out.add(mutation.of("empty proof", i, n, List.of()));
        out.add(mutation.of("last hash dropped", i, n, p.subList(0, p.size() - 1)));
      }
      out.add(mutation.of("extra hash appended", i, n, plus(p, p.size(), garbage())));
      out.add(mutation.of("garbage hash prepended", i, n, plus(p, 0, garbage())));
      // A size is bound to a root only by the checkpoint that signs both: a wrong size is
      // presented with the root of that size (with the original root, a size whose audit path has
      // the same shape, e.g. 0 of 3 and 0 of 4, is indistinguishable, as in RFC 9162).
      out.add(Arguments.of("size + 1", i, n + 1, p, i, Math.min(n + 1, 8)));
      if (i < n - 1) {
        out.add(mutation.of("index + 1", i + 1, n, p));
        out.add(Arguments.of("size - 1", i, n - 1, p, i, n - 1));
      }
      if (i > 0) {
        out.add(mutation.of("index - 1", i - 1, n, p));
      }
      out.add(mutation.of("index = size", n, n, p));
    }
    return out.stream();
  }

  @FunctionalInterface
  private interface Mutator {
    Arguments of(String what, int index, int size, List<byte[]> proof);
  }

  /**
   * Claims leaf {@code index} of {@code size} for the hash of leaf {@code leafOf}, root {@code
   * rootOf}.
   */
  @ParameterizedTest(name = "{0}: leaf {1} of {2}")
  @MethodSource("inclusionMutations")
  void everyInclusionMutationIsRejected(
      String what, int index, int size, List<byte[]> proof, int leafOf, int rootOf) {
    byte[] root = vectors.roots.get(rootOf);
    int originalIndex = leafOf;
    assertThatThrownBy(
            () -> MerkleTree.verifyInclusion(index, size, leaf(originalIndex), proof, root))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void aWrongLeafOrRootIsRejectedWithBothRootsNamed() {
    VectorFile.Inclusion v = vectors.inclusions.get(20);
    assertThatThrownBy(
            () ->
                MerkleTree.verifyInclusion(
                    v.index(),
                    v.size(),
                    leaf(7 - v.index()),
                    v.proof(),
                    vectors.roots.get(v.size())))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("leads to root")
        .hasMessageContaining(MerkleTree.hex(vectors.roots.get(v.size())));
    assertThatThrownBy(
            () ->
                MerkleTree.verifyInclusion(
                    v.index(),
                    v.size(),
                    leaf(v.index()),
                    v.proof(),
                    vectors.roots.get(v.size() - 1)))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void inclusionErrorsSayWhatIsWrong() {
    List<byte[]> p = tree.inclusionProof(3, 8);
    byte[] root = tree.root(8);
    assertThatThrownBy(() -> MerkleTree.verifyInclusion(8, 8, leaf(3), p, root))
        .hasMessage("leaf index 8 is not in a tree of size 8");
    assertThatThrownBy(() -> MerkleTree.verifyInclusion(3, 8, leaf(3), List.of(), root))
        .hasMessage(
            "inclusion proof of leaf 3 in size 8 has 0 hashes; it is too short to reach the root");
    assertThatThrownBy(() -> MerkleTree.verifyInclusion(3, 8, leaf(3), plus(p, 3, garbage()), root))
        .hasMessage("inclusion proof of leaf 3 in size 8 has 4 hashes; only 3 are needed");
    assertThatThrownBy(
            () ->
                MerkleTree.verifyInclusion(
                    3, 8, leaf(3), List.of(p.get(0), new byte[31], p.get(2)), root))
        .hasMessage("proof hash 1 must be 32 bytes; it is 31 bytes");
  }

  static Stream<Arguments> consistencyMutations() throws Exception {
    List<Arguments> out = new ArrayList<>();
    for (VectorFile.Consistency v : VectorFile.load().consistencies) {
      int m = v.oldSize();
      int n = v.newSize();
      List<byte[]> p = v.proof();
      for (int h = 0; h < p.size(); h++) {
        out.add(Arguments.of("bit 4 of proof hash " + h + " flipped", m, n, flip(p, h), m, n));
      }
      if (!p.isEmpty()) {
        out.add(Arguments.of("empty proof", m, n, List.of(), m, n));
        out.add(Arguments.of("last hash dropped", m, n, p.subList(0, p.size() - 1), m, n));
      }
      out.add(Arguments.of("extra hash appended", m, n, plus(p, p.size(), garbage()), m, n));
      out.add(Arguments.of("garbage hash prepended", m, n, plus(p, 0, garbage()), m, n));
      if (m > 0 && m < n) {
        out.add(Arguments.of("old size - 1 claimed", m - 1, n, p, m, n));
        out.add(Arguments.of("new size + 1 claimed", m, n + 1, p, m, Math.min(n + 1, 8)));
        out.add(Arguments.of("old and new swapped", n, m, p, n, m));
        if (m + 1 < n) {
          out.add(Arguments.of("old size + 1 claimed", m + 1, n, p, m, n));
        }
      }
      if (m > 0 && m < n) {
        out.add(Arguments.of("new root of another size", m, n, p, m, n == 8 ? 7 : n + 1));
      }
    }
    return out.stream();
  }

  /**
   * Claims sizes {@code m}, {@code n} with the roots of sizes {@code rootOld}, {@code rootNew}; the
   * proof is the (possibly mutated) proof of the original pair.
   */
  @ParameterizedTest(name = "{0}: {1} to {2}")
  @MethodSource("consistencyMutations")
  void everyConsistencyMutationIsRejected(
      String what, int m, int n, List<byte[]> proof, int rootOld, int rootNew) {
    byte[] oldRoot = vectors.roots.get(Math.min(rootOld, 8));
    byte[] newRoot = vectors.roots.get(Math.min(rootNew, 8));
    assertThatThrownBy(() -> MerkleTree.verifyConsistency(m, n, oldRoot, newRoot, proof))
        .isInstanceOf(InvalidProofException.class);
  }

  @Test
  void consistencyErrorsSayWhatIsWrong() {
    assertThatThrownBy(
            () ->
                MerkleTree.verifyConsistency(
                    5, 3, tree.root(5), tree.root(3), tree.consistencyProof(3, 5)))
        .hasMessage("old size 5 is not between 0 and the new size 3");
    assertThatThrownBy(
            () -> MerkleTree.verifyConsistency(3, 5, tree.root(3), tree.root(5), List.of()))
        .hasMessage("consistency proof from size 3 to 5 is empty");
    assertThatThrownBy(
            () -> MerkleTree.verifyConsistency(5, 5, tree.root(5), tree.root(4), List.of()))
        .hasMessageStartingWith("two different roots for the same size 5: ");
    assertThatThrownBy(
            () ->
                MerkleTree.verifyConsistency(
                    0, 5, tree.root(0), tree.root(5), List.of(tree.root(5))))
        .hasMessage("consistency proof from size 0 to 5 must be empty; it has 1 hashes");
  }

  @Test
  void generatingAProofOutsideTheTreeFailsWithTheValidRange() {
    assertThatThrownBy(() -> tree.inclusionProof(8, 8))
        .hasMessage("leaf index 8 is not in a tree of size 8; use 0 to 7");
    assertThatThrownBy(() -> tree.consistencyProof(6, 5))
        .hasMessageContaining("the old size must be between 0 and the new size");
    assertThatThrownBy(() -> tree.root(9))
        .hasMessage("tree size 9 is not between 0 and the current size 8");
  }

  /** The in-memory tree against the naive recursion at every size 1..1,000, with spot proofs. */
  @Test
  void everySizeUpTo1000MatchesTheNaiveTree() throws Exception {
    List<byte[]> data = new ArrayList<>();
    InMemoryTree t = new InMemoryTree();
    byte[][] naiveRoots = new byte[1001][];
    for (int n = 1; n <= 1000; n++) {
      byte[] d = ("entry-" + n).getBytes();
      data.add(d);
      t.append(d);
    }
    // The naive MTH is O(n) per root; incrementally it would be O(n^2) = 5e5 hashes, fine.
    for (int n = 1; n <= 1000; n++) {
      naiveRoots[n] = NaiveTree.mth(data.subList(0, n));
      assertThat(t.root(n)).as("size %d", n).isEqualTo(naiveRoots[n]);
    }
    for (int n : new int[] {1, 2, 3, 7, 63, 64, 65, 511, 777, 1000}) {
      for (int m : new int[] {0, n / 3, n / 2, n - 1}) {
        if (m < 0 || m >= n) {
          continue;
        }
        List<byte[]> path = t.inclusionProof(m, n);
        assertThat(path).containsExactlyElementsOf(NaiveTree.path(m, data.subList(0, n)));
        MerkleTree.verifyInclusion(m, n, t.leafHash(m), path, naiveRoots[n]);
        List<byte[]> proof = t.consistencyProof(m, n);
        assertThat(proof).containsExactlyElementsOf(NaiveTree.proof(m, data.subList(0, n)));
        MerkleTree.verifyConsistency(
            m, n, m == 0 ? MerkleTree.emptyRoot() : naiveRoots[m], naiveRoots[n], proof);
      }
    }
  }

  private static byte[] leaf(int index) {
    return MerkleTree.leafHash(vectors.leaves.get(index));
  }

  private static List<byte[]> flip(List<byte[]> proof, int at) {
    return replace(
        proof,
        at,
        h -> {
          byte[] c = h.clone();
          c[0] ^= 0x10;
          return c;
        });
  }

  private static List<byte[]> replace(List<byte[]> proof, int at, UnaryOperator<byte[]> f) {
    List<byte[]> c = new ArrayList<>(proof);
    c.set(at, f.apply(c.get(at)));
    return c;
  }

  private static List<byte[]> plus(List<byte[]> proof, int at, byte[] extra) {
    List<byte[]> c = new ArrayList<>(proof);
    c.add(at, extra);
    return c;
  }

  private static byte[] garbage() {
    return MerkleTree.leafHash("garbage".getBytes());
  }
}
