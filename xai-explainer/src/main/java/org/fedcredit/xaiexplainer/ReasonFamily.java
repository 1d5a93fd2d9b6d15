package org.fedcredit.xaiexplainer;

import java.util.List;
import java.util.Locale;

/**
 * One family of characteristics with one reason code and its texts, e.g. R01 "Repayment status in
 * the most recent month" for {@code provider:x5}.
 *
 * @param code the reason code, e.g. {@code R01}
 * @param en the English text shown to the borrower
 * @param zh the Chinese text shown to the borrower
 * @param characteristics the keys it covers: {@code party:column}, or {@code party:*} for a party's
 *     block
 * @param protectedAttribute a protected attribute (sex, age, marital status…): never a reason
 */
public record ReasonFamily(
    String code, String en, String zh, List<String> characteristics, boolean protectedAttribute) {

  public ReasonFamily {
    characteristics = List.copyOf(characteristics);
  }

  /** The text in {@code language} ({@code zh…} gives Chinese, anything else English). */
  public String text(Locale language) {
    return language.getLanguage().equals("zh") ? zh : en;
  }
}
