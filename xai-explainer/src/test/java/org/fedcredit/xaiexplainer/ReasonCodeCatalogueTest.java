package org.fedcredit.xaiexplainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ReasonCodeCatalogueTest {

  private static final String GOOD =
      """
      catalogue: test
      families:
        - code: R01
          en: Recent repayment status
          zh: 最近的还款状态
          characteristics: [provider:x5]
        - code: P01
          en: Sex
          zh: 性别
          characteristics: [provider:x1]
          protected: true
        - code: B01
          en: Information from the provider
          zh: 来自数据提供方的信息
          characteristics: ["provider:*"]
      """;

  @Test
  void readsFamiliesAndResolvesIndicatorColumnsToTheirRawColumn() {
    ReasonCodeCatalogue c = ReasonCodeCatalogue.parse(GOOD, "test.yaml");
    assertThat(c.name()).isEqualTo("test");
    assertThat(c.families()).extracting(ReasonFamily::code).containsExactly("R01", "P01", "B01");
    assertThat(c.familyOf("provider:x1").orElseThrow().protectedAttribute()).isTrue();
    assertThat(c.familyOf("provider:x5").orElseThrow().protectedAttribute()).isFalse();
    assertThat(c.familyOf("provider:x5__bin3").orElseThrow().code()).isEqualTo("R01");
    assertThat(c.familyOf("provider:x5=2").orElseThrow().code()).isEqualTo("R01");
    assertThat(c.familyOf("provider:*").orElseThrow().text(Locale.CHINESE)).isEqualTo("来自数据提供方的信息");
    assertThat(c.coverage(List.of("provider:x5", "provider:x2", "bank:x0", "provider:*")))
        .containsExactly("bank:x0", "provider:x2");
  }

  @Test
  void aMissingTextNamesFileLineFamilyAndKey() {
    String yaml = GOOD.replace("    zh: 性别\n", "");
    assertThatThrownBy(() -> ReasonCodeCatalogue.parse(yaml, "codes.yaml"))
        .isInstanceOf(ReasonCodeCatalogueException.class)
        .hasMessageStartingWith("codes.yaml:7: families[1] (code P01): key 'zh' is missing")
        .hasMessageContaining("both en and zh are required");
  }

  @Test
  void rejectsDuplicateCodes() {
    String yaml = GOOD.replace("code: B01", "code: R01");
    assertThatThrownBy(() -> ReasonCodeCatalogue.parse(yaml, "codes.yaml"))
        .hasMessageContaining("families[2] (code R01): duplicate code R01")
        .hasMessageContaining("first used at codes.yaml:3: families[0]");
  }

  @Test
  void rejectsACharacteristicInTwoFamilies() {
    String yaml = GOOD.replace("[provider:x1]", "[provider:x1, provider:x5]");
    assertThatThrownBy(() -> ReasonCodeCatalogue.parse(yaml, "codes.yaml"))
        .hasMessageContaining("families[1] (code P01): characteristic provider:x5 is already in")
        .hasMessageContaining("families[0] (code R01)")
        .hasMessageContaining("one family only");
  }

  @Test
  void rejectsUnknownKeysBadKeysBadFlagsAndBadYaml() {
    assertThatThrownBy(
            () -> ReasonCodeCatalogue.parse(GOOD.replace("    en: Sex", "    text: Sex"), "c.yaml"))
        .hasMessageContaining("families[1] (code P01): unknown key 'text'; allowed keys are");
    assertThatThrownBy(
            () -> ReasonCodeCatalogue.parse(GOOD.replace("[provider:x5]", "[x5]"), "c.yaml"))
        .hasMessageContaining("characteristic 'x5' is not party:column");
    assertThatThrownBy(
            () ->
                ReasonCodeCatalogue.parse(
                    GOOD.replace("protected: true", "protected: maybe"), "c.yaml"))
        .hasMessageContaining("key 'protected' must be true or false");
    assertThatThrownBy(() -> ReasonCodeCatalogue.parse("families: [a, b", "c.yaml"))
        .hasMessageStartingWith("c.yaml:")
        .hasMessageContaining("not valid YAML");
    assertThatThrownBy(() -> ReasonCodeCatalogue.parse("families: []", "c.yaml"))
        .hasMessageContaining("'families' must be a non-empty list");
    assertThatThrownBy(
            () ->
                ReasonCodeCatalogue.parse(
                    GOOD.replace("    en: Sex\n", "    en: Sex\n    en: Gender\n"), "c.yaml"))
        .hasMessageContaining("c.yaml:9: key 'en' is given twice");
  }

  @Test
  void theDefaultCreditCatalogueCoversEveryColumnOfBothPartiesInBothLanguages() throws IOException {
    ReasonCodeCatalogue c = ReasonCodeCatalogue.defaultCredit();
    List<String> keys = new ArrayList<>();
    keys.addAll(columns("../examples/default-credit/default_credit_hetero_guest.csv", "bank"));
    keys.addAll(columns("../examples/default-credit/default_credit_hetero_host.csv", "provider"));
    assertThat(keys).hasSize(23);
    keys.add("provider:*");
    keys.add("provider:x0__bin3");
    assertThat(c.coverage(keys)).isEmpty();
    assertThat(c.coverage(List.of("bank:x13"))).containsExactly("bank:x13");
    // sex, marital status and age are protected
    assertThat(c.families().stream().filter(ReasonFamily::protectedAttribute))
        .flatExtracting(ReasonFamily::characteristics)
        .containsExactlyInAnyOrder("provider:x1", "provider:x3", "provider:x4");
    assertBothLanguages(c);
  }

  @Test
  void theSmeCatalogueCoversEveryColumnOfTheThreeInstitutions() throws IOException {
    ReasonCodeCatalogue c = ReasonCodeCatalogue.sme();
    List<String> keys = new ArrayList<>();
    keys.addAll(columns("../examples/sme/bank.csv", "bank"));
    keys.addAll(columns("../examples/sme/tax_bureau.csv", "tax-bureau"));
    keys.addAll(columns("../examples/sme/utility.csv", "utility"));
    keys.addAll(List.of("bank:industry=catering", "tax-bureau:tax_grade=A", "tax-bureau:*"));
    keys.add("utility:*");
    assertThat(keys).contains("tax-bureau:vat_m12", "utility:late_payments_12m");
    assertThat(c.coverage(keys)).isEmpty();
    assertThat(c.familyOf("bank:region=wuhan").orElseThrow().protectedAttribute()).isTrue();
    assertThat(c.familyOf("tax-bureau:*").orElseThrow().en())
        .startsWith("Information from the tax bureau");
    assertThat(c.familyOf("tax-bureau:*").orElseThrow().zh()).startsWith("来自税务局的信息");
    assertBothLanguages(c);
  }

  private static void assertBothLanguages(ReasonCodeCatalogue c) {
    for (ReasonFamily f : c.families()) {
      assertThat(f.en()).as(f.code()).isNotBlank().doesNotContainPattern("\\p{IsHan}");
      assertThat(f.zh()).as(f.code()).containsPattern("\\p{IsHan}");
    }
  }

  // The feature columns of a party's CSV as party:column (id and label left out).
  private static List<String> columns(String csv, String party) throws IOException {
    String header = Files.readAllLines(Path.of(csv)).get(0);
    return Arrays.stream(header.split(","))
        .filter(h -> !List.of("id", "y", "default").contains(h))
        .map(h -> party + ":" + h)
        .toList();
  }
}
