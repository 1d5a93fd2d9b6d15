package org.fedcredit.coordinator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fedcredit.coordinator.store.JobState.APPROVED;
import static org.fedcredit.coordinator.store.JobState.CANCELLED;
import static org.fedcredit.coordinator.store.JobState.FAILED;
import static org.fedcredit.coordinator.store.JobState.REJECTED;
import static org.fedcredit.coordinator.store.JobState.RUNNING;
import static org.fedcredit.coordinator.store.JobState.SUBMITTED;
import static org.fedcredit.coordinator.store.JobState.SUCCEEDED;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class JobStateTest {
  @Test
  void theTransitionTableIsExactlyTheDocumentedOne() {
    assertThat(SUBMITTED.exits()).containsExactlyInAnyOrder(APPROVED, REJECTED, CANCELLED, FAILED);
    assertThat(APPROVED.exits()).containsExactlyInAnyOrder(RUNNING, CANCELLED, FAILED);
    assertThat(RUNNING.exits()).containsExactlyInAnyOrder(RUNNING, SUCCEEDED, FAILED, CANCELLED);
    for (JobState terminal : EnumSet.of(REJECTED, SUCCEEDED, FAILED, CANCELLED)) {
      assertThat(terminal.exits()).as(terminal.name()).isEmpty();
      assertThat(terminal.isTerminal()).isTrue();
    }
    assertThat(SUBMITTED.isTerminal()).isFalse();
  }

  @Test
  void nothingLeadsBackToSubmitted() {
    for (JobState state : JobState.values()) {
      assertThat(state.canMoveTo(SUBMITTED)).as(state.name()).isFalse();
    }
  }

  @Test
  void exitsCannotBeChangedByCallers() {
    SUBMITTED.exits().clear();

    assertThat(SUBMITTED.canMoveTo(APPROVED)).isTrue();
  }
}
