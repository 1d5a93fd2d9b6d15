package org.fedcredit.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the serving bench reads of the JIT compilers, and the child JVMs' extra options. */
class JitAccountingTest {

  @Test
  void thisJvmsCompilerThreadsHaveUsedCpuAndTheCountOnlyGrows() {
    long first = ServingBench.jitCpuNanos(ProcessHandle.current().pid());
    // a JVM that has loaded JUnit and AssertJ has compiled methods, on threads /proc lists
    assertThat(first).isPositive();
    long total = ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    assertThat(first).isLessThanOrEqualTo(total + 10_000_000L);
    assertThat(ServingBench.jitCpuNanos(ProcessHandle.current().pid()))
        .isGreaterThanOrEqualTo(first);
  }

  @Test
  void aProcessThatDoesNotExistIsUnknown() {
    assertThat(ServingBench.jitCpuNanos(Long.MAX_VALUE)).isEqualTo(-1);
  }

  @Test
  void theShareIsTheCompilersCpuOverAllCpuOfAllProcesses() {
    Map<String, Long> cpu0 = Map.of("a", 0L, "b", 100L);
    Map<String, Long> cpu1 = Map.of("a", 300L, "b", 200L);
    Map<String, Long> jit0 = Map.of("a", 10L, "b", 0L);
    Map<String, Long> jit1 = Map.of("a", 70L, "b", 40L);
    assertThat(ServingBench.share(cpu0, cpu1, jit0, jit1)).isEqualTo(100.0 / 400.0);
    assertThat(ServingBench.share(cpu0, cpu1, Map.of("a", -1L, "b", 0L), jit1)).isNaN();
  }

  @Test
  void extraChildOptionsAreSplitOnWhiteSpace() {
    assertThat(ChildProcesses.extraJvmOptions(null)).isEmpty();
    assertThat(ChildProcesses.extraJvmOptions("  ")).isEmpty();
    assertThat(ChildProcesses.extraJvmOptions(" -Xss1m  -agentpath:/x/y.so=start,event=cpu "))
        .isEqualTo(List.of("-Xss1m", "-agentpath:/x/y.so=start,event=cpu"));
  }

  @Test
  void childrenGetTheSerialCollectorAndOneGibibyteUnlessTheOptionsChooseOtherwise() {
    List<String> shared = ChildProcesses.SHARED_MACHINE;
    assertThat(ChildProcesses.jvmOptions(shared, List.of()))
        .containsExactly("-Xmx1g", "-XX:+UseSerialGC");
    assertThat(ChildProcesses.jvmOptions(shared, List.of("-XX:+UseG1GC", "-Xlog:gc")))
        .containsExactly("-Xmx1g", "-XX:+UseG1GC", "-Xlog:gc");
    assertThat(ChildProcesses.jvmOptions(shared, List.of("-Xmx3g")))
        .containsExactly("-XX:+UseSerialGC", "-Xmx3g");
    assertThat(ChildProcesses.jvmOptions(ChildProcesses.AS_LAUNCHED, List.of("-Xss1m")))
        .containsExactly("-Xss1m");
  }
}
