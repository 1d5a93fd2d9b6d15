package org.fedcredit.participantnode.serving.scoring;

import java.util.Objects;
import org.fedcredit.modelzoo.serving.FeatureModel;

/**
 * A feature party's served shard with what the node checks before answering.
 *
 * @param model the shard
 * @param labelParty the only party that may ask for parts (the model's bank)
 * @param purpose the job's purpose, which the applicant's consent must cover
 */
public record ServedFeatureModel(FeatureModel model, String labelParty, String purpose) {
  public ServedFeatureModel {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(labelParty, "labelParty");
    Objects.requireNonNull(purpose, "purpose");
  }
}
