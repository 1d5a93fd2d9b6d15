package org.fedcredit.participantnode.serving.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DecisionLanguageTest {
  @Test
  void acceptLanguagePicksOurMostPreferredLanguage() {
    assertThat(Language.fromAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8")).isEqualTo(Language.ZH);
    assertThat(Language.fromAcceptLanguage("en-US,en;q=0.9,zh-CN;q=0.8")).isEqualTo(Language.EN);
    assertThat(Language.fromAcceptLanguage("fr-FR, zh-Hant;q=0.5, de;q=0.9"))
        .isEqualTo(Language.ZH);
    assertThat(Language.fromAcceptLanguage("en;q=0.4, zh;q=0.6")).isEqualTo(Language.ZH);
    assertThat(Language.fromAcceptLanguage("zh;q=0, fr")).isEqualTo(Language.EN);
    assertThat(Language.fromAcceptLanguage("zh;q=abc")).isEqualTo(Language.EN);
    assertThat(Language.fromAcceptLanguage("*")).isEqualTo(Language.EN);
    assertThat(Language.fromAcceptLanguage(null)).isEqualTo(Language.EN);
    assertThat(Language.fromAcceptLanguage("")).isEqualTo(Language.EN);
  }

  @Test
  void theQueryTagIsMatchedOnItsPrimarySubtag() {
    assertThat(Language.fromTag("zh")).contains(Language.ZH);
    assertThat(Language.fromTag("ZH-cn")).contains(Language.ZH);
    assertThat(Language.fromTag("en_GB")).contains(Language.EN);
    assertThat(Language.fromTag("fr")).isEmpty();
    assertThat(Language.fromTag("")).isEmpty();
    assertThat(Language.fromTag(null)).isEmpty();
  }

  @Test
  void everyPageTextExistsInBothLanguages() {
    for (Text text : Text.values()) {
      assertThat(text.in(Language.EN)).as(text.name()).isNotBlank();
      assertThat(text.in(Language.ZH)).as(text.name()).isNotBlank();
      assertThat(text.in(Language.ZH).split("%s", -1).length)
          .as("placeholders of %s", text)
          .isEqualTo(text.in(Language.EN).split("%s", -1).length);
    }
  }
}
