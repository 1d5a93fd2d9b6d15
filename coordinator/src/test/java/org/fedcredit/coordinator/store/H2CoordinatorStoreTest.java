package org.fedcredit.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the default embedded H2 database, one file per test in a temp dir. */
class H2CoordinatorStoreTest extends CoordinatorStoreContract {
  @TempDir Path dir;
  private int databases;

  @Override
  protected StoreConfig emptyDatabase() {
    return StoreConfig.embedded(dir.resolve("work-" + ++databases));
  }

  /** A database file below a regular file: the directory can never be created. */
  @Override
  protected StoreConfig unreachableDatabase() {
    try {
      Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
      return StoreConfig.embedded(file.resolve("work"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void theDefaultDatabaseIsOneFileInTheWorkDir() {
    store.close();

    assertThat(Path.of(config.url().substring("jdbc:h2:file:".length()) + ".mv.db"))
        .isRegularFile()
        .hasParent(dir.resolve("work-1"));
  }
}
