package org.fedcredit.coordinator.translog;

import java.nio.file.Path;
import org.fedcredit.coordinator.store.StoreConfig;
import org.junit.jupiter.api.io.TempDir;

/** The log on the default embedded H2 database, one file per test. */
class TransparencyLogH2Test extends TransparencyLogContract {
  @TempDir Path dir;
  private int databases;

  @Override
  protected StoreConfig emptyDatabase() {
    return StoreConfig.embedded(dir.resolve("work-" + ++databases));
  }

  @Override
  protected int everySizeUpTo() {
    return 1000;
  }
}
