package org.fedcredit.modelzoo.job;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.fedcredit.modelzoo.data.LocalTable;
import org.fedcredit.modelzoo.psi.Alignment;
import org.fedcredit.modelzoo.psi.PsiInput;

/** What the bank's and a provider's programs share about their own rows: PSI input and report. */
final class StepReports {

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
}
