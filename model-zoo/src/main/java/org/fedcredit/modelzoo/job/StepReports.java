package org.fedcredit.modelzoo.job;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.federation.Federation;
import org.fedcredit.modelzoo.federation.PartyId;
import org.fedcredit.modelzoo.psi.Alignment;
import org.fedcredit.modelzoo.psi.PsiInput;
import org.fedcredit.protocols.lr.v1.HoldoutSplit;

/**
 * What the bank's and a provider's programs share, whatever the algorithm: the PSI input and
 * report, and the hold-out split ({@code split/holdout}: the bank sends the hold-out positions).
 */
final class StepReports {

  static final String HOLDOUT = "split/holdout";

  /** Training and hold-out positions of the aligned rows, in PSI order. */
  record Split(int[] train, int[] test) {
    Map<String, Object> report() {
      return Map.of("train_rows", train.length, "holdout_rows", test.length);
    }
  }

  /** The bank's split: aligned rows whose id is a hold-out id are held out. */
  static Split bankSplit(LocalTable aligned, Set<String> holdoutIds) {
    List<Integer> trainList = new ArrayList<>();
    List<Integer> testList = new ArrayList<>();
    for (int i = 0; i < aligned.rows(); i++) {
      (holdoutIds.contains(aligned.ids().get(i)) ? testList : trainList).add(i);
    }
    if (!holdoutIds.isEmpty() && testList.isEmpty()) {
      throw new JobSpecException(
          "holdout_ids: none of the "
              + holdoutIds.size()
              + " hold-out ids is among the "
              + aligned.rows()
              + " aligned rows");
    }
    if (trainList.size() < 2) {
      throw new JobSpecException(
          "only " + trainList.size() + " aligned training rows; nothing to train on");
    }
    return new Split(
        trainList.stream().mapToInt(Integer::intValue).toArray(),
        testList.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Tells every provider the hold-out positions. */
  static void sendSplit(Federation fed, List<PartyId> providers, int alignedRows, Split split) {
    HoldoutSplit.Builder b = HoldoutSplit.newBuilder().setAlignedRows(alignedRows);
    for (int p : split.test()) {
      b.addHoldoutPositions(p);
    }
    HoldoutSplit message = b.build();
    for (PartyId p : providers) {
      fed.send(p, HOLDOUT, message);
    }
  }

  /** A provider's side: receives and checks the bank's hold-out positions. */
  static Split receiveSplit(Federation fed, PartyId bank, String self, int alignedRows) {
    HoldoutSplit split = fed.receive(bank, HOLDOUT, HoldoutSplit.class);
    if (split.getAlignedRows() != alignedRows) {
      throw new JobSpecException(
          bank
              + " split "
              + split.getAlignedRows()
              + " aligned rows but "
              + self
              + " aligned "
              + alignedRows);
    }
    Set<Integer> held = new HashSet<>();
    for (int p : split.getHoldoutPositionsList()) {
      if (p < 0 || p >= alignedRows || !held.add(p)) {
        throw new JobSpecException(bank + " sent an invalid hold-out position " + p);
      }
    }
    int[] train = new int[alignedRows - held.size()];
    int[] test = new int[held.size()];
    int a = 0;
    int b = 0;
    for (int i = 0; i < alignedRows; i++) {
      if (held.contains(i)) {
        test[b++] = i;
      } else {
        train[a++] = i;
      }
    }
    return new Split(train, test);
  }

  private StepReports() {}

  /** The PSI input of {@code table}: every id, filtered by consent when a registry is declared. */
  static PsiInput psiInput(LocalTable table, Optional<Predicate<String>> consent) {
    return consent.isPresent() ? PsiInput.of(table.ids(), consent.get()) : PsiInput.of(table.ids());
  }

  /** The counts a party may report after PSI (no id). */
  static Map<String, Object> psi(Alignment alignment) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("aligned_rows", alignment.size());
    out.put("input_rows", alignment.inputRows());
    out.put("rows_without_consent", alignment.excludedWithoutConsent());
    return out;
  }

  /**
   * A feature party's shard with what its node checks before answering a scoring request: the
   * model's label party (the only party that may ask, {@code label_party}) and the job's purpose
   * (which the applicant's consent must cover, {@code purpose}).
   */
  static Map<String, Object> featureShard(JobSpec spec, Map<String, Object> shard) {
    Map<String, Object> out = new java.util.LinkedHashMap<>(shard);
    out.put("label_party", spec.labelParty().name());
    out.put("purpose", spec.purpose());
    return out;
  }
}
