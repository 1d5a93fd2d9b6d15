package org.fedcredit.participantnode.serving.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.fedcredit.participantnode.config.ServingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator reads when serving cannot start. */
class ServingRuntimeTest {

  @TempDir Path dir;

  static ServingConfig serving(String model) {
    return new ServingConfig(
        model, Optional.empty(), Optional.empty(), List.of(), Optional.empty());
  }

  @Test
  void anUnpublishedModelIsNamedWithWhereItsShardWasLookedFor() {
    Path shard = dir.resolve("models/job-1/bank.json");
    assertThatThrownBy(() -> ServingRuntime.readShard(shard, serving("job-1")))
        .isInstanceOf(ServingRuntime.ServingStartException.class)
        .hasMessage(
            "model job-1 has no shard at "
                + shard
                + " on this node: has the job been published here? (fedcredit job list; or set"
                + " serving.shard)");
  }

  @Test
  void aShardOfAnOlderFormatOrNotJsonIsRefusedNamingTheFile() throws Exception {
    Path old = dir.resolve("old.json");
    Files.writeString(old, "{\"job\": \"j\", \"party\": \"bank\", \"weights\": [1.0]}");
    assertThatThrownBy(() -> ServingRuntime.readShard(old, serving("j")))
        .isInstanceOf(ServingRuntime.ServingStartException.class)
        .hasMessageStartingWith(old + ": no 'format' key");
    Path garbage = dir.resolve("garbage.json");
    Files.writeString(garbage, "not json");
    assertThatThrownBy(() -> ServingRuntime.readShard(garbage, serving("j")))
        .isInstanceOf(ServingRuntime.ServingStartException.class)
        .hasMessageContaining(garbage.toString());
  }

  @Test
  void reasonCodeCataloguesBuiltInOrFromAFile() throws Exception {
    assertThat(ServingRuntime.catalogue("builtin:sme").families()).isNotEmpty();
    assertThat(ServingRuntime.catalogue("builtin:default-credit").families()).isNotEmpty();
    assertThatThrownBy(() -> ServingRuntime.catalogue("builtin:nope"))
        .isInstanceOf(ServingRuntime.ServingStartException.class)
        .hasMessage(
            "serving.reason_codes: no built-in catalogue 'nope'; use builtin:default-credit,"
                + " builtin:sme or a YAML file");
    Path bad = dir.resolve("codes.yaml");
    Files.writeString(bad, "families: [{code: R1, en: x}]\n");
    assertThatThrownBy(() -> ServingRuntime.catalogue(bad.toString()))
        .isInstanceOf(ServingRuntime.ServingStartException.class)
        .hasMessageContaining("codes.yaml");
  }

  @Test
  void theModelVersionIsTheShardsHashPrefix() throws Exception {
    // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    assertThat(ServingRuntime.version("abc".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo("ba7816bf8f01");
  }
}
