package org.fedcredit.participantnode.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DecisionJsonTest {
  static final Instant AT = Instant.parse("2026-11-27T01:02:03.000000007Z");

  @Test
  void everyFixtureRoundTripsExactly() {
    for (Decision d :
        new Decision[] {
          DecisionFixtures.refused(DecisionTokens.newToken(), AT),
          DecisionFixtures.approved(DecisionTokens.newToken(), AT),
          DecisionFixtures.cannotDecide(DecisionTokens.newToken(), AT)
        }) {
      assertThat(DecisionJson.read(DecisionJson.write(d))).isEqualTo(d);
    }
  }

  @Test
  void nanIsWrittenAsTextAndTheInstantAsIsoText() {
    String json = DecisionJson.write(DecisionFixtures.cannotDecide("t", AT));

    assertThat(json)
        .contains("\"score\":\"NaN\"")
        .contains("\"probabilityOfDefault\":\"NaN\"")
        .contains("\"decidedAt\":\"2026-11-27T01:02:03.000000007Z\"")
        .contains("\"explanation\":null");
  }

  @Test
  void anIncompleteOrMalformedDocumentIsRefusedWithWhere() {
    assertThatThrownBy(() -> DecisionJson.read("{\"token\":\"t\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a decision JSON object: ");
    assertThatThrownBy(() -> DecisionJson.read("{\"token\": 1,"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a decision JSON object: ");
    String good = DecisionJson.write(DecisionFixtures.approved("t", AT));
    assertThatThrownBy(
            () -> DecisionJson.read(good.replace("2026-11-27T01:02:03.000000007Z", "yesterday")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an ISO-8601 instant");
  }
}
