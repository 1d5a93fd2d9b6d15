package org.fedcredit.participantnode.serving.store;

import java.util.Optional;

/** The store contract on the in-memory store that tests and demos use. */
class DecisionStoreInMemoryTest extends DecisionStoreContract {
  @Override
  protected DecisionStore openEmpty() {
    return new InMemoryDecisionStore();
  }

  @Override
  protected Optional<DecisionStore> reopen() {
    return Optional.empty();
  }
}
