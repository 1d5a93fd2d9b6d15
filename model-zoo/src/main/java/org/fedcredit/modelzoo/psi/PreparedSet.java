package org.fedcredit.modelzoo.psi;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A party's validated PSI input: the consented rows in a fresh random order, which is the order in
 * which their blinded ids are sent. Random order keeps a party's local row order (which may follow
 * e.g. the date a customer joined) from reaching the peer.
 */
final class PreparedSet {

  final List<String> ids;

  /** sentOrder[position in the sent stream] = local row index. */
  final int[] sentOrder;

  final int inputRows;
  final int excludedWithoutConsent;

  private PreparedSet(List<String> ids, int[] sentOrder, int inputRows, int excluded) {
    this.ids = ids;
    this.sentOrder = sentOrder;
    this.inputRows = inputRows;
    this.excludedWithoutConsent = excluded;
  }

  int size() {
    return sentOrder.length;
  }

  /**
   * Checks every row (consented or not) for empty and duplicate ids, keeps the consented rows and
   * shuffles them.
   *
   * @throws PsiException naming the party, the id and both rows of the first duplicate found
   */
  static PreparedSet prepare(String party, PsiInput input, SecureRandom random) {
    List<String> ids = input.ids();
    int n = ids.size();
    // Duplicates without a HashSet of a million Strings: sort (hashCode, row) pairs and compare
    // ids only within runs of equal hash codes (a handful at 10^6 rows).
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      String id = ids.get(i);
      if (id.isEmpty()) {
        throw new PsiException(
            party + ": row " + i + " has an empty id; every row needs a unique, non-empty id");
      }
      keys[i] = ((long) id.hashCode() << 32) | i;
    }
    Arrays.sort(keys);
    for (int start = 0; start < n; ) {
      int end = start + 1;
      while (end < n && (keys[end] >>> 32) == (keys[start] >>> 32)) {
        end++;
      }
      if (end - start > 1) {
        checkRun(party, ids, keys, start, end);
      }
      start = end;
    }
    int[] kept = new int[input.consentedRows()];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (input.consented(i)) {
        kept[k++] = i;
      }
    }
    for (int i = kept.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = kept[i];
      kept[i] = kept[j];
      kept[j] = t;
    }
    return new PreparedSet(ids, kept, n, n - kept.length);
  }

  private static void checkRun(String party, List<String> ids, long[] keys, int from, int to) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = from; i < to; i++) {
      int row = (int) keys[i];
      Integer before = seen.putIfAbsent(ids.get(row), row);
      if (before != null) {
        throw new PsiException(
            party
                + ": id '"
                + ids.get(row)
                + "' appears more than once (rows "
                + Math.min(before, row)
                + " and "
                + Math.max(before, row)
                + "); PSI needs unique ids: remove or merge the duplicate rows");
      }
    }
  }
}
