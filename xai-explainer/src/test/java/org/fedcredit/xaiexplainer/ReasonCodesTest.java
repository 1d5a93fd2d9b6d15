package org.fedcredit.xaiexplainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedcredit.xaiexplainer.ReasonCodes.Reason;
import org.junit.jupiter.api.Test;

class ReasonCodesTest {

  private final ReasonCodeCatalogue catalogue = ReasonCodeCatalogue.defaultCredit();

  @Test
  void sumsPerFamilyRanksDescendingAndKeepsOnlyAdverseFamilies() {
    Map<String, Double> phi = new HashMap<>();
    phi.put("provider:x6", 0.10); // R02
    phi.put("provider:x7", 0.25); // R02: 0.35 in all
    phi.put("provider:x5", 0.30); // R01
    phi.put("bank:x1", 0.05); // R05
    phi.put("bank:x7", -0.40); // R07: helps, never a reason
    phi.put("provider:x0", 0.0); // R04: neutral, not a reason
    List<Reason> reasons = ReasonCodes.principal(phi, catalogue);
    assertThat(reasons).extracting(Reason::code).containsExactly("R02", "R01", "R05");
    assertThat(reasons.get(0).contribution()).isCloseTo(0.35, within(1e-15));
    assertThat(reasons.get(0).characteristics()).containsExactly("provider:x6", "provider:x7");
    assertThat(reasons.get(0).zh()).isEqualTo("前二至五个月的还款状态");
  }

  @Test
  void returnsAtMostFourByDefaultAndAtMostMax() {
    Map<String, Double> phi = new LinkedHashMap<>();
    String[] keys = {"provider:x5", "provider:x6", "bank:x0", "provider:x0", "bank:x1", "bank:x7"};
    for (int i = 0; i < keys.length; i++) {
      phi.put(keys[i], 1.0 - 0.1 * i);
    }
    assertThat(ReasonCodes.principal(phi, catalogue))
        .extracting(Reason::code)
        .containsExactly("R01", "R02", "R03", "R04");
    assertThat(ReasonCodes.principal(phi, catalogue, 2))
        .extracting(Reason::code)
        .containsExactly("R01", "R02");
    assertThatThrownBy(() -> ReasonCodes.principal(phi, catalogue, 0))
        .hasMessageContaining("at least 1");
  }

  @Test
  void aProtectedAttributeIsNeverAReasonHoweverLargeItsContribution() {
    Map<String, Double> phi =
        Map.of(
            "provider:x1", 5.0, // sex
            "provider:x3", 4.0, // marital status
            "provider:x4", 3.0, // age
            "bank:x3", 0.01);
    assertThat(ReasonCodes.principal(phi, catalogue))
        .extracting(Reason::code)
        .containsExactly("R06");
  }

  @Test
  void tiesAreBrokenByCodeWhateverTheInputOrder() {
    Map<String, Double> a = new LinkedHashMap<>();
    a.put("bank:x7", 0.2);
    a.put("bank:x1", 0.2);
    a.put("provider:x5", 0.2);
    Map<String, Double> b = new LinkedHashMap<>();
    b.put("provider:x5", 0.2);
    b.put("bank:x1", 0.2);
    b.put("bank:x7", 0.2);
    assertThat(ReasonCodes.principal(a, catalogue))
        .extracting(Reason::code)
        .containsExactly("R01", "R05", "R07");
    assertThat(ReasonCodes.principal(b, catalogue)).isEqualTo(ReasonCodes.principal(a, catalogue));
  }

  @Test
  void aPartyBlockIsOneReasonAndAnUnknownKeyIsAnError() {
    Map<String, Double> phi = Map.of("provider:*", 0.8, "bank:x0", 0.3);
    assertThat(ReasonCodes.principal(phi, catalogue))
        .extracting(Reason::code)
        .containsExactly("B01", "R03");
    assertThatThrownBy(() -> ReasonCodes.principal(Map.of("bank:x99", 1.0), catalogue))
        .isInstanceOf(ReasonCodeCatalogueException.class)
        .hasMessageContaining("no reason family for [bank:x99]");
    assertThatThrownBy(() -> ReasonCodes.principal(Map.of("bank:x1", Double.NaN), catalogue))
        .hasMessageContaining("bank:x1 is NaN");
  }

  @Test
  void worksOnShapValuesOfAGroupedModel() {
    List<String> columns = List.of("bank:x0", "provider:x5", "provider:x1");
    FeatureGroups groups = FeatureGroups.of(columns, List.of());
    ShapValues s =
        new LinearShap(0, new double[] {1, 2, 3}, new double[] {0, 0, 0}, groups)
            .explain(new double[] {0.5, 1, 1});
    assertThat(ReasonCodes.principal(s.byName(groups.names()), catalogue))
        .extracting(Reason::code)
        .containsExactly("R01", "R03");
  }
}
