package org.fedcredit.coordinator.store;

/**
 * A step of a running job: its name in the job spec ({@code psi}, {@code binning}, {@code train},
 * ...) and its 0-based position in the spec's step list.
 */
public record JobStep(String name, int index) {
  public JobStep {
    Checks.text(name, "step name", 64);
    if (index < 0) {
      throw new IllegalArgumentException(
          "step index " + index + " of step '" + name + "' is negative; steps count from 0");
    }
  }
}
