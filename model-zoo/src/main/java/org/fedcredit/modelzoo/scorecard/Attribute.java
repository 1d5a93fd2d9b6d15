package org.fedcredit.modelzoo.scorecard;

import java.util.Objects;

/**
 * One row of a points table: a bin of a characteristic.
 *
 * @param label the bin, e.g. {@code [1200, 3400)} or {@code missing}
 * @param woe the bin's WOE
 * @param points {@code −(w·WOE + b/n)·factor + offset/n}
 * @param count training rows in the bin
 */
public record Attribute(String label, double woe, double points, long count) {
  public Attribute {
    Objects.requireNonNull(label, "label");
  }
}
