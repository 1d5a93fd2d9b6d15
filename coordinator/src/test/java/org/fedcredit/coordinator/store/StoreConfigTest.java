package org.fedcredit.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Opening failures that need no database, and what a configuration prints. */
class StoreConfigTest {
  @Test
  void aUrlThatIsNotJdbcH2OrPostgresqlIsRejectedBeforeConnecting() {
    for (String url :
        new String[] {
          "postgres://127.0.0.1:5432/test", "jdbc:mysql://127.0.0.1/test", "coordinator"
        }) {
      assertThatThrownBy(() -> CoordinatorStore.open(StoreConfig.of(url, "u", "")))
          .isInstanceOf(StoreException.class)
          .hasMessage(
              "cannot open the coordinator store at "
                  + url
                  + ": not a supported JDBC URL; use jdbc:postgresql://host:5432/database or"
                  + " jdbc:h2:file:/path/coordinator; check store.url in coordinator.yaml");
    }
  }

  @Test
  void anH2UrlInAnotherCompatibilityModeIsRejected() {
    assertThatThrownBy(
            () -> CoordinatorStore.open(StoreConfig.of("jdbc:h2:mem:x;MODE=MySQL", "sa", "")))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("H2 must run in MODE=PostgreSQL");
  }

  @Test
  void anH2UrlGetsThePostgresqlSettingsItLacks() {
    assertThat(CoordinatorStore.effectiveUrl("jdbc:h2:file:/w/coordinator", "w"))
        .isEqualTo(
            "jdbc:h2:file:/w/coordinator;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;LOCK_TIMEOUT=10000"
                + ";DB_CLOSE_ON_EXIT=FALSE");
    assertThat(CoordinatorStore.effectiveUrl("jdbc:h2:mem:x;mode=postgresql;LOCK_TIMEOUT=5", "w"))
        .isEqualTo(
            "jdbc:h2:mem:x;mode=postgresql;LOCK_TIMEOUT=5;DATABASE_TO_LOWER=TRUE"
                + ";DB_CLOSE_ON_EXIT=FALSE");
  }

  @Test
  void passwordsNeverAppearInMessagesOrToString() {
    StoreConfig config =
        StoreConfig.of(
            "jdbc:postgresql://127.0.0.1:1/test?user=x&password=s3cret&ssl=true", "x", "pw");

    assertThat(config.redactedUrl())
        .isEqualTo("jdbc:postgresql://127.0.0.1:1/test?user=x&password=***&ssl=true");
    assertThat(config.toString()).doesNotContain("s3cret").doesNotContain("pw,");
    assertThatThrownBy(() -> CoordinatorStore.open(config))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("password=***")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void theEmbeddedDefaultLivesInTheWorkDir() {
    StoreConfig config = StoreConfig.embedded(Path.of("/var/fedcredit/work"));

    assertThat(config.url()).isEqualTo("jdbc:h2:file:/var/fedcredit/work/coordinator");
    assertThat(config.user()).isEqualTo("fedcredit");
    assertThat(config.poolSize()).isEqualTo(StoreConfig.DEFAULT_POOL_SIZE);
  }

  @Test
  void aPoolSizeOutOfRangeIsRejected() {
    assertThatThrownBy(() -> new StoreConfig("jdbc:h2:mem:x", "sa", "", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use 1 to 64");
  }
}
